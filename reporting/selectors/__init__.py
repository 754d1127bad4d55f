"""Reads of the reporting app, one module per area.

- ``surveys``: access getters for coordinators and participants, builder and portal
  pages, survey results (with the small-group rule of ``reporting.metrics``).

Metrics selectors for the impact dashboards sit beside it in their own package
(``impact``).
"""
