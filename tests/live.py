"""For tests that start real processes (a web server, a Celery worker) on the pytest-django test database."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings


def server_database_url() -> str:
    """A libpq URL for the test database pytest-django made (its NAME is the test DB by now)."""
    db: dict[str, Any] = settings.DATABASES["default"]
    params: dict[str, Any] = {
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
        **(db.get("OPTIONS") or {}),
    }
    query = urlencode({key: value for key, value in params.items() if value not in ("", None)})
    return f"postgresql:///{quote(str(db['NAME']), safe='')}?{query}"
