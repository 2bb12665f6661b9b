"""Real servers and processes for tests: the ASGI server (uvicorn) on the pytest-django test
database, the test database's URL for a Celery worker of a test's own, and another broker for
this process's Celery app.

The server runs in a separate process started by the test run, on a free loopback port, so it
sees only committed rows: whatever a test wants it to see must be committed (and cleaned up) by
the test. The browser tests drive it with Chromium; the API concurrency tests with plain HTTP clients.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings

from portal.celery import app as celery_app
from portal.dev import free_port

BASE_DIR = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT = 60.0


def server_database_url() -> str:
    """A libpq URL for the test database pytest-django made (its NAME is the test DB by now)."""
    db: dict[str, Any] = settings.DATABASES["default"]
    params: dict[str, Any] = {
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
        # Not the test process's "-c portal.tenant=*": the server starts as the web server does.
        **{key: value for key, value in (db.get("OPTIONS") or {}).items() if key != "options"},
    }
    query = urlencode({key: value for key, value in params.items() if value not in ("", None)}, quote_via=quote)
    return f"postgresql:///{quote(str(db['NAME']), safe='')}?{query}"


def _wait_for_health(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"uvicorn stopped with exit code {proc.returncode}:\n{log.read_text()[-4000:]}")
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(url, timeout=2) as response,  # noqa: S310 (our own loopback server)
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {SERVER_START_TIMEOUT:.0f} s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def live_server_url(django_db_setup: None) -> Iterator[str]:
    """The portal under uvicorn on a free port, on the pytest-django test database; stopped after the session."""
    with live_server(server_database_url()) as base_url:
        yield base_url


@contextlib.contextmanager
def live_server(database_url: str, **env_overrides: str) -> Iterator[str]:
    """Start one portal process (uvicorn on a free loopback port) on ``database_url``; yield its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "PORTAL_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ["REDIS_URL"],
        # Like production's web server: no municipality's rows until a request names one (tenants/rls.py).
        "PORTAL_DB_TENANT": "",
        # Short-lived connections: the test database is dropped right after this server stops.
        "DJANGO_CONN_MAX_AGE": "0",
        **env_overrides,
    }
    log = Path(tempfile.mkstemp(prefix="portal-live-server-", suffix=".log")[1])
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "portal.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(f"{base_url}/health", proc, log)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    log.unlink(missing_ok=True)


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
