"""Row-level security in the municipalities' schemas: defence in depth behind the search_path.

django-tenants keeps municipalities apart by the connection's search_path. Should that ever be
wrong (a bug that switches schema, a connection pooler that hands over a connection with another
tenant's search_path), the database itself still refuses: every table in a municipality's
schema has row-level security, enabled and forced, with one policy (tenants migration 0003):

    rows are visible and writable only while the setting ``portal.tenant`` names this schema,
    or is ``*``.

Who sets it, always for one transaction only (``set_config(…, true)``), never for the session:
- a page of /gemeenten/<slug>/: the tenant middleware runs the request in one transaction and
  municipalities.views._common.request_municipality names the municipality after its access check;
- api.v1.scoped, for /api/v1/gemeenten/{cbs_code}/..., after the access check;
- a new connection starts with ``settings.PORTAL_DB_TENANT``: empty in the web server and the
  Celery worker (nothing visible until a request names its municipality), ``*`` in management
  commands and tests, which work across municipalities on purpose (migrate, demo, backup).
So code that reaches a schema by another way than these two sees no rows and cannot write.

RLS binds only a role that is neither superuser nor BYPASSRLS: the portal connects as such a
role (portal.dev makes one for the embedded server, docker/postgres-init.sh for docker compose);
the system check below reports when it does not.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.core import checks
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

SETTING = "portal.tenant"
EVERY_MUNICIPALITY = "*"


@contextlib.contextmanager
def acting_for(schema_name: str) -> Iterator[None]:
    """Let this transaction see the rows of one municipality's schema ("" for none).

    The setting is transaction-scoped (``set_config(…, true)``): it ends with the transaction
    whatever happens, so a pooled connection (Django's pool, PgBouncer in transaction mode) can
    never carry it into the next request. A transaction is opened when none is; nested inside
    one that goes on after it, the previous value is put back on leaving.
    """
    nested = connection.in_atomic_block
    with transaction.atomic():
        previous = _set_local(schema_name)
        if not nested:
            yield
            return
        try:
            with transaction.atomic():  # a savepoint: after an error in the body the transaction can restore
                yield
        finally:
            _set_local(previous)


def act_for_rest_of_transaction(schema_name: str) -> None:
    """Let the rest of the current transaction see this municipality's rows: for a page, after its access
    check (the tenant middleware opened the transaction). Outside a transaction it would end at once."""
    if not connection.in_atomic_block:
        raise RuntimeError("act_for_rest_of_transaction needs an open transaction (tenants.middleware opens one)")
    _set_local(schema_name)


def _set_local(schema_name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true), set_config(%s, %s, true)", [SETTING, SETTING, schema_name])
        return str(cursor.fetchone()[0] or "")


def acting_tenant() -> str:
    """The municipality schema this connection may see now ("" for none, "*" for every one)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [SETTING])
        return cursor.fetchone()[0] or ""


def rls_enable(schema_name: str) -> int:
    """Put the policy on every table of this schema that lacks it; returns how many changes it made."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {get_public_schema_name()}.portal_rls_enable(%s)", [schema_name])
        return int(cursor.fetchone()[0])


def on_schema_migrated(sender: Any, schema_name: str, **kwargs: Any) -> None:
    """django-tenants' schema_migrated: new tables of a municipality's schema get the policy at once."""
    if schema_name != get_public_schema_name():
        rls_enable(schema_name)


@checks.register(checks.Tags.database)
def check_role_is_bound(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Row-level security is void for a superuser or a BYPASSRLS role: say so (migrate runs this)."""
    if not databases or "default" not in databases:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    if row and row[0]:
        return [
            checks.Warning(
                "The database role bypasses row-level security (superuser or BYPASSRLS).",
                hint="Connect as the owner role without those rights; see docker/postgres-init.sh.",
                id="tenants.W001",
            )
        ]
    return []
