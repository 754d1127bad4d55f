"""Matching pages by area: ``review`` (the coordinator's run review and criteria),
``matches`` (the coordinator's match list) and ``portal`` (the participant's
"Your matches"). URL names are in ``matching/urls.py``."""
