from django.db import connection


def navigation(request):
    """What the header shows; the views have already decided who may see what."""
    user = getattr(request, "user", None)
    tenant = getattr(request, "tenant", None)
    signed_in = bool(user and user.is_authenticated and hasattr(user, "role"))
    return {
        "organization": tenant
        if tenant and connection.schema_name != "public"
        else None,
        "nav_admin": signed_in and user.is_hr_admin,
        "nav_dashboard": signed_in and user.is_coordinator,
        "nav_portal": signed_in,
    }
