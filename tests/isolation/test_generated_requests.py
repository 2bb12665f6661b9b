"""Generated requests against the tenant boundary: every role, every municipality, pages and API.

Hypothesis draws (caller, endpoint, target municipality, object) — objects from every schema,
so most requests aim at a neighbour's data — and every response is checked:

- no 5xx;
- no UUID in the body (JSON, HTML, CSV) belongs to a municipality the caller may not read;
- a write changes no row of a municipality the caller may not change (its schema, or its
  shared IMV rows), compared by UUID and every field before and after.

Who owns which UUID is read from the database before the run and around every write; UUIDs,
never ids, since ids repeat across schemas. CI runs 500 requests (fixed, derandomized); set
PORTAL_ISOLATION_REQUESTS=5000 for a nightly run. The callers, the requests and the endpoints they
are drawn from are in generator.py.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import override_settings
from django.urls import URLPattern
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from imv.models import (
    ConsultationRound,
    DraftVersion,
    ExtensionRequest,
    ImvCycle,
    Notification,
    Opinion,
    OpinionPoint,
    Participation,
    PriorityProjection,
    Reaction,
    ReactionVersion,
    Theme,
)
from municipalities import urls as municipality_urls
from municipalities.models import Priority, SafetyPlan
from municipalities.services import opinion_draft_get, opinion_draft_save
from tenants.models import Municipality, Role
from tenants.services import api_token_create
from tests.isolation.generator import ENDPOINTS, Caller, Req, Snapshot, World, page
from tests.isolation.leaky_cache import tenant_blind_cache, tenant_blind_cache_clear

pytestmark = pytest.mark.django_db

REQUESTS = int(os.environ.get("PORTAL_ISOLATION_REQUESTS", "500"))
UUID_RE = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SCANNED_TYPES = ("text/", "application/json", "application/problem+json", "application/hal+json")

# Shared-schema rows that belong to one municipality: model → path to its CBS code.
SHARED_OWNED: dict[type[models.Model], str] = {
    Participation: "municipality__cbs_code",
    Opinion: "participation__municipality__cbs_code",
    OpinionPoint: "opinion__participation__municipality__cbs_code",
    Reaction: "opinion__participation__municipality__cbs_code",
    ReactionVersion: "reaction__opinion__participation__municipality__cbs_code",
    ExtensionRequest: "participation__municipality__cbs_code",
    Notification: "municipality__cbs_code",
    PriorityProjection: "municipality__cbs_code",
}


def _uuid_field(model: type[models.Model]) -> str | None:
    names = {f.name for f in model._meta.concrete_fields}
    return "uuid" if "uuid" in names else "priority_uuid" if "priority_uuid" in names else None


def snapshot(municipalities: list[Municipality]) -> Snapshot:
    """Every UUID-bearing row of each schema and every municipality-owned shared row, read now."""
    rows: Snapshot = {}
    tenant_models = [m for m in apps.get_app_config("municipalities").get_models() if _uuid_field(m)]
    for municipality in municipalities:
        with schema_context(municipality.schema_name):
            for model in tenant_models:
                fields = [f.attname for f in model._meta.concrete_fields]
                for row in model._default_manager.values(*fields):
                    key = (municipality.cbs_code, model._meta.label, str(row["uuid"]))
                    rows[key] = (municipality.cbs_code, row)
    for model, owner in SHARED_OWNED.items():
        uuid_name = _uuid_field(model)
        assert uuid_name is not None
        fields = [f.attname for f in model._meta.concrete_fields]
        for row in model._default_manager.values(*fields, owner):
            if row[owner] is not None:  # regional notifications belong to no municipality
                rows[("shared", model._meta.label, str(row[uuid_name]))] = (row[owner], row)
    return rows


def owners(rows: Snapshot) -> dict[str, str]:
    return {uuid: owner for (_where, _label, uuid), (owner, _row) in rows.items()}


def check_response(world: World, caller: Caller, req: Req, response: Any) -> None:
    """No 5xx, and no UUID of a municipality the caller may not read anywhere in the body."""
    where = f"{caller.label} {req.method} {req.path}"
    assert response.status_code < 500, (where, response.status_code)
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(SCANNED_TYPES):
        return  # PDF and XLSX are compressed: their contents are checked by the export tests
    body = b"".join(response.streaming_content) if response.streaming else response.content
    readable = caller.readable(world.codes)
    # A UUID the caller sent (an error echoing the address, say) tells it nothing new.
    sent = set(UUID_RE.findall(f"{req.path} {req.body}".lower().encode()))
    leaked = {
        (u, world.owner[u])
        for u in (m.decode() for m in set(UUID_RE.findall(body.lower())) - sent)
        if u in world.owner and world.owner[u] not in readable
    }
    assert not leaked, (where, response.status_code, sorted(leaked)[:5])


def check_writes(world: World, caller: Caller, req: Req, before: Snapshot, after: Snapshot) -> None:
    """Every added, removed or changed row belongs to a municipality the caller may change."""
    for key in before.keys() | after.keys():
        if before.get(key) != after.get(key):
            where, label, uuid = key
            owner = (before.get(key) or after[key])[0]
            assert owner in caller.writable(where, world.codes), (
                f"{caller.label} {req.method} {req.path} changed {label} {uuid} of {owner}"
            )


def send(world: World, caller: Caller, req: Req) -> None:
    """Send one request (a PATCH or PUT first reads the object for its ETag) and check the answer."""
    client = caller.client
    headers: dict[str, str] = {}
    if req.method in ("PATCH", "PUT"):
        current = client.get(req.path)
        world.sent.append(("GET", req.path, current.status_code))
        check_response(world, caller, Req("GET", req.path, api=True), current)
        headers["If-Match"] = current.get("ETag", '"0"')
    if req.method == "GET":
        response = client.get(req.path)
    elif req.api:
        call = {"PATCH": client.patch, "PUT": client.put}.get(req.method, client.post)
        response = call(req.path, req.body, format="json", headers=headers)
    else:
        response = client.post(req.path, req.body)
    world.sent.append((req.method, req.path, response.status_code))
    check_response(world, caller, req, response)


def run(world: World, caller: Caller, req: Req) -> None:
    if req.method == "GET":
        send(world, caller, req)
        return
    # Read afresh: a page may have written on a GET since the last write (a draft made on first visit).
    before = snapshot(world.municipalities)
    send(world, caller, req)
    after = snapshot(world.municipalities)
    check_writes(world, caller, req, before, after)
    world.rows, world.owner = after, owners(after)


# --- The world: three municipalities, every role, and the UUIDs to aim at ---------------------
def _caller(label: str, role: str, user: Any, cbs_code: str | None = None) -> Caller:
    client = APIClient()
    if user is not None:
        client.force_login(user)  # the pages use the session
        membership = user.memberships.first()
        if membership is not None:  # the API uses a token bound to the membership
            _token, key = api_token_create(membership=membership, name=f"isolation {label}")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return Caller(label, role, client, cbs_code)


@pytest.fixture
def world(heemstede, haarlem, bloemendaal, make_user, local_content, busy_round) -> World:
    municipalities = [heemstede, haarlem, bloemendaal]
    callers = [
        _caller(f"{role}@{m.cbs_code}", role, make_user(role, m), m.cbs_code)
        for m in municipalities
        for role in (Role.OOV, Role.GRIFFIE)
    ]
    callers += [
        _caller("adviser", Role.ADVISER, make_user(Role.ADVISER)),
        _caller("rbop", Role.RBOP, make_user(Role.RBOP)),
        _caller("none", "none", make_user(None)),
        _caller("anonymous", "anonymous", None),
    ]
    own_plan = {}
    for municipality in municipalities:
        # Every municipality has a draft in every round, naming one of its own plans (see ENDPOINTS).
        writer = make_user(Role.OOV, municipality)
        with schema_context(municipality.schema_name):
            own_plan[municipality.cbs_code] = str(SafetyPlan.objects.order_by("pk").values_list("uuid", flat=True)[0])
            for consultation in ConsultationRound.objects.all():
                draft = opinion_draft_get(consultation=consultation)
                opinion_draft_save(
                    actor=writer,
                    draft=draft,
                    expected_version=draft.version,
                    overall_position="",
                    overall_text=f"Concept van {municipality.name}, zie plan {own_plan[municipality.cbs_code]}",
                    points=[],
                )
    rows = snapshot(municipalities)
    by_label = {
        "plan": "municipalities.SafetyPlan",
        "priority": "municipalities.Priority",
        "kpi": "municipalities.Kpi",
        "year": "municipalities.ImplementationPlan",
        "action": "municipalities.Action",
    }
    pools = {kind: sorted(u for (_w, lbl, u) in rows if lbl == label) for kind, label in by_label.items()}
    pools["participation"] = sorted(u for (_w, lbl, u) in rows if lbl == "imv.Participation")
    pools["opinion"] = sorted(u for (_w, lbl, u) in rows if lbl == "imv.Opinion") or pools["participation"]
    pools["extension"] = sorted(u for (_w, lbl, u) in rows if lbl == "imv.ExtensionRequest") or pools["opinion"]
    pools["reaction"] = sorted(u for (_w, lbl, u) in rows if lbl == "imv.Reaction") or pools["opinion"]
    for kind, model in (("cycle", ImvCycle), ("round", ConsultationRound), ("theme", Theme), ("draft", DraftVersion)):
        pools[kind] = sorted(str(u) for u in model.objects.values_list("uuid", flat=True))
    assert all(pools.values()), {k: len(v) for k, v in pools.items()}
    with schema_context(heemstede.schema_name):
        kbv = Priority.objects.values_list("field_code", "theme_code").first()
        assert SafetyPlan.objects.exists()
    assert kbv is not None
    return World(municipalities, callers, pools, rows, owners(rows), kbv, own_plan)


@pytest.fixture(autouse=True)
def home_page_behind_tenant_blind_cache() -> Iterator[None]:
    """Wrap the municipality home page with the test-only cache (inert unless its setting is on).

    Wrapped from here, on the URL pattern, so that the production view carries no such cache.
    """
    pattern = next(
        p for p in municipality_urls.urlpatterns if isinstance(p, URLPattern) and p.name == "municipality_home"
    )
    original = pattern.callback
    pattern.callback = tenant_blind_cache(original)
    tenant_blind_cache_clear()
    yield
    pattern.callback = original
    tenant_blind_cache_clear()


def _request(world: World, n: int, caller_i: int, endpoint_i: int, target_i: int) -> tuple[Caller, Req]:
    caller = world.callers[caller_i % len(world.callers)]
    target = world.municipalities[target_i % len(world.municipalities)]

    def pick(kind: str) -> str:
        pool = world.pools[kind]
        return pool[n % len(pool)]

    return caller, ENDPOINTS[endpoint_i % len(ENDPOINTS)](world, target, pick, n)


def test_generated_requests_never_cross_the_tenant_boundary(world):
    @settings(
        max_examples=REQUESTS,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        n=st.integers(0, 10_000),
        caller_i=st.sampled_from(range(len(world.callers))),
        endpoint_i=st.sampled_from(range(len(ENDPOINTS))),
        target_i=st.sampled_from(range(len(world.municipalities))),
    )
    def property_holds(n: int, caller_i: int, endpoint_i: int, target_i: int) -> None:
        caller, req = _request(world, n, caller_i, endpoint_i, target_i)
        run(world, caller, req)

    property_holds()

    assert len(world.sent) >= REQUESTS
    # It did spread over the endpoints, and got past the door often enough to mean something.
    assert len({path.split("?")[0] for _method, path, _status in world.sent}) > 50
    statuses = Counter(status for _method, _path, status in world.sent)
    assert statuses[200] > REQUESTS // 5, statuses
    assert any(method != "GET" and status in (200, 201, 302) for method, _path, status in world.sent)


def test_tenant_blind_cache_is_caught_by_the_check(world):
    """The same check fails once the home page is cached without its tenant: it can see a leak."""
    by_label = {c.label: c for c in world.callers}
    heemstede, haarlem, _bloemendaal = world.municipalities
    visit_heemstede = (by_label[f"{Role.OOV}@GM0397"], page(f"/gemeenten/{heemstede.slug}/"))
    visit_haarlem = (by_label[f"{Role.OOV}@GM0392"], page(f"/gemeenten/{haarlem.slug}/"))

    # Off (the default): the cache does nothing, the sequence passes.
    for caller, req in (visit_heemstede, visit_haarlem):
        run(world, caller, req)

    with override_settings(PORTAL_TEST_TENANT_BLIND_CACHE=True):
        run(world, *visit_heemstede)  # fills the cache with Heemstede's home page
        with pytest.raises(AssertionError, match=r"GM0397"):
            run(world, *visit_haarlem)  # Haarlem's staff get Heemstede's plans
