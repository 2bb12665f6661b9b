"""Isolation in the IMV consultation API: every role against the three test municipalities.

What each caller gets back is compared with the database by UUID and municipality (CBS code):
municipal staff see exactly their own municipality's participations, opinions and extension
requests, the adviser and RBOP members all of their police unit. Refused writes change no row.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from imv.clock import db_now
from imv.models import ConsultationRound, ExtensionRequest, Opinion, Participation
from tenants.models import MUNICIPAL_ROLES, REGIONAL_ROLES, Membership, PoliceUnit, Role
from tests.api.conftest import adopt, changed_rows, imv_rows, opinion_body

MUNICIPAL = sorted(MUNICIPAL_ROLES)
REGIONAL = sorted(REGIONAL_ROLES)
ALL_CODES = {"GM0397", "GM0392", "GM0377"}
DETAIL_PATHS = {"deelnames": "deelnames", "zienswijzen": "zienswijzen", "uitstelverzoeken": "uitstelverzoeken"}


def callers(role, make_user, municipalities):
    """(user, the CBS codes the user may see) for the role: one per municipality, or one regional user."""
    if role in MUNICIPAL_ROLES:
        return [(make_user(role, m), {m.cbs_code}) for m in municipalities]
    return [(make_user(role), ALL_CODES)]


def listed(client, path):
    response = client.get(path, {"pageSize": 500})
    assert response.status_code == 200, (path, response.content)
    return response.json()["results"]


def participation_lists(client):
    return [
        row
        for consultation in ConsultationRound.objects.all()
        for row in listed(client, f"/api/v1/consultatierondes/{consultation.uuid}/deelnames")
    ]


@pytest.mark.parametrize("role", MUNICIPAL + REGIONAL)
def test_imv_lists_return_exactly_what_the_caller_may_see(role, busy_round, make_user, api_client_for, municipalities):
    rows = imv_rows()
    for user, visible in callers(role, make_user, municipalities):
        client = api_client_for(user)
        results = {
            "deelnames": participation_lists(client),
            "zienswijzen": listed(client, "/api/v1/zienswijzen"),
            "uitstelverzoeken": listed(client, "/api/v1/uitstelverzoeken"),
        }
        for kind, objects in results.items():
            assert {o["gemeente"]["cbsCode"] for o in objects} <= visible, (role, visible, kind)
            expected = {u for u, row in rows[kind].items() if row["cbs"] in visible}
            assert {o["uuid"] for o in objects} == expected, (role, visible, kind)
        assert results["deelnames"], "every caller has rows to see"


@pytest.mark.parametrize("role", MUNICIPAL + REGIONAL)
def test_imv_details_are_404_outside_the_callers_municipality(
    role, busy_round, make_user, api_client_for, municipalities
):
    rows = imv_rows()
    for user, visible in callers(role, make_user, municipalities):
        client = api_client_for(user)
        for kind, objects in rows.items():
            for object_uuid, row in objects.items():
                response = client.get(f"/api/v1/{DETAIL_PATHS[kind]}/{object_uuid}")
                if row["cbs"] in visible:
                    assert response.status_code == 200, (role, visible, kind, row["cbs"])
                    assert response.json()["uuid"] == object_uuid
                    assert response.json()["gemeente"]["cbsCode"] == row["cbs"]
                else:
                    assert response.status_code == 404, (role, visible, kind, row["cbs"])
                    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", MUNICIPAL + REGIONAL)
def test_every_caller_of_the_unit_reads_its_cycles_and_rounds(role, busy_round, make_user, api_client_for, cycle):
    municipality = busy_round.participations.first().municipality
    client = api_client_for(make_user(role, municipality if role in MUNICIPAL_ROLES else None))

    cycles = listed(client, "/api/v1/imv-cycli")
    rounds = listed(client, "/api/v1/consultatierondes")

    assert [c["uuid"] for c in cycles] == [str(cycle.uuid)]
    assert {r["uuid"] for r in rounds} == {str(u) for u in ConsultationRound.objects.values_list("uuid", flat=True)}
    assert client.get(f"/api/v1/consultatierondes/{busy_round.uuid}").status_code == 200


@pytest.mark.parametrize("role", MUNICIPAL)
def test_municipal_writes_on_another_municipality_are_refused_and_change_nothing(
    role, busy_round, make_user, api_client_for, municipalities, top_themes
):
    before = imv_rows()
    for own in municipalities:
        client = api_client_for(make_user(role, own))
        for participation in Participation.objects.exclude(municipality=own):
            response = client.patch(
                f"/api/v1/deelnames/{participation.uuid}",
                {"raadsvergadering": "2030-01-01"},
                format="json",
                HTTP_IF_MATCH=f'"{participation.version}"',
            )
            assert response.status_code == 404, (own.cbs_code, participation.municipality.cbs_code)
            response = client.post("/api/v1/zienswijzen", opinion_body(participation, top_themes), format="json")
            assert response.status_code == 400
            assert [p["name"] for p in response.json()["invalidParams"]] == ["deelname"]
            response = client.post(
                "/api/v1/uitstelverzoeken",
                {
                    "deelname": str(participation.uuid),
                    "reden": "Gekaapt",
                    "gevraagdUitersteMoment": (participation.deadline + timedelta(days=1)).isoformat(),
                },
                format="json",
            )
            assert response.status_code == 400
        for opinion in Opinion.objects.exclude(participation__municipality=own):
            assert client.post(f"/api/v1/zienswijzen/{opinion.uuid}/intrekking").status_code == 404
        for extension in ExtensionRequest.objects.exclude(participation__municipality=own):
            response = client.patch(
                f"/api/v1/uitstelverzoeken/{extension.uuid}", {"status": "toegekend"}, format="json", HTTP_IF_MATCH="*"
            )
            assert response.status_code == 404
    assert imv_rows() == before


def test_rbop_token_never_writes(busy_round, make_user, api_client_for, top_themes):
    assert_regional_writes_refused(api_client_for(make_user(Role.RBOP)), top_themes, decide_extensions=False)


def test_adviser_token_writes_nothing_municipal(busy_round, make_user, api_client_for, top_themes):
    assert_regional_writes_refused(api_client_for(make_user(Role.ADVISER)), top_themes, decide_extensions=True)


def assert_regional_writes_refused(client, themes, *, decide_extensions):
    before = imv_rows()
    for participation in Participation.objects.all():
        response = client.patch(
            f"/api/v1/deelnames/{participation.uuid}",
            {"raadsvergadering": "2030-01-01"},
            format="json",
            HTTP_IF_MATCH=f'"{participation.version}"',
        )
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        response = client.post(
            "/api/v1/zienswijzen", opinion_body(participation, themes), format="json", HTTP_IDEMPOTENCY_KEY="k1"
        )
        assert response.status_code == 403
        response = client.post(
            "/api/v1/uitstelverzoeken",
            {
                "deelname": str(participation.uuid),
                "reden": "Namens de gemeente",
                "gevraagdUitersteMoment": (participation.deadline + timedelta(days=1)).isoformat(),
            },
            format="json",
        )
        assert response.status_code == 403
    for opinion in Opinion.objects.all():
        assert client.post(f"/api/v1/zienswijzen/{opinion.uuid}/intrekking").status_code == 403
    if not decide_extensions:
        for extension in ExtensionRequest.objects.all():
            response = client.patch(
                f"/api/v1/uitstelverzoeken/{extension.uuid}", {"status": "afgewezen"}, format="json", HTTP_IF_MATCH="*"
            )
            assert response.status_code == 403
    assert imv_rows() == before


@pytest.mark.parametrize("role", MUNICIPAL)
def test_own_staff_cannot_decide_on_their_own_extension_request(role, busy_round, make_user, api_client_for, haarlem):
    extension = ExtensionRequest.objects.get(participation__round=busy_round, participation__municipality=haarlem)
    client = api_client_for(make_user(role, haarlem))
    etag = client.get(f"/api/v1/uitstelverzoeken/{extension.uuid}")["ETag"]

    response = client.patch(
        f"/api/v1/uitstelverzoeken/{extension.uuid}", {"status": "toegekend"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 403
    extension.refresh_from_db()
    assert extension.status == "aangevraagd"


@pytest.mark.parametrize("role", MUNICIPAL)
def test_schedule_by_own_staff_changes_only_that_participation(
    role, consultation, make_user, api_client_for, municipalities
):
    for own in municipalities:
        participation = Participation.objects.get(round=consultation, municipality=own)
        before = imv_rows()
        client = api_client_for(make_user(role, own))

        response = client.patch(
            f"/api/v1/deelnames/{participation.uuid}",
            {"commissievergadering": str(db_now().date())},
            format="json",
            HTTP_IF_MATCH=f'"{participation.version}"',
        )

        assert response.status_code == 200, response.content
        assert changed_rows(before, imv_rows()) == {("deelnames", own.cbs_code, str(participation.uuid))}


def test_adviser_of_another_police_unit_sees_nothing(busy_round, make_user, api_client_for):
    other_unit = PoliceUnit.objects.create(name="Midden-Nederland", slug="midden-nederland")
    user = make_user(None)
    Membership.objects.create(user=user, role=Role.ADVISER, police_unit=other_unit)
    client = api_client_for(user)
    rows = imv_rows()

    for path in ("/api/v1/imv-cycli", "/api/v1/consultatierondes", "/api/v1/zienswijzen", "/api/v1/uitstelverzoeken"):
        assert listed(client, path) == [], path
    assert client.get(f"/api/v1/consultatierondes/{busy_round.uuid}").status_code == 404
    assert client.get(f"/api/v1/consultatierondes/{busy_round.uuid}/deelnames").status_code == 404
    for kind, objects in rows.items():
        for object_uuid in objects:
            assert client.get(f"/api/v1/{DETAIL_PATHS[kind]}/{object_uuid}").status_code == 404
    extension = ExtensionRequest.objects.filter(status="aangevraagd").first()
    assert extension is not None
    response = client.patch(
        f"/api/v1/uitstelverzoeken/{extension.uuid}", {"status": "toegekend"}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", MUNICIPAL)
def test_submission_and_withdrawal_by_own_staff_change_only_that_municipalitys_rows(
    role, consultation, make_user, api_client_for, municipalities, staff_of, top_themes
):
    for own in municipalities:
        participation = adopt(Participation.objects.get(round=consultation, municipality=own), staff_of(own))
        client = api_client_for(make_user(role, own))
        before = imv_rows()

        submitted = client.post("/api/v1/zienswijzen", opinion_body(participation, top_themes), format="json")
        withdrawn = client.post(f"/api/v1/zienswijzen/{submitted.json()['uuid']}/intrekking")

        assert (submitted.status_code, withdrawn.status_code) == (201, 200)
        assert changed_rows(before, imv_rows()) == {
            ("deelnames", own.cbs_code, str(participation.uuid)),
            ("zienswijzen", own.cbs_code, submitted.json()["uuid"]),
        }


def test_extension_decision_changes_only_the_requesting_municipalitys_rows(busy_round, adviser, api_client_for):
    extension = ExtensionRequest.objects.get(participation__round=busy_round, status="aangevraagd")
    client = api_client_for(adviser)
    etag = client.get(f"/api/v1/uitstelverzoeken/{extension.uuid}")["ETag"]
    before = imv_rows()

    response = client.patch(
        f"/api/v1/uitstelverzoeken/{extension.uuid}", {"status": "toegekend"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 200, response.content
    assert changed_rows(before, imv_rows()) == {
        ("deelnames", "GM0392", str(extension.participation.uuid)),
        ("uitstelverzoeken", "GM0392", str(extension.uuid)),
    }
