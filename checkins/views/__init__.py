"""Views of the check-ins app, one module per page area: ``home`` (the portal home's
card), ``pairs`` (the list and a pair's page), ``meetings`` (a meeting's life and
page), ``goals`` (goals, milestones, updates, rhythm), ``circles`` and
``coordinator`` (program health, acting on a pair). Thin: fetch with access check,
validate, call one service, render or redirect."""
