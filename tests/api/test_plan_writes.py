"""POST /gemeenten/{cbs_code}/veiligheidsplannen and DELETE …/veiligheidsplannen/{uuid}: a municipality
makes its new plan and removes one made by mistake, through the services of the pages (same rules,
same Dutch messages, same audit)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from imv.models import PriorityProjection
from municipalities.models import PlanDecision, PlanStatus
from municipalities.services import priority_save
from tenants.models import AuditEvent, Role
from tests.api.conftest import etag_of, plans_url, schema_plans
from tests.municipalities.plan_helpers import plan_2024

PROBLEM = "application/problem+json"
NEW_PLAN = {"titel": "Integraal Veiligheidsplan Heemstede 2028-2031", "eersteJaar": 2028, "laatsteJaar": 2031}


@pytest.fixture
def oov(make_user, heemstede):
    return make_user(Role.OOV, heemstede)


@pytest.fixture
def staff(oov, api_client_for):
    return api_client_for(oov)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


def test_plan_post_makes_the_plan_with_location_etag_and_audit(staff, oov, heemstede):
    response = staff.post(plans_url(heemstede), {**NEW_PLAN, "samenvatting": "Samen veilig."}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == plans_url(heemstede, body["uuid"])
    assert response["ETag"] == etag_of(staff, response["Location"])
    assert (body["titel"], body["eersteJaar"], body["laatsteJaar"]) == (NEW_PLAN["titel"], 2028, 2031)
    assert (body["status"], body["isVoorbeeld"], body["planstappen"]) == (PlanStatus.IN_PREPARATION, False, [])
    stored = schema_plans(heemstede)[body["uuid"]]
    assert (stored["title"], stored["status"], stored["summary"]) == (
        NEW_PLAN["titel"],
        "in_voorbereiding",
        "Samen veilig.",
    )
    audit = AuditEvent.objects.filter(object_uuid=body["uuid"], actor=oov, municipality=heemstede)
    assert set(audit.values_list("field", flat=True)) >= {"aangemaakt", "title", "period_start", "period_end"}


def test_plan_post_overlapping_another_plan_is_400_naming_eerste_jaar(staff, heemstede, all_plans):
    before = all_plans()

    body = problem(staff.post(plans_url(heemstede), {**NEW_PLAN, "eersteJaar": 2027}, format="json"), 400)

    assert body["detail"] == "Het veiligheidsplan is niet opgeslagen."
    [param] = body["invalidParams"]
    assert param["name"] == "eersteJaar"
    assert param["reason"].startswith(
        "Deze periode overlapt met “Beleidsplan Integrale Veiligheid Heemstede 2024-2027”"
    )
    assert all_plans() == before
    assert not AuditEvent.objects.filter(object_type="veiligheidsplan").exists()


def test_plan_post_names_every_invalid_and_unknown_field(staff, heemstede, all_plans):
    before = all_plans()

    response = staff.post(
        plans_url(heemstede),
        {"titel": "", "eersteJaar": 25, "laatsteJaar": "later", "status": "gesloopt", "periode": "2028-2031"},
        format="json",
    )

    body = problem(response, 400)
    assert {p["name"] for p in body["invalidParams"]} == {"titel", "eersteJaar", "laatsteJaar", "status", "periode"}
    assert all_plans() == before


def test_plan_post_longer_than_six_years_is_refused_by_the_service(staff, heemstede):
    body = problem(staff.post(plans_url(heemstede), {**NEW_PLAN, "laatsteJaar": 2034}, format="json"), 400)

    assert body["invalidParams"] == [
        {
            "name": "laatsteJaar",
            "code": "invalid",
            "reason": "Een plan beslaat één tot zes jaar, het laatste jaar na het eerste.",
        }
    ]


@pytest.mark.parametrize("role", [Role.ADVISER, Role.RBOP])
def test_plan_writes_by_regional_readers_are_403(role, make_user, api_client_for, heemstede, all_plans):
    client = api_client_for(make_user(role))
    before = all_plans()
    plan_uuid = str(plan_2024(heemstede).uuid)

    problem(client.post(plans_url(heemstede), NEW_PLAN, format="json"), 403)
    problem(
        client.delete(plans_url(heemstede, plan_uuid), HTTP_IF_MATCH=etag_of(client, plans_url(heemstede, plan_uuid))),
        403,
    )
    assert all_plans() == before


def test_plan_writes_for_another_municipality_are_404(make_user, api_client_for, heemstede, haarlem, all_plans):
    client = api_client_for(make_user(Role.OOV, haarlem))
    before = all_plans()
    plan_uuid = str(plan_2024(heemstede).uuid)

    problem(client.post(plans_url(heemstede), NEW_PLAN, format="json"), 404)
    problem(client.delete(plans_url(heemstede, plan_uuid), HTTP_IF_MATCH='"x"'), 404)
    # Heemstede's plan under Haarlem's own path is unknown there.
    problem(client.delete(plans_url(haarlem, plan_uuid), HTTP_IF_MATCH='"x"'), 404)
    assert all_plans() == before


def test_plan_delete_removes_it_with_its_priorities_projection(staff, oov, heemstede, all_plans):
    plan = plan_2024(heemstede)
    with schema_context(heemstede.schema_name):
        priority = priority_save(
            municipality=heemstede, plan=plan, title="Ondermijning", field_code="5", theme_code="5.2", imv_themes=[]
        )
    url = plans_url(heemstede, str(plan.uuid))

    response = staff.delete(url, HTTP_IF_MATCH=etag_of(staff, url))

    assert response.status_code == 204
    assert not response.content
    assert str(plan.uuid) not in all_plans()[heemstede.cbs_code]
    assert len(all_plans()[heemstede.cbs_code]) == 1
    assert not PriorityProjection.objects.filter(priority_uuid=priority.uuid).exists()
    assert AuditEvent.objects.get(object_uuid=plan.uuid, field="verwijderd").actor == oov
    assert AuditEvent.objects.filter(object_uuid=priority.uuid, field="verwijderd").exists()
    problem(staff.get(url), 404)


def test_plan_delete_without_or_with_stale_etag_removes_nothing(staff, heemstede, all_plans):
    uuid = str(plan_2024(heemstede).uuid)
    url = plans_url(heemstede, uuid)
    stale = etag_of(staff, url)
    assert staff.patch(url, {"samenvatting": "Bijgewerkt."}, format="json").status_code == 200
    before = all_plans()

    problem(staff.delete(url), 428)
    body = problem(staff.delete(url, HTTP_IF_MATCH=stale), 412)

    assert body["huidigeEtag"] == etag_of(staff, url)
    assert all_plans() == before
    # "*": any current version (RFC 9110), so the plan goes.
    assert staff.delete(url, HTTP_IF_MATCH="*").status_code == 204
    assert uuid not in all_plans()[heemstede.cbs_code]


def test_plan_delete_of_an_adopted_plan_is_409_with_the_reason(staff, heemstede, all_plans):
    adopted = next(u for u, row in all_plans()[heemstede.cbs_code].items() if row["status"] == PlanStatus.ADOPTED)
    url = plans_url(heemstede, adopted)
    before = all_plans()

    body = problem(staff.delete(url, HTTP_IF_MATCH=etag_of(staff, url)), 409)

    assert body["detail"].startswith("Het veiligheidsplan is vastgesteld en wordt daarom bewaard")
    assert all_plans() == before


def test_plan_delete_with_a_council_decision_is_409(staff, heemstede, all_plans):
    plan = plan_2024(heemstede)
    with schema_context(heemstede.schema_name):
        PlanDecision.objects.create(plan=plan, date="2024-01-25", case_number="Z-7", openbaarheid="openbaar")
    url = plans_url(heemstede, str(plan.uuid))
    before = all_plans()

    body = problem(staff.delete(url, HTTP_IF_MATCH=etag_of(staff, url)), 409)

    assert body["detail"].startswith("Bij het veiligheidsplan is een raadsbesluit vastgelegd")
    assert all_plans() == before
