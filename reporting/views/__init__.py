"""Views of the reporting app, one module per area (``surveys``, ``portal``, ``closing``)."""
