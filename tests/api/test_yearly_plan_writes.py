"""POST/PATCH/DELETE /gemeenten/{cbs_code}/uitvoeringsplannen[/{uuid}], DELETE of an action, and the
yearly values (metingen) of an indicator: through the services of the plan page, with If-Match on
every change, the page's rules and Dutch messages, and the audit."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from municipalities.models import ImplementationPlan, SafetyPlan
from tenants.models import AuditEvent, Role
from tests.api.conftest import etag_of, local_url, schema_local_rows

PROBLEM = "application/problem+json"


@pytest.fixture
def oov(make_user, heemstede):
    return make_user(Role.OOV, heemstede)


@pytest.fixture
def staff(oov, api_client_for):
    return api_client_for(oov)


@pytest.fixture
def plan_2020(heemstede) -> str:
    with schema_context(heemstede.schema_name):
        return str(SafetyPlan.objects.get(period_start=2020).uuid)


@pytest.fixture
def yearly_2020(heemstede, local_content) -> str:
    with schema_context(heemstede.schema_name):
        return str(ImplementationPlan.objects.get(year=2020).uuid)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


def yearly_rows(heemstede) -> dict[str, dict]:
    return schema_local_rows(heemstede)["uitvoeringsplannen"]


def test_yearly_plan_post_patch_delete_through_the_api(staff, oov, heemstede, plan_2020):
    created = staff.post(
        local_url(heemstede, "uitvoeringsplannen"),
        {"veiligheidsplan": plan_2020, "jaar": 2021, "terugblik": "2020 liep goed."},
        format="json",
    )
    assert created.status_code == 201, created.content
    yearly = created.json()["uuid"]
    assert created["Location"] == local_url(heemstede, "uitvoeringsplannen", yearly)
    assert created["ETag"] == etag_of(staff, created["Location"])
    assert (created.json()["jaar"], created.json()["acties"]) == (2021, [])
    row = yearly_rows(heemstede)[yearly]
    assert (row["year"], row["look_back"], str(row["plan__uuid"])) == (2021, "2020 liep goed.", plan_2020)

    changed = staff.patch(created["Location"], {"jaar": 2022}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert changed.status_code == 200, changed.content
    assert yearly_rows(heemstede)[yearly]["year"] == 2022

    removed = staff.delete(created["Location"], HTTP_IF_MATCH=changed["ETag"])
    assert removed.status_code == 204
    assert yearly not in yearly_rows(heemstede)
    audited = AuditEvent.objects.filter(object_uuid=yearly, actor=oov, object_type="uitvoeringsplan")
    assert set(audited.values_list("field", flat=True)) >= {"aangemaakt", "year", "look_back", "plan", "verwijderd"}
    assert audited.filter(field="year", old_value="2021", new_value="2022").exists()


@pytest.mark.parametrize(
    ("year", "reason"),
    [
        (2025, "Kies een jaar van de planperiode (2020–2023)."),
        (2020, "Er is al een uitvoeringsplan voor 2020."),
    ],
)
def test_yearly_plan_post_keeps_the_rules_of_the_page(staff, heemstede, plan_2020, yearly_2020, year, reason):
    before = schema_local_rows(heemstede)

    response = staff.post(
        local_url(heemstede, "uitvoeringsplannen"), {"veiligheidsplan": plan_2020, "jaar": year}, format="json"
    )

    body = problem(response, 400)
    assert body["detail"] == "Het uitvoeringsplan is niet opgeslagen."
    assert body["invalidParams"] == [{"name": "jaar", "code": "invalid", "reason": reason}]
    assert schema_local_rows(heemstede) == before


@pytest.mark.parametrize("year", [20, 2101])
def test_yearly_plan_year_outside_1990_2100_is_refused_before_the_service(staff, heemstede, plan_2020, year):
    # The document gives these bounds (tests/api/test_openapi_truth.py), so the serializer refuses them first.
    before = schema_local_rows(heemstede)

    response = staff.post(
        local_url(heemstede, "uitvoeringsplannen"), {"veiligheidsplan": plan_2020, "jaar": year}, format="json"
    )

    [invalid] = problem(response, 400)["invalidParams"]
    assert (invalid["name"], invalid["code"]) == ("jaar", "min_value" if year < 1990 else "max_value")
    assert schema_local_rows(heemstede) == before


def test_yearly_plan_post_names_unknown_and_invalid_fields(staff, heemstede, haarlem, all_local_rows):
    with schema_context(haarlem.schema_name):
        haarlems_plan = str(SafetyPlan.objects.get().uuid)
    before = all_local_rows()

    foreign = staff.post(
        local_url(heemstede, "uitvoeringsplannen"), {"veiligheidsplan": haarlems_plan, "jaar": 2025}, format="json"
    )
    invalid = staff.post(
        local_url(heemstede, "uitvoeringsplannen"),
        {"veiligheidsplan": "x", "jaar": "later", "acties": []},
        format="json",
    )

    assert [p["name"] for p in problem(foreign, 400)["invalidParams"]] == ["veiligheidsplan"]
    assert {p["name"] for p in problem(invalid, 400)["invalidParams"]} == {"veiligheidsplan", "jaar", "acties"}
    assert all_local_rows() == before


def test_yearly_plan_changes_need_the_current_etag(staff, heemstede, yearly_2020, all_local_rows):
    url = local_url(heemstede, "uitvoeringsplannen", yearly_2020)
    stale = etag_of(staff, url)
    assert staff.patch(url, {"terugblik": "Eerst."}, format="json", HTTP_IF_MATCH=stale).status_code == 200
    before = all_local_rows()

    problem(staff.patch(url, {"terugblik": "Zonder."}, format="json"), 428)
    problem(staff.patch(url, {"terugblik": "Oud."}, format="json", HTTP_IF_MATCH=stale), 412)
    problem(staff.delete(url), 428)
    problem(staff.delete(url, HTTP_IF_MATCH=stale), 412)
    assert all_local_rows() == before


def test_deleting_a_yearly_plan_removes_its_actions(staff, heemstede, yearly_2020):
    actions = {
        u
        for u, r in schema_local_rows(heemstede)["acties"].items()
        if str(r["implementation_plan__uuid"]) == yearly_2020
    }
    assert actions
    url = local_url(heemstede, "uitvoeringsplannen", yearly_2020)

    assert staff.delete(url, HTTP_IF_MATCH=etag_of(staff, url)).status_code == 204

    assert not actions & set(schema_local_rows(heemstede)["acties"])
    removed = {str(u) for u in AuditEvent.objects.filter(field="verwijderd").values_list("object_uuid", flat=True)}
    assert removed >= actions | {yearly_2020}


def test_action_delete_needs_the_etag_and_is_audited(staff, oov, heemstede, yearly_2020, all_local_rows):
    rows = schema_local_rows(heemstede)["acties"]
    action = next(u for u, r in rows.items() if str(r["implementation_plan__uuid"]) == yearly_2020)
    url = local_url(heemstede, "uitvoeringsplannen", yearly_2020, "acties", action)
    etag = etag_of(staff, url)
    before = all_local_rows()

    problem(staff.delete(url), 428)
    problem(staff.delete(url, HTTP_IF_MATCH='"verouderd"'), 412)
    assert all_local_rows() == before
    assert staff.delete(url, HTTP_IF_MATCH=etag).status_code == 204

    assert action not in schema_local_rows(heemstede)["acties"]
    assert AuditEvent.objects.get(object_uuid=action, field="verwijderd").actor == oov
    problem(staff.get(url), 404)


@pytest.mark.parametrize("role", [Role.ADVISER, Role.RBOP])
def test_yearly_plan_and_action_writes_by_regional_readers_are_403(
    role, make_user, api_client_for, heemstede, plan_2020, yearly_2020, all_local_rows
):
    client = api_client_for(make_user(role))
    url = local_url(heemstede, "uitvoeringsplannen", yearly_2020)
    action = next(iter(client.get(url).json()["acties"]))["_links"]["self"]["href"]
    before = all_local_rows()

    problem(
        client.post(
            local_url(heemstede, "uitvoeringsplannen"), {"veiligheidsplan": plan_2020, "jaar": 2022}, format="json"
        ),
        403,
    )
    problem(client.patch(url, {"terugblik": "x"}, format="json", HTTP_IF_MATCH=etag_of(client, url)), 403)
    problem(client.delete(url, HTTP_IF_MATCH=etag_of(client, url)), 403)
    problem(client.delete(action, HTTP_IF_MATCH=etag_of(client, action)), 403)
    assert all_local_rows() == before


def test_indicator_measurements_are_replaced_by_patch_and_audited_per_year(staff, oov, heemstede, local_content):
    kpi_uuid, row = next(iter(schema_local_rows(heemstede)["indicatoren"].items()))
    url = local_url(heemstede, "indicatoren", kpi_uuid)
    [(year, value)] = row["metingen"]

    response = staff.patch(
        url,
        {"metingen": [{"jaar": year, "waarde": 110}, {"jaar": year + 1, "waarde": 98.5}]},
        format="json",
        HTTP_IF_MATCH=etag_of(staff, url),
    )

    assert response.status_code == 200, response.content
    assert [(m["jaar"], m["waarde"]) for m in response.json()["metingen"]] == [(year, 110.0), (year + 1, 98.5)]
    assert schema_local_rows(heemstede)["indicatoren"][kpi_uuid]["metingen"] == {(year, 110), (year + 1, 98.5)}
    audited = AuditEvent.objects.filter(object_uuid=kpi_uuid, actor=oov)
    assert audited.filter(field=f"meting {year}", old_value=format(value.normalize(), "f"), new_value="110").exists()
    assert audited.filter(field=f"meting {year + 1}", old_value="", new_value="98.5").exists()
