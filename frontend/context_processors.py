from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: the environment banner and the current municipality."""
    return {
        "portal_env": settings.PORTAL_ENV,
        "current_municipality": getattr(request, "tenant", None),
    }
