"""/api/v1/gemeenten/{cbs_code}/indicatoren and municipalities.services: indicators with a value per year."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from municipalities.models import Kpi, Priority
from municipalities.services import MeasurementInput, kpi_save
from portal.exceptions import PortalError
from tenants.models import Role
from tests.api.conftest import etag_of, local_url, schema_local_rows
from tests.query_budget import max_work_queries

PROBLEM = "application/problem+json"


@pytest.fixture
def staff(make_user, api_client_for, bloemendaal):
    return api_client_for(make_user(Role.GRIFFIE, bloemendaal))


@pytest.fixture
def priority_uuid(bloemendaal) -> str:
    return next(iter(schema_local_rows(bloemendaal)["prioriteiten"]))


def invalid_names(response) -> set[str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    return {p["name"] for p in response.json()["invalidParams"]}


def body(priority_uuid: str, **overrides):
    values = {
        "prioriteit": priority_uuid,
        "naam": "Veiligheidsgevoel in de buurt",
        "eenheid": "% dat zich veilig voelt",
        "nulmeting": "78.5",
        "jaarNulmeting": 2023,
        "streefwaarde": 82,
        "streefjaar": 2027,
        "verhaal": "Uit de veiligheidsmonitor; kleine steekproef.",
        "metingen": [{"jaar": 2024, "waarde": 79}, {"jaar": 2025, "waarde": "80.25"}],
    }
    return {**values, **overrides}


def test_indicator_post_creates_it_with_its_measurements(staff, bloemendaal, priority_uuid):
    response = staff.post(local_url(bloemendaal, "indicatoren"), body(priority_uuid), format="json")

    assert response.status_code == 201, response.content
    created = response.json()
    assert response["Location"] == local_url(bloemendaal, "indicatoren", created["uuid"])
    assert response["ETag"] == etag_of(staff, response["Location"])
    assert (created["nulmeting"], created["streefwaarde"]) == (78.5, 82.0)
    assert created["metingen"] == [{"jaar": 2024, "waarde": 79.0}, {"jaar": 2025, "waarde": 80.25}]
    assert created["prioriteit"] == priority_uuid
    stored = schema_local_rows(bloemendaal)["indicatoren"][created["uuid"]]
    assert stored["metingen"] == {(2024, Decimal("79.00")), (2025, Decimal("80.25"))}


def test_indicator_list_filters_by_priority_and_plan(make_user, api_client_for, bloemendaal, local_content):
    client = api_client_for(make_user(Role.ADVISER))
    rows = schema_local_rows(bloemendaal)

    for priority_uuid in rows["prioriteiten"]:
        response = client.get(local_url(bloemendaal, "indicatoren"), {"prioriteit": priority_uuid})
        expected = {u for u, row in rows["indicatoren"].items() if str(row["priority__uuid"]) == priority_uuid}
        assert {i["uuid"] for i in response.json()["results"]} == expected
    plan = next(iter(rows["veiligheidsplannen"]))
    response = client.get(local_url(bloemendaal, "indicatoren"), {"veiligheidsplan": plan})
    assert {i["uuid"] for i in response.json()["results"]} == set(rows["indicatoren"])
    response = client.get(local_url(bloemendaal, "indicatoren"), {"veiligheidsplan": str(uuid.uuid4())})
    assert response.json()["count"] == 0
    assert invalid_names(client.get(local_url(bloemendaal, "indicatoren"), {"prioriteit": "x"})) == {"prioriteit"}


def test_indicator_patch_replaces_measurements_only_when_sent(staff, bloemendaal, local_content):
    kpi_uuid, before = next(iter(schema_local_rows(bloemendaal)["indicatoren"].items()))
    url = local_url(bloemendaal, "indicatoren", kpi_uuid)

    response = staff.patch(url, {"verhaal": "Nieuw verhaal."}, format="json", HTTP_IF_MATCH=etag_of(staff, url))
    assert response.status_code == 200, response.content
    assert schema_local_rows(bloemendaal)["indicatoren"][kpi_uuid] == {**before, "story": "Nieuw verhaal."}

    etag = response["ETag"]
    response = staff.patch(url, {"metingen": [{"jaar": 2026, "waarde": 90}]}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response["ETag"] != etag  # the yearly values are part of what the tag protects
    assert schema_local_rows(bloemendaal)["indicatoren"][kpi_uuid]["metingen"] == {(2026, Decimal("90.00"))}


def test_indicator_patch_can_move_it_to_another_priority_of_the_municipality(staff, bloemendaal, local_content):
    rows = schema_local_rows(bloemendaal)
    kpi_uuid, row = next(iter(rows["indicatoren"].items()))
    other = next(u for u in rows["prioriteiten"] if u != str(row["priority__uuid"]))
    url = local_url(bloemendaal, "indicatoren", kpi_uuid)

    response = staff.patch(url, {"prioriteit": other}, format="json", HTTP_IF_MATCH=etag_of(staff, url))

    assert response.status_code == 200
    assert response.json()["prioriteit"] == other


def test_indicator_delete_removes_it(staff, bloemendaal, local_content):
    kpi_uuid = next(iter(schema_local_rows(bloemendaal)["indicatoren"]))
    url = local_url(bloemendaal, "indicatoren", kpi_uuid)

    assert staff.delete(url).status_code == 428
    assert staff.delete(url, HTTP_IF_MATCH=etag_of(staff, url)).status_code == 204
    assert kpi_uuid not in schema_local_rows(bloemendaal)["indicatoren"]


def test_indicator_patch_without_or_with_stale_etag_changes_nothing(staff, bloemendaal, local_content, all_local_rows):
    kpi_uuid = next(iter(schema_local_rows(bloemendaal)["indicatoren"]))
    url = local_url(bloemendaal, "indicatoren", kpi_uuid)
    stale = etag_of(staff, url)
    assert staff.patch(url, {"naam": "Eerst"}, format="json", HTTP_IF_MATCH=stale).status_code == 200
    before = all_local_rows()

    missing = staff.patch(url, {"naam": "Zonder"}, format="json")
    outdated = staff.patch(url, {"naam": "Daarna"}, format="json", HTTP_IF_MATCH=stale)

    assert (missing.status_code, outdated.status_code) == (428, 412)
    assert missing["Content-Type"] == outdated["Content-Type"] == PROBLEM
    assert all_local_rows() == before


def test_indicator_post_names_every_invalid_field(staff, bloemendaal, priority_uuid, all_local_rows):
    before = all_local_rows()

    response = staff.post(
        local_url(bloemendaal, "indicatoren"),
        body(priority_uuid, naam="", nulmeting="veel", streefjaar="later", onbekend=1),
        format="json",
    )

    assert invalid_names(response) == {"naam", "nulmeting", "streefjaar", "onbekend"}
    assert all_local_rows() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"jaarNulmeting": None}, "jaarNulmeting"),  # a baseline without its year
        ({"streefwaarde": None}, "streefwaarde"),  # a target year without its value
        ({"streefjaar": 2020}, "streefjaar"),  # before the baseline
        ({"jaarNulmeting": 23}, "jaarNulmeting"),  # not a plausible year
        ({"metingen": [{"jaar": 2024, "waarde": 1}, {"jaar": 2024, "waarde": 2}]}, "metingen"),
        ({"nulmeting": "12345678901.5"}, "nulmeting"),  # more digits than stored
    ],
)
def test_indicator_post_refused_by_the_service_names_the_field(staff, bloemendaal, priority_uuid, overrides, field):
    before = schema_local_rows(bloemendaal)

    response = staff.post(local_url(bloemendaal, "indicatoren"), body(priority_uuid, **overrides), format="json")

    assert invalid_names(response) == {field}
    assert schema_local_rows(bloemendaal) == before


def test_indicator_post_needs_a_priority_of_this_municipality(staff, bloemendaal):
    response = staff.post(local_url(bloemendaal, "indicatoren"), body(str(uuid.uuid4())), format="json")

    assert invalid_names(response) == {"prioriteit"}


def test_indicator_list_stays_within_query_budget(make_user, api_client_for, bloemendaal, local_content):
    client = api_client_for(make_user(Role.OOV, bloemendaal))
    with schema_context(bloemendaal.schema_name):
        priority = Priority.objects.first()
        assert priority is not None
        for n in range(25):
            kpi_save(
                municipality=bloemendaal,
                priority=priority,
                name=f"Indicator {n}",
                unit="aantal",
                measurements=[MeasurementInput(2024, Decimal(n)), MeasurementInput(2025, Decimal(n + 1))],
            )

    # token, last_used_at, municipality, count, page, measurements: six however many rows
    # + 2: setting and restoring portal.tenant for row-level security (tenants.rls)
    with max_work_queries(6 + 2):
        response = client.get(local_url(bloemendaal, "indicatoren"), {"pageSize": 100})
    assert response.json()["count"] >= 25


def test_kpi_save_refuses_to_write_outside_the_municipalitys_schema(bloemendaal, haarlem):
    with schema_context(haarlem.schema_name):
        priority = Priority.objects.first()
        assert priority is not None
        with pytest.raises(RuntimeError):
            kpi_save(municipality=bloemendaal, priority=priority, name="Verkeerd", unit="aantal")
        assert not Kpi.objects.filter(name="Verkeerd").exists()


def test_kpi_save_reports_every_broken_rule_at_once(bloemendaal):
    with schema_context(bloemendaal.schema_name):
        priority = Priority.objects.first()
        assert priority is not None
        with pytest.raises(PortalError) as refused:
            kpi_save(
                municipality=bloemendaal,
                priority=priority,
                name=" ",
                unit="",
                baseline_value=Decimal(1),
                target_year=1800,
                measurements=[MeasurementInput(2024, Decimal(1)), MeasurementInput(2024, Decimal(2))],
            )
    assert set(refused.value.errors) == {"name", "unit", "baseline_year", "target_value", "target_year", "measurements"}
