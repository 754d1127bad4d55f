"""Views of the programs app, one module per area: ``programs`` (a program's
dashboard pages), ``imports`` (participant imports), ``portal`` (the participant's
pages), ``settings`` (preferences, unsubscribe, the welcome)."""
