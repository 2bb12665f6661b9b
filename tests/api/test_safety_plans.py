"""GET/PATCH /api/v1/gemeenten/{cbs_code}/veiligheidsplannen[/{uuid}]: fields, access, validation."""

from __future__ import annotations

import uuid

import pytest

from municipalities.models import PlanStatus, SafetyPlan
from portal.exceptions import PortalError
from tenants.models import Role
from tests.api.conftest import plans_url, schema_plans
from tests.query_budget import max_work_queries

PROBLEM = "application/problem+json"


def test_plan_list_shows_dutch_camelcase_fields(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.OOV, heemstede))

    response = client.get(plans_url(heemstede))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    plan = body["results"][0]
    assert set(plan) == {
        "uuid",
        "titel",
        "eersteJaar",
        "laatsteJaar",
        "status",
        "samenvatting",
        "isVoorbeeld",
        "_links",
    }
    assert plan["titel"] == "Beleidsplan Integrale Veiligheid Heemstede 2024-2027"  # newest first
    assert (plan["eersteJaar"], plan["laatsteJaar"]) == (2024, 2027)
    assert plan["status"] == PlanStatus.IN_PREPARATION
    assert plan["isVoorbeeld"] is False
    assert plan["_links"] == {
        "self": {"href": f"/api/v1/gemeenten/GM0397/veiligheidsplannen/{plan['uuid']}"},
        "gemeente": {"href": "/api/v1/gemeenten/GM0397"},
    }


def test_plan_detail_is_found_by_uuid(make_user, api_client_for, haarlem):
    client = api_client_for(make_user(Role.GRIFFIE, haarlem))
    [plan_uuid] = schema_plans(haarlem)

    response = client.get(plans_url(haarlem, plan_uuid))

    assert response.status_code == 200
    assert response.json()["uuid"] == plan_uuid
    assert response.json()["isVoorbeeld"] is True


def test_plan_detail_with_unknown_uuid_is_404_problem(make_user, api_client_for, haarlem):
    client = api_client_for(make_user(Role.OOV, haarlem))

    response = client.get(plans_url(haarlem, str(uuid.uuid4())))

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_plan_detail_with_malformed_uuid_is_404_problem(make_user, api_client_for, haarlem):
    client = api_client_for(make_user(Role.OOV, haarlem))

    response = client.get(plans_url(haarlem, "not-a-uuid"))

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_plan_list_of_unknown_municipality_is_404(make_user, api_client_for):
    client = api_client_for(make_user(Role.ADVISER))

    response = client.get("/api/v1/gemeenten/GM9999/veiligheidsplannen")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_plan_list_of_inactive_municipality_is_404(make_user, api_client_for, bloemendaal):
    client = api_client_for(make_user(Role.ADVISER))
    bloemendaal.is_active = False
    bloemendaal.save(update_fields=["is_active"])

    assert client.get(plans_url(bloemendaal)).status_code == 404


def test_plan_list_without_token_is_401_problem_with_challenge(client, heemstede):
    response = client.get(plans_url(heemstede))

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_plan_list_for_signed_in_staff_works_with_session(make_user, client_for, heemstede):
    response = client_for(make_user(Role.OOV, heemstede)).get(plans_url(heemstede))

    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_plan_list_stays_within_query_budget(make_user, api_client_for, heemstede, in_schema):
    client = api_client_for(make_user(Role.OOV, heemstede))
    with in_schema(heemstede):
        for year in range(2030, 2060, 4):
            SafetyPlan.objects.create(title=f"Plan {year}", period_start=year, period_end=year + 3)

    # token, last_used_at, municipality, count, page, and setting and restoring portal.tenant for
    # row-level security (tenants.rls)
    with max_work_queries(7):
        assert client.get(plans_url(heemstede)).json()["count"] == 10


def test_plan_patch_by_staff_changes_title_status_and_summary(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.OOV, heemstede))
    plan_uuid = next(u for u, row in schema_plans(heemstede).items() if row["status"] == PlanStatus.IN_PREPARATION)

    response = client.patch(
        plans_url(heemstede, plan_uuid),
        {"titel": "Nieuwe titel", "status": PlanStatus.DRAFT, "samenvatting": "Kort."},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["titel"] == "Nieuwe titel"
    row = schema_plans(heemstede)[plan_uuid]
    assert (row["title"], row["status"], row["summary"]) == ("Nieuwe titel", PlanStatus.DRAFT, "Kort.")


def test_plan_patch_keeps_fields_that_are_not_sent(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.GRIFFIE, heemstede))
    plan_uuid, before = next(iter(schema_plans(heemstede).items()))

    response = client.patch(plans_url(heemstede, plan_uuid), {"samenvatting": ""}, format="json")

    assert response.status_code == 200, response.json()
    after = schema_plans(heemstede)[plan_uuid]
    assert (after["title"], after["status"], after["summary"]) == (before["title"], before["status"], "")


def test_plan_patch_lists_every_invalid_and_unknown_field(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.OOV, heemstede))
    plan_uuid, before = next(iter(schema_plans(heemstede).items()))

    response = client.patch(
        plans_url(heemstede, plan_uuid),
        {"titel": "", "status": "gesloopt", "eersteJaar": 1999, "title": "English"},
        format="json",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["title"] == "Ongeldige invoer"
    assert {p["name"] for p in body["invalidParams"]} == {"titel", "status", "eersteJaar", "title"}
    assert all(p["reason"] for p in body["invalidParams"])
    assert schema_plans(heemstede)[plan_uuid] == before


def test_plan_patch_with_empty_body_is_400(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.OOV, heemstede))
    plan_uuid = next(iter(schema_plans(heemstede)))

    response = client.patch(plans_url(heemstede, plan_uuid), {}, format="json")

    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["nonFieldErrors"]


def test_plan_patch_with_too_long_title_is_400(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.OOV, heemstede))
    plan_uuid = next(iter(schema_plans(heemstede)))

    response = client.patch(plans_url(heemstede, plan_uuid), {"titel": "x" * 201}, format="json")

    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "titel"


def test_plan_patch_service_error_is_problem_with_api_field_names(make_user, api_client_for, heemstede, monkeypatch):
    def refuse(**kwargs: object) -> SafetyPlan:
        raise PortalError("Het veiligheidsplan is niet opgeslagen.", errors={"title": ["Te lang."]})

    monkeypatch.setattr("api.v1.plans.safety_plans.safety_plan_update", refuse)
    client = api_client_for(make_user(Role.OOV, heemstede))
    plan_uuid = next(iter(schema_plans(heemstede)))

    response = client.patch(plans_url(heemstede, plan_uuid), {"titel": "Goed"}, format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["detail"] == "Het veiligheidsplan is niet opgeslagen."
    assert body["invalidParams"] == [{"name": "titel", "code": "invalid", "reason": "Te lang."}]


def test_plan_put_is_405_problem(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.OOV, heemstede))
    plan_uuid = next(iter(schema_plans(heemstede)))

    response = client.put(plans_url(heemstede, plan_uuid), {"titel": "x"}, format="json")

    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("role", [Role.ADVISER, Role.RBOP])
def test_plan_patch_by_regional_reader_is_403_problem(make_user, api_client_for, heemstede, role):
    client = api_client_for(make_user(role))
    plan_uuid = next(iter(schema_plans(heemstede)))

    response = client.patch(plans_url(heemstede, plan_uuid), {"titel": "Overgenomen"}, format="json")

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Geen toegang"
