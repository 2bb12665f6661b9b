"""Caches: nothing one municipality's request leaves behind is served to another's.

The portal does not use Django's cache framework (no cache_page, no {% cache %}, no
django.core.cache; a guard below keeps it so until a use comes with a tenant-keyed test). What it
does keep between requests, each checked here as A (Heemstede) and then B (Haarlem):

- three memoised functions (functools.cache) of national reference data: they read files, never
  a row, so they cannot hold anything of a municipality;
- the schema that django-tenants sets on the database connection, which is reused from request to
  request (CONN_MAX_AGE): each request sets it from its own path and leaves public behind;
- the shared-schema copy of every municipality's priorities (imv.PriorityProjection), keyed by the
  municipality and read by the alignment figures;
- HTTP caches between browser and portal: municipality data under an address without the
  municipality (/, /meldingen/) varies by session cookie; authenticated API answers say no-store.

Seen to fail: with @cache on notification_unread_count the guard named it; with the
municipality filter dropped from imv.analytics._projection, B's alignment listed A's new
priority; with the finally of tenants.middleware.TenantPathMiddleware removed, the connection was
still in gm0397 after A's request; with the API's no-store removed, the header assertion failed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from imv.exports import fonts
from imv.selectors import dashboard
from municipalities import reference
from municipalities.models import SafetyPlan
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("api", "frontend", "imv", "municipalities", "portal", "tenants")
DJANGO_CACHE = re.compile(r"django\.core\.cache|cache_page|cached_db|\{%\s*cache\b|\bcaches\[|vary_on_(headers|cookie)")
# Memoised functions, with why they are the same for every municipality.
MEMOISED = {
    "municipalities.reference.kbv_themes": "the VNG Kernbeleid Veiligheid table, from a CSV in the repository",
    "municipalities.reference.kbv_fields": "the same table's five safety fields",
    "imv.selectors.dashboard.boundaries": "CBS municipal boundaries, from a GeoJSON file in the repository",
    "imv.exports.fonts.font_cmaps": "which characters each PDF font file from Debian's packages covers",
    "api.docs.document._document": "the OpenAPI document, generated from the code without a request",
    "api.docs.document._reference": "the docs page's reading of that document, per language",
}


def source_files() -> list[Path]:
    files = []
    for package in PACKAGES:
        files += [
            p for p in (ROOT / package).rglob("*") if p.suffix in (".py", ".html") and "migrations" not in p.parts
        ]
    return files


def memoised_functions(path: Path) -> set[str]:
    """Functions decorated with functools' cache or lru_cache (cached_property is per object, not shared)."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name in ("cache", "lru_cache"):
                    found.add(f"{module}.{node.name}")
    return found


def test_only_reference_data_is_cached_in_the_process():
    uses = [str(p.relative_to(ROOT)) for p in source_files() if DJANGO_CACHE.search(p.read_text(encoding="utf-8"))]
    assert uses == [], "Django's cache in use: key it by the schema and add a test as A then B to this module"
    memoised = set().union(*(memoised_functions(p) for p in source_files() if p.suffix == ".py"))
    assert memoised == set(MEMOISED), "a new memoised function: may it hold a municipality's data?"


@pytest.mark.parametrize("order", [("heemstede", "haarlem"), ("haarlem", "heemstede")])
def test_memoised_reference_data_reads_no_rows_and_is_the_same_in_every_schema(
    request, order, django_assert_num_queries
):
    functions = [reference.kbv_themes, reference.kbv_fields, dashboard.boundaries, fonts.font_cmaps]
    for function in functions:
        function.cache_clear()
    first, second = (request.getfixturevalue(name) for name in order)
    with schema_context(first.schema_name), django_assert_num_queries(0):
        filled = [function() for function in functions]  # filled while in A's schema, reading no row
    with schema_context(second.schema_name), django_assert_num_queries(0):
        served = [function() for function in functions]
    assert all(a is b for a, b in zip(filled, served, strict=True))


def plan_uuids(municipality: Municipality) -> set[str]:
    with schema_context(municipality.schema_name):
        return {str(u) for u in SafetyPlan.objects.values_list("uuid", flat=True)}


def test_the_connection_is_back_in_public_after_each_municipalitys_request(
    staff_of, client_for, api_client_for, heemstede, haarlem, monkeypatch
):
    for own, other in ((heemstede, haarlem), (haarlem, heemstede)):
        page, api = client_for(staff_of(own)), api_client_for(staff_of(own))
        for client, url in (
            (page, f"/gemeenten/{own.slug}/"),
            (api, f"/api/v1/gemeenten/{own.cbs_code}/veiligheidsplannen"),
        ):
            body = client.get(url).content.decode()
            assert connection.schema_name == "public", url  # type: ignore[attr-defined]
            assert any(u in body for u in plan_uuids(own)), url
            assert not [u for u in plan_uuids(other) if u in body], url

    # Also when the view fails inside the municipality's schema.
    def broken(**kwargs):
        raise RuntimeError("the selector failed")

    monkeypatch.setattr("municipalities.views.home.safety_plan_list", broken)
    page = client_for(staff_of(heemstede))
    page.raise_request_exception = False
    assert page.get(f"/gemeenten/{heemstede.slug}/").status_code == 500
    assert connection.schema_name == "public"  # type: ignore[attr-defined]


def test_the_shared_copy_of_priorities_serves_each_municipality_its_own(
    cycle, top_themes, staff_of, client_for, api_client_for, heemstede, haarlem
):
    titles = {}
    for municipality in (heemstede, haarlem):
        with schema_context(municipality.schema_name):
            plan = SafetyPlan.objects.filter(
                period_start__lte=cycle.period_end, period_end__gte=cycle.period_start
            ).first()
        assert plan is not None
        titles[municipality.cbs_code] = f"Ondermijning in de haven van {municipality.name}"
        response = client_for(staff_of(municipality)).post(
            f"/gemeenten/{municipality.slug}/veiligheidsplannen/{plan.uuid}/prioriteiten/nieuw/",
            {
                "title": titles[municipality.cbs_code],
                "field_code": "2",
                "theme_code": "2.1",
                "imv_themes": [str(top_themes[0].uuid)],
            },
        )
        assert response.status_code == 302, response.content

    for own, other in ((heemstede, haarlem), (haarlem, heemstede)):
        api = api_client_for(staff_of(own))
        mine = api.get(f"/api/v1/afstemming/gemeenten/{own.cbs_code}", {"imvCyclus": str(cycle.uuid)})
        assert mine.status_code == 200
        assert titles[own.cbs_code] in mine.content.decode()
        assert titles[other.cbs_code] not in mine.content.decode()
        assert (
            api.get(f"/api/v1/afstemming/gemeenten/{other.cbs_code}", {"imvCyclus": str(cycle.uuid)}).status_code == 404
        )


def test_municipality_data_without_the_municipality_in_the_address_is_never_shared_by_a_cache(
    staff_of, client_for, api_client_for, heemstede, haarlem
):
    for municipality in (heemstede, haarlem):
        page = client_for(staff_of(municipality))
        for url in ("/", "/meldingen/"):
            response = page.get(url)
            assert response.status_code == 200
            assert "Cookie" in response.get("Vary", ""), url  # each session its own copy in any cache
        api = api_client_for(staff_of(municipality)).get(
            f"/api/v1/gemeenten/{municipality.cbs_code}/veiligheidsplannen"
        )
        assert api.status_code == 200
        assert api["Cache-Control"] == "no-store"
