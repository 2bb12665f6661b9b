"""Health of the services the portal depends on, for load balancers and for people."""

from __future__ import annotations

import time

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


def _check_postgresql() -> dict[str, object]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('server_version')")
            version = cursor.fetchone()[0]
    except Exception as exc:  # noqa: BLE001 (any failure means "down"; the reason is reported)
        return {"status": "down", "error": exc.__class__.__name__}
    return {"status": "up", "version": version, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _check_redis() -> dict[str, object]:
    started = time.perf_counter()
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        version = client.info("server").get("redis_version")
    except Exception as exc:  # noqa: BLE001
        return {"status": "down", "error": exc.__class__.__name__}
    return {"status": "up", "version": version, "ms": round((time.perf_counter() - started) * 1000, 1)}


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 when PostgreSQL answers (Redis down only degrades live updates and tasks), else 503."""
    postgresql = _check_postgresql()
    redis_state = _check_redis()
    if postgresql["status"] != "up":
        overall, status = "down", 503
    elif redis_state["status"] != "up":
        overall, status = "degraded", 200
    else:
        overall, status = "up", 200
    return JsonResponse({"status": overall, "postgresql": postgresql, "redis": redis_state}, status=status)
