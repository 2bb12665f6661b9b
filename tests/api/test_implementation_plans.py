"""/api/v1/gemeenten/{cbs_code}/uitvoeringsplannen and their acties, and municipalities.actions."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from municipalities.models import ActionStatus, ImplementationPlan, Priority, SafetyPlan
from municipalities.services import action_save, priority_save
from tenants.models import Role
from tests.api.conftest import etag_of, local_url, schema_local_rows
from tests.query_budget import max_work_queries

PROBLEM = "application/problem+json"


@pytest.fixture
def staff(make_user, api_client_for, heemstede):
    return api_client_for(make_user(Role.OOV, heemstede))


@pytest.fixture
def yearly_2020(heemstede, local_content) -> str:
    with schema_context(heemstede.schema_name):
        return str(ImplementationPlan.objects.get(year=2020).uuid)


def actions_in(municipality, yearly: str) -> dict[str, dict]:
    rows = schema_local_rows(municipality)["acties"]
    return {u: r for u, r in rows.items() if str(r["implementation_plan__uuid"]) == yearly}


def actions_url(municipality, yearly: str, *parts: object) -> str:
    return local_url(municipality, "uitvoeringsplannen", yearly, "acties", *parts)


def invalid_names(response) -> set[str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    return {p["name"] for p in response.json()["invalidParams"]}


def test_yearly_plans_list_their_actions_oldest_year_first(staff, heemstede, local_content):
    response = staff.get(local_url(heemstede, "uitvoeringsplannen"))

    assert response.status_code == 200
    plans = response.json()["results"]
    assert [p["jaar"] for p in plans] == [2020, 2024]
    action = plans[0]["acties"][0]
    assert set(action) == {"uuid", "titel", "trekker", "deadline", "kosten", "status", "prioriteit", "_links"}
    assert (action["trekker"], action["deadline"], action["kosten"], action["status"]) == (
        "Team OOV",
        "2020-06-01",
        2500.0,
        "gepland",
    )
    assert action["_links"]["self"]["href"] == actions_url(heemstede, plans[0]["uuid"], action["uuid"])


def test_yearly_plans_filter_by_year_and_plan(staff, heemstede, local_content):
    rows = schema_local_rows(heemstede)

    assert [
        p["jaar"] for p in staff.get(local_url(heemstede, "uitvoeringsplannen"), {"jaar": 2024}).json()["results"]
    ] == [2024]
    for plan_uuid in rows["veiligheidsplannen"]:
        listed = staff.get(local_url(heemstede, "uitvoeringsplannen"), {"veiligheidsplan": plan_uuid}).json()["results"]
        assert [p["veiligheidsplan"] for p in listed] == [plan_uuid]
    assert invalid_names(staff.get(local_url(heemstede, "uitvoeringsplannen"), {"jaar": "twintig"})) == {"jaar"}


def test_yearly_plan_put_is_405(staff, heemstede, yearly_2020):
    response = staff.put(local_url(heemstede, "uitvoeringsplannen", yearly_2020), {"terugblik": "x"}, format="json")

    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM


def test_action_post_adds_it_to_the_yearly_plan(staff, heemstede, yearly_2020):
    priority = next(iter(schema_local_rows(heemstede)["prioriteiten"]))

    response = staff.post(
        actions_url(heemstede, yearly_2020),
        {
            "titel": "Buurtpreventie-app",
            "trekker": "Wijkagent",
            "deadline": "2020-11-30",
            "kosten": "750.50",
            "prioriteit": priority,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    created = response.json()
    assert response["Location"] == actions_url(heemstede, yearly_2020, created["uuid"])
    assert response["ETag"] == etag_of(staff, response["Location"])
    assert (created["status"], created["kosten"], created["prioriteit"]) == ("gepland", 750.5, priority)
    row = schema_local_rows(heemstede)["acties"][created["uuid"]]
    assert str(row["implementation_plan__uuid"]) == yearly_2020
    assert row["cost"] == Decimal("750.50")


def test_action_patch_changes_status_and_clears_with_null(staff, heemstede, yearly_2020):
    action_uuid, before = next((u, r) for u, r in actions_in(heemstede, yearly_2020).items() if r["cost"] is not None)
    url = actions_url(heemstede, yearly_2020, action_uuid)
    etag = etag_of(staff, url)

    response = staff.patch(
        url, {"status": "gereed", "kosten": None, "prioriteit": None}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] not in (etag, None)
    after = schema_local_rows(heemstede)["acties"][action_uuid]
    assert after == {**before, "status": ActionStatus.DONE, "cost": None, "priority__uuid": None}


def test_action_patch_without_or_with_stale_etag_changes_nothing(staff, heemstede, yearly_2020, all_local_rows):
    url = actions_url(heemstede, yearly_2020, next(iter(actions_in(heemstede, yearly_2020))))
    stale = etag_of(staff, url)
    assert staff.patch(url, {"status": "lopend"}, format="json", HTTP_IF_MATCH=stale).status_code == 200
    before = all_local_rows()

    missing = staff.patch(url, {"status": "gereed"}, format="json")
    outdated = staff.patch(url, {"status": "gereed"}, format="json", HTTP_IF_MATCH=stale)

    assert (missing.status_code, outdated.status_code) == (428, 412)
    assert all_local_rows() == before
    # "*": any current version (RFC 9110), so the change goes through.
    assert staff.patch(url, {"status": "gereed"}, format="json", HTTP_IF_MATCH="*").status_code == 200


def test_action_post_names_every_invalid_field(staff, heemstede, yearly_2020, all_local_rows):
    before = all_local_rows()

    response = staff.post(
        actions_url(heemstede, yearly_2020),
        {
            "titel": "",
            "trekker": "x" * 201,
            "deadline": "31-12-2020",
            "status": "klaar",
            "kosten": "gratis",
            "eigenaar": "y",
        },
        format="json",
    )

    assert invalid_names(response) == {"titel", "trekker", "deadline", "status", "kosten", "eigenaar"}
    assert all_local_rows() == before


def test_action_post_with_negative_cost_is_refused_by_the_service(staff, heemstede, yearly_2020):
    response = staff.post(
        actions_url(heemstede, yearly_2020), {"titel": "Korting", "trekker": "OOV", "kosten": -10}, format="json"
    )

    assert invalid_names(response) == {"kosten"}
    assert response.json()["detail"] == "De actie is niet opgeslagen."


def test_action_cannot_serve_a_priority_of_another_plan_of_the_municipality(staff, heemstede, local_content):
    with schema_context(heemstede.schema_name):
        newer = SafetyPlan.objects.get(period_start=2024)
        other_plan_priority = priority_save(
            municipality=heemstede, plan=newer, title="Nieuw", field_code="1", theme_code="1.1", imv_themes=[]
        )
        yearly_2024 = str(ImplementationPlan.objects.get(year=2024).uuid)
        yearly_2020 = str(ImplementationPlan.objects.get(year=2020).uuid)
    good = staff.post(
        actions_url(heemstede, yearly_2024),
        {"titel": "Past", "trekker": "OOV", "prioriteit": str(other_plan_priority.uuid)},
        format="json",
    )
    wrong = staff.post(
        actions_url(heemstede, yearly_2020),
        {"titel": "Past niet", "trekker": "OOV", "prioriteit": str(other_plan_priority.uuid)},
        format="json",
    )

    assert good.status_code == 201
    assert invalid_names(wrong) == {"prioriteit"}


def test_action_under_an_unknown_yearly_plan_is_404(staff, heemstede):
    response = staff.post(actions_url(heemstede, str(uuid.uuid4())), {"titel": "x", "trekker": "y"}, format="json")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("role", [Role.ADVISER, Role.RBOP])
def test_action_writes_by_regional_readers_are_403(role, make_user, api_client_for, heemstede, yearly_2020):
    client = api_client_for(make_user(role))

    response = client.post(actions_url(heemstede, yearly_2020), {"titel": "x", "trekker": "y"}, format="json")

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM


def test_yearly_plan_and_action_lists_stay_within_query_budget(make_user, api_client_for, heemstede, yearly_2020):
    client = api_client_for(make_user(Role.RBOP))
    with schema_context(heemstede.schema_name):
        plan = SafetyPlan.objects.get(period_start=2020)
        priority = Priority.objects.filter(plan=plan).first()
        for year in range(2021, 2024):
            yearly = ImplementationPlan.objects.create(plan=plan, year=year)
            for n in range(10):
                action_save(
                    municipality=heemstede,
                    implementation_plan=yearly,
                    title=f"Actie {n}",
                    owner="OOV",
                    deadline=date(year, 1 + n, 1),
                    priority=priority,
                )

    # token, last_used_at, municipality, count, page, actions: six however many rows
    # + 2: setting and restoring portal.tenant for row-level security (tenants.rls)
    with max_work_queries(6 + 2):
        response = client.get(local_url(heemstede, "uitvoeringsplannen"), {"pageSize": 100})
    assert response.json()["count"] == 5
    # … plus the yearly plan itself for the nested list
    # + 2: setting and restoring portal.tenant for row-level security (tenants.rls)
    with max_work_queries(6 + 2):
        response = client.get(actions_url(heemstede, yearly_2020), {"pageSize": 100})
    assert response.json()["count"] == 2
