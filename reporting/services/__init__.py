"""Writes of the reporting app, one module per sub-domain.

- ``surveys``: the builder (surveys, questions, templates, copies, opening/closing);
- ``assignments``: who is asked when (events, sends, the sweep) and the outbox items;
- ``responses``: answering (validation, attributed vs anonymous storage);
- ``closing``: program close and match end, which span programs, matching and surveys.

Import the module you need (``from reporting.services import surveys``).
"""
