"""GET/POST /api/v1/uitstelverzoeken and the adviser's decision with PATCH and If-Match."""

from __future__ import annotations

from datetime import timedelta

import pytest

from imv.models import ExtensionRequest
from tenants.models import Role
from tests.api.test_errors import assert_problem


@pytest.fixture
def requested(participation_of, haarlem, staff_of, api_client_for) -> dict:
    """Haarlem's request for two more weeks, made through the API."""
    participation = participation_of(haarlem)
    response = api_client_for(staff_of(haarlem)).post(
        "/api/v1/uitstelverzoeken",
        {
            "deelname": str(participation.uuid),
            "reden": "De raad vergadert pas na de uiterste datum.",
            "gevraagdUitersteMoment": (participation.deadline + timedelta(days=14)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return {"response": response, "participation": participation, "url": response["Location"]}


@pytest.fixture
def adviser_client(adviser, api_client_for):
    return api_client_for(adviser)


def test_request_is_created_with_location_and_etag(requested):
    response = requested["response"]
    body = response.json()

    assert response["Location"] == f"/api/v1/uitstelverzoeken/{body['uuid']}"
    assert response["ETag"]
    assert (body["status"], body["gemeente"]["cbsCode"], body["besluitOp"]) == ("aangevraagd", "GM0392", None)


def test_second_open_request_is_409(requested, haarlem, staff_of, api_client_for):
    participation = requested["participation"]

    response = api_client_for(staff_of(haarlem)).post(
        "/api/v1/uitstelverzoeken",
        {
            "deelname": str(participation.uuid),
            "reden": "Nog een keer.",
            "gevraagdUitersteMoment": (participation.deadline + timedelta(days=7)).isoformat(),
        },
        format="json",
    )

    assert assert_problem(response, 409)["type"].endswith("/extension_open")


def test_request_errors_name_the_api_fields(participation_of, haarlem, staff_of, api_client_for):
    participation = participation_of(haarlem)

    response = api_client_for(staff_of(haarlem)).post(
        "/api/v1/uitstelverzoeken",
        {
            "deelname": str(participation.uuid),
            "reden": "Meer tijd.",
            "gevraagdUitersteMoment": (participation.deadline - timedelta(days=1)).isoformat(),
        },
        format="json",
    )

    assert [p["name"] for p in assert_problem(response, 400)["invalidParams"]] == ["gevraagdUitersteMoment"]


def test_decision_without_if_match_is_428(requested, adviser_client):
    response = adviser_client.patch(requested["url"], {"status": "toegekend"}, format="json")

    assert_problem(response, 428)
    assert ExtensionRequest.objects.get(uuid=requested["response"].json()["uuid"]).status == "aangevraagd"


def test_grant_moves_only_this_municipalitys_deadline_and_changes_the_etag(
    requested, adviser_client, participation_of, heemstede, bloemendaal
):
    etag = adviser_client.get(requested["url"])["ETag"]
    assert etag == requested["response"]["ETag"]
    others = {m: participation_of(m).deadline for m in (heemstede, bloemendaal)}
    new_deadline = requested["participation"].deadline + timedelta(days=10)

    response = adviser_client.patch(
        requested["url"],
        {"status": "toegekend", "nieuwUitersteMoment": new_deadline.isoformat(), "toelichting": "Akkoord."},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["toelichtingBesluit"]) == ("toegekend", "Akkoord.")
    assert response["ETag"] != etag
    participation = requested["participation"]
    participation.refresh_from_db()
    assert participation.deadline == new_deadline
    assert {m: participation_of(m).deadline for m in others} == others


def test_stale_decision_is_412_and_a_decided_request_is_409(requested, adviser_client, make_user, api_client_for):
    etag = adviser_client.get(requested["url"])["ETag"]
    other_adviser = api_client_for(make_user(Role.ADVISER))

    refused = adviser_client.patch(requested["url"], {"status": "afgewezen"}, format="json", HTTP_IF_MATCH=etag)
    stale = other_adviser.patch(requested["url"], {"status": "toegekend"}, format="json", HTTP_IF_MATCH=etag)
    current = other_adviser.patch(
        requested["url"], {"status": "toegekend"}, format="json", HTTP_IF_MATCH=refused["ETag"]
    )

    assert refused.status_code == 200
    assert_problem(stale, 412)
    assert assert_problem(current, 409)["type"].endswith("/extension_decided")
    assert adviser_client.get(requested["url"]).json()["status"] == "afgewezen"


def test_refusal_with_a_new_deadline_is_400(requested, adviser_client):
    etag = adviser_client.get(requested["url"])["ETag"]

    response = adviser_client.patch(
        requested["url"],
        {"status": "afgewezen", "nieuwUitersteMoment": "2030-01-01T12:00:00+01:00"},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert [p["name"] for p in assert_problem(response, 400)["invalidParams"]] == ["nieuwUitersteMoment"]


def test_decision_status_must_be_a_decision(requested, adviser_client):
    etag = adviser_client.get(requested["url"])["ETag"]

    response = adviser_client.patch(requested["url"], {"status": "aangevraagd"}, format="json", HTTP_IF_MATCH=etag)

    assert [p["name"] for p in assert_problem(response, 400)["invalidParams"]] == ["status"]


def test_extension_list_filters_by_status(requested, adviser_client):
    open_requests = adviser_client.get("/api/v1/uitstelverzoeken", {"status": "aangevraagd"}).json()["results"]
    granted = adviser_client.get("/api/v1/uitstelverzoeken", {"status": "toegekend"}).json()["results"]
    bad = adviser_client.get("/api/v1/uitstelverzoeken", {"status": "open"})

    assert requested["response"].json()["uuid"] in {r["uuid"] for r in open_requests}
    assert {r["status"] for r in open_requests} == {"aangevraagd"}
    assert {r["status"] for r in granted} <= {"toegekend"}
    assert [p["name"] for p in assert_problem(bad, 400)["invalidParams"]] == ["status"]
