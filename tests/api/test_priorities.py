"""/api/v1/gemeenten/{cbs_code}/prioriteiten: fields, filter, writes through priority_save/priority_delete and
the shared projection that follows them, If-Match, validation as problem+json, query budget."""

from __future__ import annotations

import uuid

import pytest
from django_tenants.utils import schema_context

from imv.models import PriorityProjection
from municipalities.models import Action, Kpi, Priority, SafetyPlan
from municipalities.reference import kbv_fields, kbv_themes
from municipalities.services import priority_save
from tenants.models import Role
from tests.api.conftest import etag_of, local_url, schema_local_rows
from tests.query_budget import max_work_queries

PROBLEM = "application/problem+json"


@pytest.fixture
def staff(make_user, api_client_for, haarlem):
    return api_client_for(make_user(Role.OOV, haarlem))


@pytest.fixture
def haarlem_plan(haarlem) -> str:
    with schema_context(haarlem.schema_name):
        return str(SafetyPlan.objects.get().uuid)


def body(plan_uuid: str, **overrides):
    values = {
        "titel": "Woninginbraak terugdringen",
        "omschrijving": "Preventie en buurtpreventie-apps.",
        "veiligheidsveld": "1",
        "thema": "1.3",
        "imvThemas": [],
        "veiligheidsplan": plan_uuid,
    }
    return {**values, **overrides}


def projection(priority_uuid: str) -> PriorityProjection | None:
    return PriorityProjection.objects.filter(priority_uuid=priority_uuid).first()


def invalid_names(response) -> set[str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    return {p["name"] for p in response.json()["invalidParams"]}


def test_priority_list_gives_kbv_codes_with_their_names(staff, haarlem):
    response = staff.get(local_url(haarlem, "prioriteiten"))

    assert response.status_code == 200
    priorities = response.json()["results"]
    assert priorities
    for priority in priorities:
        assert set(priority) == {
            "uuid",
            "titel",
            "omschrijving",
            "veiligheidsveld",
            "veiligheidsveldNaam",
            "thema",
            "themaNaam",
            "imvThemas",
            "veiligheidsplan",
            "volgorde",
            "_links",
        }
        assert priority["veiligheidsveldNaam"] == kbv_fields()[priority["veiligheidsveld"]]
        assert priority["themaNaam"] == kbv_themes()[priority["thema"]].name
        assert priority["_links"]["self"]["href"] == local_url(haarlem, "prioriteiten", priority["uuid"])


def test_priority_list_filters_by_plan(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.ADVISER))
    rows = schema_local_rows(heemstede)
    plans = {str(row["plan__uuid"]) for row in rows["prioriteiten"].values()}

    for plan_uuid in rows["veiligheidsplannen"]:
        response = client.get(local_url(heemstede, "prioriteiten"), {"veiligheidsplan": plan_uuid})
        expected = {u for u, row in rows["prioriteiten"].items() if str(row["plan__uuid"]) == plan_uuid}
        assert {p["uuid"] for p in response.json()["results"]} == expected
    assert plans  # Heemstede's 2020 plan has its three real priorities
    assert client.get(local_url(heemstede, "prioriteiten"), {"veiligheidsplan": str(uuid.uuid4())}).json()["count"] == 0


def test_priority_list_with_malformed_plan_filter_is_400_naming_it(staff, haarlem):
    response = staff.get(local_url(haarlem, "prioriteiten"), {"veiligheidsplan": "plan-1"})

    assert invalid_names(response) == {"veiligheidsplan"}


