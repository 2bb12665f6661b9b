"""GET /api/v1/afstemming and /api/v1/afstemming/gemeenten/{cbs_code}: who reads what, what the figures
say (the same as imv.analytics), and that they come from the shared projection, never from a schema."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from imv import analytics
from imv.models import ImvCycle, PriorityProjection
from municipalities.models import SafetyPlan
from tenants.models import MUNICIPAL_ROLES, REGIONAL_ROLES, District, Membership, PoliceUnit, Role
from tests.api.conftest import etag_of, local_url

MUNICIPAL = sorted(MUNICIPAL_ROLES)
REGIONAL = sorted(REGIONAL_ROLES)
PROBLEM = "application/problem+json"


def overview(client, cycle, **params):
    return client.get("/api/v1/afstemming", {"imvCyclus": str(cycle.uuid), **params})


def of_municipality(client, municipality, cycle):
    return client.get(f"/api/v1/afstemming/gemeenten/{municipality.cbs_code}", {"imvCyclus": str(cycle.uuid)})


def invalid_names(response) -> set[str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    return {p["name"] for p in response.json()["invalidParams"]}


@pytest.mark.parametrize("role", REGIONAL)
def test_overview_per_theme_is_what_imv_alignment_says_least_covered_first(role, make_user, api_client_for, cycle):
    client = api_client_for(make_user(role))

    response = overview(client, cycle)

    assert response.status_code == 200, response.content
    body = response.json()
    coverage, considered = analytics.alignment_by_theme(cycle=cycle)
    assert body["aantalGemeentenBeschouwd"] == considered == 3
    assert [t["thema"]["uuid"] for t in body["themas"]] == [str(c.theme.uuid) for c in coverage]
    for item, expected in zip(body["themas"], coverage, strict=True):
        assert item["aantalGemeenten"] == expected.count == len(item["gemeenten"])
        assert [g["cbsCode"] for g in item["gemeenten"]] == [m.cbs_code for m in expected.municipalities]
    counts = [t["aantalGemeenten"] for t in body["themas"]]
    assert counts == sorted(counts)
    assert body["bevatVoorbeelden"] is True  # Haarlem's and Bloemendaal's plans are invented
    assert body["imvCyclus"]["uuid"] == str(cycle.uuid)


@pytest.mark.parametrize("role", MUNICIPAL)
def test_overview_is_403_for_municipal_staff_before_anything_else(
    role, make_user, api_client_for, municipalities, cycle
):
    for own in municipalities:
        client = api_client_for(make_user(role, own))
        for response in (
            overview(client, cycle),
            client.get("/api/v1/afstemming"),
            overview(client, cycle, district="x"),
        ):
            assert response.status_code == 403, (role, own.cbs_code)
            assert response["Content-Type"] == PROBLEM
            assert "/afstemming/gemeenten/" in response.json()["detail"]


@pytest.mark.parametrize("role", MUNICIPAL + REGIONAL)
def test_municipality_alignment_is_readable_by_its_staff_and_the_region_only(
    role, make_user, api_client_for, municipalities, cycle
):
    callers = (
        [(make_user(role, m), {m.cbs_code}) for m in municipalities]
        if role in MUNICIPAL_ROLES
        else [(make_user(role), {m.cbs_code for m in municipalities})]
    )
    for user, visible in callers:
        client = api_client_for(user)
        for target in municipalities:
            response = of_municipality(client, target, cycle)
            if target.cbs_code not in visible:
                assert response.status_code == 404, (role, visible, target.cbs_code)
                assert response["Content-Type"] == PROBLEM
                continue
            assert response.status_code == 200, (role, target.cbs_code)
            body = response.json()
            assert body["gemeente"]["cbsCode"] == target.cbs_code
            expected = analytics.alignment_for_municipality(municipality=target, cycle=cycle)
            projected = set(PriorityProjection.objects.filter(municipality=target).values_list("title", flat=True))
            assert [k["prioriteit"] for k in body["koppelingen"]] == [link["title"] for link in expected.links]
            assert {k["prioriteit"] for k in body["koppelingen"]} <= projected  # only this municipality's
            assert body["ongekoppeldePrioriteiten"] == expected.unlinked_priorities
            assert [t["uuid"] for t in body["onbedekteThemas"]] == [str(t.uuid) for t in expected.uncovered_themes]
            assert body["dekking"] == {
                "waarde": expected.coverage,
                "teller": expected.covered,
                "noemer": expected.adopted,
                "formule": analytics.COVERAGE_FORMULA,
            }
            assert body["aansluiting"] == {
                "waarde": expected.fit,
                "teller": expected.linked_priorities,
                "noemer": expected.priorities,
                "formule": analytics.FIT_FORMULA,
            }


def test_alignment_follows_a_priority_written_through_the_api(make_user, api_client_for, haarlem, cycle):
    staff = api_client_for(make_user(Role.OOV, haarlem))
    adviser = api_client_for(make_user(Role.ADVISER))
    theme = next(
        t for t in overview(adviser, cycle).json()["themas"] if "GM0392" not in {g["cbsCode"] for g in t["gemeenten"]}
    )
    with schema_context(haarlem.schema_name):
        plan = str(SafetyPlan.objects.get().uuid)

    created = staff.post(
        local_url(haarlem, "prioriteiten"),
        {
            "titel": "Nieuwe koppeling",
            "veiligheidsveld": "3",
            "thema": "3.1",
            "imvThemas": [theme["thema"]["uuid"]],
            "veiligheidsplan": plan,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    after_post = next(t for t in overview(adviser, cycle).json()["themas"] if t["thema"] == theme["thema"])
    assert "GM0392" in {g["cbsCode"] for g in after_post["gemeenten"]}
    assert after_post["aantalGemeenten"] == theme["aantalGemeenten"] + 1
    own = of_municipality(staff, haarlem, cycle).json()
    assert {"prioriteit": "Nieuwe koppeling", "themas": [theme["thema"]]} in own["koppelingen"]

    url = created["Location"]
    assert staff.delete(url, HTTP_IF_MATCH=etag_of(staff, url)).status_code == 204
    after_delete = next(t for t in overview(adviser, cycle).json()["themas"] if t["thema"] == theme["thema"])
    assert after_delete == theme


def test_alignment_reads_never_enter_a_municipality_schema(make_user, api_client_for, heemstede, cycle):
    client = api_client_for(make_user(Role.ADVISER))

    with CaptureQueriesContext(connection) as captured:
        assert overview(client, cycle).status_code == 200
        assert of_municipality(client, heemstede, cycle).status_code == 200

    schemas = {q["sql"] for q in captured.captured_queries if q["sql"].startswith("SET search_path")}
    assert schemas == {'SET search_path = "public"'}


def test_overview_by_district(make_user, api_client_for, cycle, noord_holland):
    client = api_client_for(make_user(Role.RBOP))

    same = overview(client, cycle, district="kennemerland")

    assert same.status_code == 200
    assert same.json()["district"] == "Kennemerland"
    assert same.json()["aantalGemeentenBeschouwd"] == 3
    assert "district=Kennemerland" in same.json()["_links"]["self"]["href"]
    other = District.objects.filter(police_unit=noord_holland).exclude(name="Kennemerland").first()
    if other is not None:
        elsewhere = overview(client, cycle, district=other.name).json()
        assert elsewhere["aantalGemeentenBeschouwd"] == 0
        assert all(t["aantalGemeenten"] == 0 for t in elsewhere["themas"])
    assert invalid_names(overview(client, cycle, district="Utrecht")) == {"district"}


def test_alignment_needs_a_valid_imv_of_the_unit(make_user, api_client_for, heemstede, cycle):
    client = api_client_for(make_user(Role.ADVISER))
    other_unit = PoliceUnit.objects.create(name="Midden-Nederland", slug="midden-nederland")
    foreign = ImvCycle.objects.create(
        police_unit=other_unit, name="IMV Midden-Nederland", period_start=2024, period_end=2027
    )

    for path in ("/api/v1/afstemming", f"/api/v1/afstemming/gemeenten/{heemstede.cbs_code}"):
        assert invalid_names(client.get(path)) == {"imvCyclus"}
        assert invalid_names(client.get(path, {"imvCyclus": "IMV 2024"})) == {"imvCyclus"}
        assert invalid_names(client.get(path, {"imvCyclus": str(uuid.uuid4())})) == {"imvCyclus"}
        assert invalid_names(client.get(path, {"imvCyclus": str(foreign.uuid)})) == {"imvCyclus"}
        assert client.get(path, {"imvCyclus": str(cycle.uuid)}).status_code == 200


def test_alignment_for_an_adviser_of_another_unit(make_user, api_client_for, heemstede, cycle):
    other_unit = PoliceUnit.objects.create(name="Midden-Nederland", slug="midden-nederland")
    user = make_user(None)
    Membership.objects.create(user=user, role=Role.ADVISER, police_unit=other_unit)
    client = api_client_for(user)

    assert invalid_names(overview(client, cycle)) == {"imvCyclus"}  # not an IMV of their unit
    response = of_municipality(client, heemstede, cycle)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_alignment_without_token_is_401(client, heemstede, cycle):
    assert overview(client, cycle).status_code == 401
    assert of_municipality(client, heemstede, cycle).status_code == 401


def test_alignment_reads_stay_within_query_budget(
    make_user, api_client_for, heemstede, cycle, django_assert_max_num_queries
):
    client = api_client_for(make_user(Role.ADVISER))

    # token, last_used_at, cycle, municipalities, themes (twice: imv.analytics walks the tree twice),
    # projection, examples: eight (each captured twice with django-tenants' SET search_path)
    with django_assert_max_num_queries(2 * 8):
        assert overview(client, cycle).status_code == 200
    # token, last_used_at, municipality, cycle, themes (twice), projection, examples
    with django_assert_max_num_queries(2 * 8):
        assert of_municipality(client, heemstede, cycle).status_code == 200
