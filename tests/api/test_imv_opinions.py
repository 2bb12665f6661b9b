"""GET/POST /api/v1/zienswijzen, withdrawal, Idempotency-Key, lateness and the closed round."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imv import services
from imv.clock import amsterdam_date, day_end, db_now
from imv.models import ConsultationRound, Disposition, Opinion, Participation
from tenants.models import Role
from tests.api.conftest import adopt, opinion_body
from tests.api.test_errors import assert_problem


@pytest.fixture
def ready(participation_of, heemstede, staff_of) -> Participation:
    """Heemstede's participation with the council decision recorded: ready to submit."""
    return adopt(participation_of(heemstede), staff_of(heemstede))


@pytest.fixture
def heemstede_client(heemstede, staff_of, api_client_for):
    return api_client_for(staff_of(heemstede))


def test_submit_creates_the_opinion_and_moves_the_participation(ready, heemstede_client, top_themes):
    response = heemstede_client.post("/api/v1/zienswijzen", opinion_body(ready, top_themes), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == f"/api/v1/zienswijzen/{body['uuid']}"
    assert (body["versie"], body["standpunt"], body["dagenTeLaat"], body["ingetrokkenOp"]) == (
        1,
        "steunt_met_kanttekeningen",
        0,
        None,
    )
    assert body["gemeente"] == {"cbsCode": "GM0397", "naam": "Heemstede"}
    assert [p["thema"] for p in body["standpunten"]] == [str(t.uuid) for t in top_themes]
    assert body["reacties"] == []
    ready.refresh_from_db()
    assert ready.status == "ingediend"
    assert heemstede_client.get(response["Location"]).json() == body


def test_same_idempotency_key_twice_gives_one_opinion(ready, heemstede_client, top_themes):
    body = opinion_body(ready, top_themes)

    first = heemstede_client.post("/api/v1/zienswijzen", body, format="json", HTTP_IDEMPOTENCY_KEY="raad-2023-10-01")
    second = heemstede_client.post("/api/v1/zienswijzen", body, format="json", HTTP_IDEMPOTENCY_KEY="raad-2023-10-01")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert Opinion.objects.filter(participation=ready).count() == 1


def test_same_idempotency_key_with_other_content_is_422(ready, heemstede_client, top_themes):
    heemstede_client.post(
        "/api/v1/zienswijzen", opinion_body(ready, top_themes), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    response = heemstede_client.post(
        "/api/v1/zienswijzen",
        opinion_body(ready, top_themes, standpunt="heeft_bezwaar"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    assert_problem(response, 422)
    assert list(Opinion.objects.filter(participation=ready).values_list("overall_position", flat=True)) == [
        "steunt_met_kanttekeningen"
    ]


@pytest.mark.parametrize("key", ["", "met spatie", "x" * 101, "é"])
def test_malformed_idempotency_key_is_400(ready, heemstede_client, top_themes, key):
    response = heemstede_client.post(
        "/api/v1/zienswijzen", opinion_body(ready, top_themes), format="json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert [p["name"] for p in assert_problem(response, 400)["invalidParams"]] == ["Idempotency-Key"]
    assert not Opinion.objects.filter(participation=ready).exists()


def test_late_submission_is_accepted_with_the_days_late(ready, heemstede_client, top_themes):
    # The end of the day before yesterday, in Amsterdam: calendar days late, whatever the hour now.
    Participation.objects.filter(pk=ready.pk).update(deadline=day_end(amsterdam_date(db_now()) - timedelta(days=2)))

    response = heemstede_client.post("/api/v1/zienswijzen", opinion_body(ready, top_themes), format="json")

    assert response.status_code == 201
    assert response.json()["dagenTeLaat"] == 2
    deelname = heemstede_client.get(f"/api/v1/deelnames/{ready.uuid}").json()
    assert deelname["dagenTeLaat"] == 2


def test_submission_after_the_rbop_meeting_is_409_with_a_dutch_detail(
    ready, heemstede_client, top_themes, consultation
):
    now = db_now()
    ConsultationRound.objects.filter(pk=consultation.pk).update(
        deadline=now - timedelta(days=5), rbop_meeting=now - timedelta(hours=1)
    )

    response = heemstede_client.post("/api/v1/zienswijzen", opinion_body(ready, top_themes), format="json")

    body = assert_problem(response, 409)
    assert body["detail"].startswith("De consultatieronde is gesloten: het RBOP heeft op ")
    assert body["type"].endswith("/round_closed")
    assert not Opinion.objects.filter(participation=ready).exists()


def test_submission_before_the_council_decision_is_409(participation_of, heemstede, heemstede_client, top_themes):
    participation = participation_of(heemstede)

    response = heemstede_client.post("/api/v1/zienswijzen", opinion_body(participation, top_themes), format="json")

    assert assert_problem(response, 409)["type"].endswith("/transition_not_allowed")


def test_submission_with_a_theme_of_another_imv_is_400(ready, heemstede_client, top_themes):
    body = opinion_body(ready, top_themes)
    body["standpunten"][1]["thema"] = "00000000-0000-0000-0000-000000000000"

    response = heemstede_client.post("/api/v1/zienswijzen", body, format="json")

    assert [p["name"] for p in assert_problem(response, 400)["invalidParams"]] == ["standpunten.1.thema"]


def test_submission_with_unknown_field_is_400(ready, heemstede_client, top_themes):
    response = heemstede_client.post(
        "/api/v1/zienswijzen", opinion_body(ready, top_themes, position="steunt"), format="json"
    )

    assert [p["name"] for p in assert_problem(response, 400)["invalidParams"]] == ["position"]


def test_submission_with_stale_if_match_is_412(ready, heemstede_client, top_themes):
    stale = f'"{ready.version - 1}"'

    refused = heemstede_client.post(
        "/api/v1/zienswijzen", opinion_body(ready, top_themes), format="json", HTTP_IF_MATCH=stale
    )
    accepted = heemstede_client.post(
        "/api/v1/zienswijzen", opinion_body(ready, top_themes), format="json", HTTP_IF_MATCH=f'"{ready.version}"'
    )

    assert_problem(refused, 412)
    assert accepted.status_code == 201


def test_withdrawal_keeps_the_opinion_on_record(ready, heemstede_client, top_themes):
    submitted = heemstede_client.post("/api/v1/zienswijzen", opinion_body(ready, top_themes), format="json").json()

    response = heemstede_client.post(f"/api/v1/zienswijzen/{submitted['uuid']}/intrekking")
    again = heemstede_client.post(f"/api/v1/zienswijzen/{submitted['uuid']}/intrekking")

    assert response.status_code == 200, response.content
    assert response.json()["ingetrokkenOp"] is not None
    assert assert_problem(again, 409)["type"].endswith("/opinion_withdrawn")
    ready.refresh_from_db()
    assert ready.status == "vastgesteld"
    resubmitted = heemstede_client.post("/api/v1/zienswijzen", opinion_body(ready, top_themes), format="json")
    assert resubmitted.json()["versie"] == 2
    listed = heemstede_client.get("/api/v1/zienswijzen", {"consultatieronde": str(ready.round.uuid)}).json()
    assert [o["versie"] for o in listed["results"]] == [2, 1]


def test_reactions_reach_the_municipality_only_once_the_region_answers(
    ready, heemstede_client, top_themes, adviser, make_user, api_client_for
):
    # No points: the reaction on the opinion as a whole is all that "beantwoord" needs.
    submitted = heemstede_client.post("/api/v1/zienswijzen", opinion_body(ready, []), format="json").json()
    opinion = Opinion.objects.get(uuid=submitted["uuid"])
    services.reaction_set(
        actor=adviser, opinion=opinion, point=None, disposition=Disposition.PARTLY, explanation="Deels verwerkt."
    )
    url = f"/api/v1/zienswijzen/{opinion.uuid}"
    rbop = api_client_for(make_user(Role.RBOP))

    before = heemstede_client.get(url).json()["reacties"]
    regional = rbop.get(url).json()["reacties"]
    services.participation_answer(actor=adviser, participation=ready)
    after = heemstede_client.get(url).json()["reacties"]

    assert before == []
    assert regional == after
    assert [(r["thema"], r["verwerking"], r["toelichting"]) for r in after] == [
        (None, "deels_overgenomen", "Deels verwerkt.")
    ]


@pytest.mark.parametrize(("name", "value"), [("consultatieronde", "geen-uuid"), ("gemeente", "Heemstede")])
def test_opinion_list_with_malformed_filter_is_400(heemstede_client, name, value):
    response = heemstede_client.get("/api/v1/zienswijzen", {name: value})

    assert [p["name"] for p in assert_problem(response, 400)["invalidParams"]] == [name]


def test_opinion_list_runs_no_query_per_row(busy_round, make_user, api_client_for, heemstede):
    adviser_user = make_user(Role.ADVISER)
    adviser = api_client_for(adviser_user)
    staff = api_client_for(make_user(Role.OOV, heemstede))
    # Heemstede's opinion gets a reaction too, so that both lists hold one: Django skips the prefetch of
    # the reactions' earlier versions when there are no reactions, which would be one query less.
    services.reaction_set(
        actor=adviser_user,
        opinion=Opinion.objects.get(participation__round=busy_round, participation__municipality=heemstede),
        point=None,
        disposition=Disposition.ADOPTED,
        explanation="Overgenomen.",
    )

    counts = []
    for client in (adviser, staff):
        with CaptureQueriesContext(connection) as queries:
            rows = client.get("/api/v1/zienswijzen").json()["results"]
        counts.append((len(queries), len(rows)))

    assert counts[0][1] > counts[1][1]
    assert counts[0][0] == counts[1][0]


def test_a_point_text_over_the_limit_is_400_and_nothing_is_submitted(ready, heemstede_client, top_themes):
    body = opinion_body(ready, top_themes)
    body["standpunten"][0]["toelichting"] = "x" * (services.POINT_TEXT_MAX + 1)

    response = heemstede_client.post("/api/v1/zienswijzen", body, format="json")

    assert [p["name"] for p in assert_problem(response, 400)["invalidParams"]] == ["standpunten.0.toelichting"]
    assert not Opinion.objects.filter(participation=ready).exists()
