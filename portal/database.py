"""The database settings, from a libpq URL (DATABASE_URL)."""

from __future__ import annotations

import os

from psycopg.conninfo import conninfo_to_dict


def database_from_url(url: str) -> dict[str, object]:
    """Turn a libpq URL (also one with ?host=/socket/dir) into a Django DATABASES entry."""
    params: dict[str, object] = dict(conninfo_to_dict(url))
    if os.environ.get("PORTAL_DB_POOLER", "") == "pgbouncer":
        params["prepare_threshold"] = None
    pool_size = int(os.environ.get("PORTAL_DB_POOL_SIZE", "0"))
    if pool_size > 0:
        # Django's own psycopg pool (psycopg[pool]): connections are kept and handed from request to
        # request, so nothing of a request may live in the session (the tenant context does not:
        # tests/tenants/test_pgbouncer.py runs the same proof on this pool). Needs CONN_MAX_AGE 0.
        params["pool"] = {"min_size": 1, "max_size": pool_size, "timeout": 10}
    return {
        "ENGINE": "django_tenants.postgresql_backend",
        "NAME": params.pop("dbname", "portal"),
        "USER": params.pop("user", ""),
        "PASSWORD": params.pop("password", ""),
        "HOST": params.pop("host", ""),
        "PORT": params.pop("port", ""),
        # 0: under ASGI every request runs in a thread of its own, so a persistent connection is
        # never reused, only left open: with 8 clients the server held 99 and PostgreSQL refused
        # the rest (bench http). Django's docs say the same for async deployments.
        "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": params,
        **_behind_pooler(),
    }


def _behind_pooler() -> dict[str, object]:
    """PORTAL_DB_POOLER=pgbouncer: the connection goes through PgBouncer in transaction mode, which
    keeps neither server-side cursors nor prepared statements from one transaction to the next
    (Django's docs, "Transaction pooling and server-side cursors"; psycopg prepares a statement after
    five runs unless prepare_threshold is None). The tenant context is per transaction (tenants.rls)."""
    if os.environ.get("PORTAL_DB_POOLER", "") != "pgbouncer":
        return {}
    return {"DISABLE_SERVER_SIDE_CURSORS": True}
