"""Security events: refused access, written to the "portal.security" log for the platform's SIEM.

One line per event, with who (user or API token), what was asked and why it was refused. No
request bodies or personal data beyond the account name.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("portal.security")


def security_event(request: Any, event: str, detail: str = "") -> None:
    user = getattr(request, "user", None)
    auth = getattr(request, "auth", None)
    who = getattr(user, "username", "") or "anoniem"
    if auth is not None and hasattr(auth, "name"):
        who = f"{who} (token {auth.name})"
    tenant = getattr(request, "tenant", None)
    logger.warning(
        "%s user=%s method=%s path=%s tenant=%s ip=%s %s",
        event,
        who,
        getattr(request, "method", ""),
        getattr(request, "path", ""),
        getattr(tenant, "schema_name", "public"),
        request.META.get("REMOTE_ADDR", ""),
        detail,
    )


def login_locked_out(sender: object, request: Any, username: str | None = None, **kwargs: Any) -> None:
    """django-axes' user_locked_out: the lockout, and every refused try while it lasts, is an event."""
    security_event(request, "login_locked_out", f"username={username or ''}")
