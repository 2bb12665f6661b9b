"""GET /api/v1/imv-cycli and /api/v1/consultatierondes: themes, timeline, round state on the database clock."""

from __future__ import annotations

from datetime import timedelta

from imv.clock import db_now
from imv.models import ConsultationRound
from tenants.models import Role
from tests.api.test_errors import assert_problem


def test_cycle_lists_themes_with_nested_subthemes_and_the_timeline(make_user, api_client_for, heemstede, cycle):
    client = api_client_for(make_user(Role.GRIFFIE, heemstede))

    response = client.get(f"/api/v1/imv-cycli/{cycle.uuid}")

    assert response.status_code == 200
    body = response.json()
    assert (body["naam"], body["eersteJaar"], body["laatsteJaar"], body["politieEenheid"]) == (
        "IMV 2024-2027",
        2024,
        2027,
        "Noord-Holland",
    )
    themes = {t["naam"]: t for t in body["themas"]}
    assert themes["Ondermijning"]["nummer"] == 1
    assert themes["Ondermijning"]["status"] == "vastgesteld"
    assert [s["naam"] for s in themes["Ondermijning"]["subthemas"]] == [
        "Weerbare jeugd/criminele aanwas",
        "Drugsproductie en -logistiek",
        "Criminele geldstromen",
        "Mensenhandel",
    ]
    assert themes["Zorg en Veiligheid"]["status"] == "in_verkenning"
    assert themes["Zorg en Veiligheid"]["subthemas"] == []
    assert body["tijdlijn"][0]["datum"] == "2022-11-28"
    assert body["tijdlijn"] == sorted(body["tijdlijn"], key=lambda e: e["datum"])
    assert body["_links"]["consultatierondes"] == {"href": f"/api/v1/consultatierondes?imvCyclus={cycle.uuid}"}


def test_cycles_need_a_token(client, db):
    assert_problem(client.get("/api/v1/imv-cycli"), 401)


def test_round_shows_draft_deadline_meeting_and_counts(make_user, api_client_for, consultation, haarlem):
    client = api_client_for(make_user(Role.OOV, haarlem))

    body = client.get(f"/api/v1/consultatierondes/{consultation.uuid}").json()

    assert body["concept"]["naam"] == "API-testconcept"
    assert body["concept"]["datum"] == str(consultation.draft_version.date)
    assert body["gesloten"] is False
    assert body["rbopVergadering"] > body["uitersteMoment"]
    counts = {c["status"]: c["aantal"] for c in body["aantallenPerStatus"]}
    assert counts == {
        "uitgenodigd": 3,
        "geagendeerd": 0,
        "vastgesteld": 0,
        "ingediend": 0,
        "beantwoord": 0,
        "geen_zienswijze": 0,
    }
    assert body["_links"]["deelnames"] == {"href": f"/api/v1/consultatierondes/{consultation.uuid}/deelnames"}


def test_round_is_closed_once_the_rbop_meeting_has_begun_on_the_database_clock(make_user, api_client_for, consultation):
    client = api_client_for(make_user(Role.RBOP))
    now = db_now()
    ConsultationRound.objects.filter(pk=consultation.pk).update(
        deadline=now - timedelta(days=1), rbop_meeting=now - timedelta(seconds=1)
    )

    assert client.get(f"/api/v1/consultatierondes/{consultation.uuid}").json()["gesloten"] is True


def test_round_list_filters_by_cycle(make_user, api_client_for, consultation, cycle):
    client = api_client_for(make_user(Role.ADVISER))

    mine = client.get("/api/v1/consultatierondes", {"imvCyclus": str(cycle.uuid)}).json()["results"]
    none = client.get("/api/v1/consultatierondes", {"imvCyclus": "00000000-0000-0000-0000-000000000000"}).json()
    bad = client.get("/api/v1/consultatierondes", {"imvCyclus": "2024"})

    assert mine[0]["uuid"] == str(consultation.uuid)  # newest first
    assert len(mine) == ConsultationRound.objects.filter(cycle=cycle).count()
    assert none["count"] == 0
    assert [p["name"] for p in assert_problem(bad, 400)["invalidParams"]] == ["imvCyclus"]


def test_unknown_round_is_404(make_user, api_client_for):
    client = api_client_for(make_user(Role.ADVISER))

    assert_problem(client.get("/api/v1/consultatierondes/00000000-0000-0000-0000-000000000000"), 404)
    assert_problem(client.get("/api/v1/consultatierondes/geen-uuid"), 404)
