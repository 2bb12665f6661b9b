"""Row-level security in the municipalities' schemas (tenants/rls.py): a wrong search_path returns nothing.

Each test puts the connection in the wrong schema on purpose, the way a bug or a connection
pooler could, and checks that the database itself hides the other municipality's rows and
refuses writes into them: through the ORM, through a page and through the API.
"""

from __future__ import annotations

import threading
from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context

from municipalities.models import Priority, SafetyPlan
from tenants import access
from tenants.models import Municipality, Role
from tenants.rls import act_for_rest_of_transaction, acting_for, acting_tenant, check_role_is_bound, rls_enable

pytestmark = pytest.mark.django_db


def priority_uuids(municipality: Municipality) -> set[str]:
    with schema_context(municipality.schema_name), acting_for(municipality.schema_name):
        return {str(u) for u in Priority.objects.values_list("uuid", flat=True)}


def plan_uuids(municipality: Municipality) -> set[str]:
    with schema_context(municipality.schema_name), acting_for(municipality.schema_name):
        return {str(u) for u in SafetyPlan.objects.values_list("uuid", flat=True)}


def test_every_table_of_every_municipality_schema_is_secured() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'portal_tenant')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN (SELECT schema_name FROM tenants_municipality) AND c.relkind = 'r'
              AND c.relname <> 'django_migrations'
            """
        )
        rows = cursor.fetchall()
    schemas = set(Municipality.objects.values_list("schema_name", flat=True))
    assert {row[0] for row in rows} == schemas  # every municipality schema has tables, and is listed
    unsecured = [f"{schema}.{table}" for schema, table, enabled, forced, policies in rows if not (enabled and forced)]
    without_policy = [f"{schema}.{table}" for schema, table, _e, _f, policies in rows if policies != 1]
    assert unsecured == []
    assert without_policy == []


def test_the_portal_role_is_bound_by_row_level_security() -> None:
    # A superuser or a BYPASSRLS role would pass every policy: the check would warn.
    assert check_role_is_bound(None, databases=["default"]) == []


def test_a_new_table_gets_the_policy_when_its_schema_is_migrated(heemstede: Municipality) -> None:
    with schema_context(heemstede.schema_name), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE rls_probe (id integer)")
    assert rls_enable(heemstede.schema_name) == 2  # enabled and forced, then the policy
    assert rls_enable(heemstede.schema_name) == 0  # nothing left to do: no table is altered again
    with pytest.raises(DatabaseError, match="not a municipality schema"), transaction.atomic():
        rls_enable("public")


def test_wrong_search_path_returns_nothing_and_writes_are_refused(
    heemstede: Municipality, haarlem: Municipality
) -> None:
    assert priority_uuids(haarlem)  # the demo gave Haarlem priorities
    with acting_for(heemstede.schema_name), schema_context(haarlem.schema_name):
        assert acting_tenant() == heemstede.schema_name
        assert Priority.objects.count() == 0
        assert SafetyPlan.objects.count() == 0
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            SafetyPlan.objects.create(title="ingeschoven", period_start=2024, period_end=2027)
    with acting_for(""), schema_context(heemstede.schema_name):
        assert Priority.objects.count() == 0  # no municipality named: none visible, also not its own
    with acting_for(heemstede.schema_name), schema_context(heemstede.schema_name):
        assert Priority.objects.count() > 0
    assert acting_tenant() == "*"  # the test process's own setting is back


def test_acting_for_is_restored_after_an_error(heemstede: Municipality) -> None:
    with pytest.raises(RuntimeError), acting_for(heemstede.schema_name):
        raise RuntimeError
    assert acting_tenant() == "*"


def without_rls(target: str) -> Any:
    """The control arm: the same request with row-level security let open, to show what it hides."""
    return mock.patch(target, side_effect=lambda schema_name: acting_for("*"))


def test_a_page_in_the_wrong_schema_shows_none_of_its_rows(
    heemstede: Municipality, haarlem: Municipality, make_user: Any, client_for: Any
) -> None:
    staff = client_for(make_user(Role.OOV, heemstede))
    real_set_tenant = connection.set_tenant  # type: ignore[attr-defined]
    # The bug simulated: the middleware finds Heemstede, the connection lands in Haarlem's schema.
    wrong_schema = mock.patch(
        "tenants.middleware.connection.set_tenant", side_effect=lambda tenant: real_set_tenant(haarlem)
    )
    leaked = plan_uuids(haarlem)  # the start page links to the plans
    open_rls = mock.patch(
        "municipalities.views._common.act_for_rest_of_transaction",
        side_effect=lambda schema_name: act_for_rest_of_transaction("*"),
    )
    with wrong_schema, open_rls:
        body = staff.get(f"/gemeenten/{heemstede.slug}/").content.decode()
    assert any(uuid in body for uuid in leaked)  # without row-level security the page shows Haarlem's rows
    with wrong_schema:
        response = staff.get(f"/gemeenten/{heemstede.slug}/")
    assert response.status_code == 200
    assert not any(uuid in response.content.decode() for uuid in leaked)


def test_the_api_in_the_wrong_schema_lists_nothing(
    heemstede: Municipality, haarlem: Municipality, make_user: Any, api_client_for: Any
) -> None:
    client = api_client_for(make_user(Role.OOV, heemstede))
    url = f"/api/v1/gemeenten/{heemstede.cbs_code}/prioriteiten"
    assert client.get(url).json()["count"] > 0
    wrong_schema = mock.patch(
        "api.v1.scoped.schema_context", side_effect=lambda name: schema_context(haarlem.schema_name)
    )
    leaked = priority_uuids(haarlem)
    with wrong_schema, without_rls("api.v1.scoped.acting_for"):
        shown = {row["uuid"] for row in client.get(url).json()["results"]}
    assert shown  # without row-level security, Heemstede's list is Haarlem's
    assert shown <= leaked
    with wrong_schema:
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_page_names_its_municipality_only_after_the_access_check(
    heemstede: Municipality, haarlem: Municipality, make_user: Any, client_for: Any
) -> None:
    """Until the view has checked access, a page of a municipality sees no rows at all: not the
    municipality of the path, and not the connection's default (``*`` in tests and commands)."""
    seen: list[str] = []
    real_check = access.can_read_municipality

    def spy(memberships: Any, municipality: Municipality) -> bool:
        seen.append(acting_tenant())
        return real_check(memberships, municipality)

    with mock.patch("municipalities.views._common.can_read_municipality", side_effect=spy):
        refused = client_for(make_user(Role.OOV, haarlem)).get(f"/gemeenten/{heemstede.slug}/")
        allowed = client_for(make_user(Role.OOV, heemstede)).get(f"/gemeenten/{heemstede.slug}/")

    assert (refused.status_code, allowed.status_code) == (403, 200)
    assert seen == ["", ""]
    assert any(uuid in allowed.content.decode() for uuid in plan_uuids(heemstede))
    assert acting_tenant() == "*"  # the test's own transaction is back to its default


def test_the_setting_is_for_one_transaction_never_for_the_session(heemstede: Municipality) -> None:
    """What a pooled connection (Django's pool, PgBouncer in transaction mode) hands on when a transaction
    ends: nothing. The transaction is ended under acting_for's feet, as the pooler sees it, before
    acting_for could put anything back: the next transaction on that server connection has only the
    session's own default. (In a thread of its own: a connection outside the test's transaction.)"""
    seen: dict[str, Any] = {}

    def request_elsewhere() -> None:
        try:
            with acting_for(heemstede.schema_name):
                raw = connection.connection  # the psycopg connection, as a pooler holds it
                assert raw is not None
                seen["inside"] = raw.execute("SELECT current_setting('portal.tenant', true)").fetchone()
                raw.execute("COMMIT")  # the transaction ends: the server connection is free for another client
                seen["after"] = raw.execute("SELECT current_setting('portal.tenant', true)").fetchone()
        finally:
            connection.close()

    thread = threading.Thread(target=request_elsewhere)
    thread.start()
    thread.join()
    assert seen == {"inside": (heemstede.schema_name,), "after": ("*",)}
