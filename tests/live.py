"""For tests that use real servers and processes: the test database for a web server or Celery
worker of their own, and another broker for this process's Celery app."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings

from portal.celery import app as celery_app


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


@contextlib.contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Point this process's Celery app (what queues tasks after commit) at another broker."""

    def use(broker: str) -> None:
        celery_app.conf["broker_url"] = broker
        # Celery keeps its connection pools; dropping them (as Celery does after a fork, in
        # Celery._after_fork) makes the next publish connect to the broker now configured.
        celery_app._pool = None  # type: ignore[attr-defined]
        celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]

    previous = celery_app.conf.broker_url
    use(url)
    try:
        yield
    finally:
        use(previous)
