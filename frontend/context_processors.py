from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: the environment banner and the current municipality."""
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated and not request.path_info.startswith("/api/"):
        from imv.selectors import notification_unread_count
        from tenants.access import request_memberships

        unread = notification_unread_count(user=user, memberships=request_memberships(request))
    return {
        "portal_env": settings.PORTAL_ENV,
        "current_municipality": getattr(request, "tenant", None),
        "unread_notifications": unread,
    }