def test_priority_post_creates_it_and_its_projection(staff, haarlem, haarlem_plan, cycle):
    theme = cycle.themes.get(name="Ondermijning")

    response = staff.post(
        local_url(haarlem, "prioriteiten"), body(haarlem_plan, imvThemas=[str(theme.uuid)]), format="json"
    )

    assert response.status_code == 201, response.content
    created = response.json()
    assert response["Location"] == local_url(haarlem, "prioriteiten", created["uuid"])
    assert response["ETag"] == etag_of(staff, response["Location"])
    assert created["imvThemas"] == [str(theme.uuid)]
    assert created["veiligheidsplan"] == haarlem_plan
    with schema_context(haarlem.schema_name):
        stored = Priority.objects.get(uuid=created["uuid"])
        assert stored.position == Priority.objects.count()  # appended at the end of the plan
    projected = projection(created["uuid"])
    assert projected is not None
    assert projected.municipality == haarlem
    assert (projected.title, projected.field_code, projected.theme_code) == ("Woninginbraak terugdringen", "1", "1.3")
    assert projected.imv_themes == [theme.uuid]
    assert str(projected.plan_uuid) == haarlem_plan


def test_priority_patch_changes_it_and_its_projection(staff, haarlem):
    priority_uuid = next(iter(schema_local_rows(haarlem)["prioriteiten"]))
    url = local_url(haarlem, "prioriteiten", priority_uuid)
    etag = etag_of(staff, url)

    response = staff.patch(
        url, {"titel": "Nieuwe naam", "thema": "5.1", "veiligheidsveld": "5"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] != etag
    assert response["ETag"] == etag_of(staff, url)
    assert (response.json()["titel"], response.json()["thema"]) == ("Nieuwe naam", "5.1")
    projected = projection(priority_uuid)
    assert projected is not None
    assert (projected.title, projected.field_code, projected.theme_code) == ("Nieuwe naam", "5", "5.1")


def test_priority_patch_keeps_what_is_not_sent(staff, haarlem):
    priority_uuid, before = next(iter(schema_local_rows(haarlem)["prioriteiten"].items()))
    url = local_url(haarlem, "prioriteiten", priority_uuid)

    response = staff.patch(url, {"omschrijving": "Alleen dit."}, format="json", HTTP_IF_MATCH=etag_of(staff, url))

    assert response.status_code == 200
    after = schema_local_rows(haarlem)["prioriteiten"][priority_uuid]
    assert after == {**before, "description": "Alleen dit."}


def test_priority_delete_removes_it_its_indicators_and_its_projection(staff, haarlem, local_content):
    rows = schema_local_rows(haarlem)
    priority_uuid = next(str(row["priority__uuid"]) for row in rows["indicatoren"].values())
    url = local_url(haarlem, "prioriteiten", priority_uuid)

    response = staff.delete(url, HTTP_IF_MATCH=etag_of(staff, url))

    assert response.status_code == 204
    assert projection(priority_uuid) is None
    with schema_context(haarlem.schema_name):
        assert not Priority.objects.filter(uuid=priority_uuid).exists()
        assert not Kpi.objects.filter(priority__uuid=priority_uuid).exists()
        # Actions that served it stay, without a priority.
        served = [u for u, row in rows["acties"].items() if str(row["priority__uuid"]) == priority_uuid]
        assert served
        assert all(Action.objects.get(uuid=u).priority is None for u in served)
    assert staff.get(url).status_code == 404


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_priority_change_without_if_match_is_428_and_changes_nothing(staff, haarlem, all_local_rows, method):
    before, projected = all_local_rows(), list(PriorityProjection.objects.values())
    url = local_url(haarlem, "prioriteiten", next(iter(before["GM0392"]["prioriteiten"])))

    for headers in ({}, {"HTTP_IF_MATCH": f"W/{etag_of(staff, url)}"}):
        response = getattr(staff, method)(url, {"titel": "Zonder ETag"}, format="json", **headers)
        if headers.get("HTTP_IF_MATCH", "").startswith("W/"):
            assert response.status_code == 412  # a weak tag never matches
        else:
            assert response.status_code == 428
        assert response["Content-Type"] == PROBLEM
    assert all_local_rows() == before
    assert list(PriorityProjection.objects.values()) == projected


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_priority_change_with_stale_etag_is_412_and_changes_nothing(staff, haarlem, all_local_rows, method):
    rows = all_local_rows()
    priority_uuid = next(iter(rows["GM0392"]["prioriteiten"]))
    url = local_url(haarlem, "prioriteiten", priority_uuid)
    stale = etag_of(staff, url)
    assert staff.patch(url, {"titel": "Eerst"}, format="json", HTTP_IF_MATCH=stale).status_code == 200
    before, projected = all_local_rows(), list(PriorityProjection.objects.values())

    response = getattr(staff, method)(url, {"titel": "Daarna"}, format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Versie verouderd"
    assert all_local_rows() == before
    assert list(PriorityProjection.objects.values()) == projected


def test_priority_post_lists_every_invalid_and_unknown_field(staff, haarlem, haarlem_plan):
    response = staff.post(
        local_url(haarlem, "prioriteiten"),
        body(haarlem_plan, titel="", veiligheidsveld="9", imvThemas=["geen-uuid"], title="Engels"),
        format="json",
    )

    assert invalid_names(response) == {"titel", "veiligheidsveld", "imvThemas.0", "title"}
    assert all(p["reason"] for p in response.json()["invalidParams"])


def test_priority_post_with_theme_outside_its_field_is_400_naming_thema(staff, haarlem, haarlem_plan):
    before = schema_local_rows(haarlem)

    response = staff.post(local_url(haarlem, "prioriteiten"), body(haarlem_plan, thema="3.1"), format="json")

    assert invalid_names(response) == {"thema"}
    assert response.json()["detail"] == "De prioriteit is niet opgeslagen."
    assert schema_local_rows(haarlem) == before


def test_priority_post_with_unknown_imv_theme_is_400_naming_imv_themas(staff, haarlem, haarlem_plan):
    response = staff.post(
        local_url(haarlem, "prioriteiten"), body(haarlem_plan, imvThemas=[str(uuid.uuid4())]), format="json"
    )

    assert invalid_names(response) == {"imvThemas"}


def test_priority_post_needs_a_plan_of_this_municipality(staff, haarlem):
    response = staff.post(local_url(haarlem, "prioriteiten"), body(str(uuid.uuid4())), format="json")

    assert invalid_names(response) == {"veiligheidsplan"}


def test_priority_patch_cannot_move_it_to_another_plan(staff, haarlem, haarlem_plan):
    url = local_url(haarlem, "prioriteiten", next(iter(schema_local_rows(haarlem)["prioriteiten"])))

    response = staff.patch(url, {"veiligheidsplan": haarlem_plan}, format="json", HTTP_IF_MATCH=etag_of(staff, url))

    assert invalid_names(response) == {"veiligheidsplan"}


def test_priority_patch_with_empty_body_is_400(staff, haarlem):
    url = local_url(haarlem, "prioriteiten", next(iter(schema_local_rows(haarlem)["prioriteiten"])))

    response = staff.patch(url, {}, format="json", HTTP_IF_MATCH=etag_of(staff, url))

    assert invalid_names(response) == {"nonFieldErrors"}


def test_priority_put_is_405(staff, haarlem):
    url = local_url(haarlem, "prioriteiten", next(iter(schema_local_rows(haarlem)["prioriteiten"])))

    response = staff.put(url, {"titel": "x"}, format="json", HTTP_IF_MATCH=etag_of(staff, url))

    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM


def test_priority_list_stays_within_query_budget(make_user, api_client_for, haarlem, haarlem_plan):
    client = api_client_for(make_user(Role.RBOP))
    with schema_context(haarlem.schema_name):
        plan = SafetyPlan.objects.get()
        for n in range(30):
            priority_save(
                municipality=haarlem,
                plan=plan,
                title=f"Prioriteit {n}",
                field_code="1",
                theme_code="1.1",
                imv_themes=[],
            )

    # token, last_used_at, municipality, count, page: five, however many rows
    # + 2: setting and restoring portal.tenant for row-level security (tenants.rls)
    with max_work_queries(5 + 2):
        response = client.get(local_url(haarlem, "prioriteiten"), {"pageSize": 100})
    assert response.json()["count"] >= 30
