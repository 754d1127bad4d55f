"""The demo organizations and their story (``manage.py seed_demo``).

The top of the house: it names every domain app and nothing imports it except the
development scripts and tests.
"""
