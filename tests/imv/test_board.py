"""The adviser's status board: who may see it and what it counts and shows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from imv import services
from imv.clock import db_now
from imv.models import ConsultationRound, ExtensionStatus, Participation, ParticipationStatus
from tests.imv.board_helpers import AMSTERDAM, board_url

pytestmark = pytest.mark.django_db


# --- Access -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["imv:board", "imv:board_table", "imv:export_csv", "imv:export_xlsx", "imv:export_pdf", "imv:opinions"]
)
def test_board_pages_are_read_by_adviser_and_rbop(client_for, adviser, rbop, consultation, name):
    for user in (adviser, rbop):
        response = client_for(user).get(board_url(consultation, name))
        assert response.status_code == 200, (user, name)


@pytest.mark.parametrize(
    "name", ["imv:board", "imv:board_table", "imv:export_csv", "imv:export_xlsx", "imv:export_pdf", "imv:opinions"]
)
def test_board_pages_refuse_municipal_staff(client_for, heemstede_staff, consultation, name):
    response = client_for(heemstede_staff).get(board_url(consultation, name))

    assert response.status_code == 403
    assert b"Stand per gemeente" not in response.content
    assert b"Bloemendaal" not in response.content


def test_overview_refuses_municipal_staff_and_shows_the_adviser_the_rounds(client_for, heemstede_staff, adviser):
    assert client_for(heemstede_staff).get(reverse("imv:overview")).status_code == 403

    response = client_for(adviser).get(reverse("imv:overview"))

    assert response.status_code == 200
    assert "IMV 2024-2027" in response.content.decode()
    assert "Consultatieronde openen" in response.content.decode()


def test_board_sends_anonymous_visitors_to_login(client, consultation):
    response = client.get(board_url(consultation))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_board_is_404_for_an_unknown_round(client_for, adviser):
    response = client_for(adviser).get("/regio/imv/rondes/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404


def test_rbop_reads_the_board_but_cannot_write(client_for, rbop, consultation, cycle, submitted, participation_of):
    client = client_for(rbop)
    page = client.get(board_url(consultation)).content.decode()
    assert "Stand per gemeente" in page
    assert "Herinner wie nog niet heeft ingediend" not in page

    participation = submitted.participation
    writes = [
        board_url(consultation, "imv:reminders_send"),
        reverse("imv:round_open", kwargs={"cycle_uuid": cycle.uuid}),
        reverse("imv:theme_edit", kwargs={"theme_uuid": cycle.themes.first().uuid}),
        reverse(
            "imv:opinion_detail", kwargs={"round_uuid": consultation.uuid, "participation_uuid": participation.uuid}
        ),
    ]
    for url in writes:
        response = client.post(url, {"action": "beantwoorden", "point": ""})
        assert response.status_code == 403, url
        assert "Alleen de adviseur regioburgemeester kan dit wijzigen" in response.content.decode()
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.SUBMITTED


def test_rbop_reads_an_opinion_without_reaction_forms(client_for, rbop, consultation, submitted):
    url = reverse(
        "imv:opinion_detail",
        kwargs={"round_uuid": consultation.uuid, "participation_uuid": submitted.participation.uuid},
    )

    page = client_for(rbop).get(url).content.decode()

    assert "Zienswijze van Heemstede" in page
    assert "Nog geen reactie van de regio." in page
    assert "<form" not in page.split('id="main"')[1]


def test_municipal_staff_cannot_decide_an_extension(client_for, heemstede_staff, participation_of, heemstede):
    participation = participation_of(heemstede)
    request = services.extension_request(
        actor=heemstede_staff,
        participation=participation,
        reason="Raad vergadert later.",
        requested_deadline=participation.deadline + timedelta(days=3),
    )

    response = client_for(heemstede_staff).post(
        reverse("imv:extension_decide", kwargs={"request_uuid": request.uuid}), {"decision": "toekennen"}
    )

    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == ExtensionStatus.REQUESTED


# --- What the board shows -----------------------------------------------------------------
def test_board_counts_municipalities_per_status(client_for, adviser, consultation, adopted, participation_of, haarlem):
    services.participation_schedule(
        actor=adviser, participation=participation_of(haarlem), committee_date=None, council_date=db_now().date()
    )

    response = client_for(adviser).get(board_url(consultation))

    counts = {item["status"]: item["count"] for item in response.context["status_counts"]}
    total = consultation.participations.count()
    assert counts[ParticipationStatus.ADOPTED] == 1
    assert counts[ParticipationStatus.SCHEDULED] == 1
    assert counts[ParticipationStatus.INVITED] == total - 2
    assert sum(counts.values()) == total
    page = response.content.decode()
    assert f"Status van {total} gemeenten" in page
    assert '<th class="utrecht-table__header-cell" scope="col">Eigen uiterste datum</th>' in page


def test_board_lists_every_municipality_with_a_link_to_its_page(client_for, adviser, consultation):
    page = client_for(adviser).get(board_url(consultation)).content.decode()

    for participation in consultation.participations.select_related("municipality"):
        assert f'href="/gemeenten/{participation.municipality.slug}/"' in page


def test_board_filters_by_district(client_for, adviser, consultation, bloemendaal_in_noord):
    client = client_for(adviser)
    everyone = client.get(board_url(consultation)).context["rows"]
    assert {row.district for row in everyone} == {"Kennemerland", "Noord-Holland Noord"}

    noord = client.get(board_url(consultation), {"district": "Noord-Holland Noord"})
    kennemerland = client.get(board_url(consultation), {"district": "Kennemerland"})

    assert [row.municipality for row in noord.context["rows"]] == ["Bloemendaal"]
    assert [row.municipality for row in kennemerland.context["rows"]] == ["Haarlem", "Heemstede"]
    assert "Status van 1 gemeente in district Noord-Holland Noord" in noord.content.decode()
    assert sum(item["count"] for item in noord.context["status_counts"]) == 1
    # The filter is a plain GET form: the selected district stays selected.
    assert '<option value="Noord-Holland Noord" selected>' in noord.content.decode()
    # An unknown district shows the whole unit rather than an empty, puzzling table.
    assert len(client.get(board_url(consultation), {"district": "Atlantis"}).context["rows"]) == len(everyone)


def test_board_flags_late_on_the_database_clock(
    client_for, adviser, consultation, participation_of, heemstede, monkeypatch
):
    Participation.objects.filter(pk=participation_of(heemstede).pk).update(deadline=db_now() - timedelta(minutes=1))
    # The web server's clock says it is still 2000: the board must not believe it.
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2000, 1, 1, tzinfo=AMSTERDAM))

    response = client_for(adviser).get(board_url(consultation))

    rows = {row.municipality: row for row in response.context["rows"]}
    assert rows["Heemstede"].is_late
    assert not rows["Haarlem"].is_late
    assert response.context["late_count"] == 1
    page = response.content.decode()
    heemstede_row = page[page.index('data-cbs="GM0397"') :].split("</tr>")[0]
    assert "te laat" in heemstede_row
    assert "verstreken" in heemstede_row


def test_board_shows_open_extension_requests_and_the_adviser_grants_one(
    client_for, adviser, heemstede_staff, consultation, participation_of, heemstede
):
    participation = participation_of(heemstede)
    wanted = participation.deadline + timedelta(days=5)
    request = services.extension_request(
        actor=heemstede_staff, participation=participation, reason="Raad vergadert later.", requested_deadline=wanted
    )
    client = client_for(adviser)
    page = client.get(board_url(consultation)).content.decode()
    assert "Beoordeel het verzoek van Heemstede" in page
    assert "uitstel aangevraagd" in page

    response = client.post(
        reverse("imv:extension_decide", kwargs={"request_uuid": request.uuid}),
        {"decision": "toekennen", "note": "Akkoord."},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == board_url(consultation)
    assert "Uitstel toegekend aan Heemstede." in response.content.decode()
    participation.refresh_from_db()
    assert participation.deadline == wanted


def test_extension_decision_shows_the_services_refusal_in_dutch(
    client_for, adviser, heemstede_staff, consultation, participation_of, heemstede
):
    participation = participation_of(heemstede)
    request = services.extension_request(
        actor=heemstede_staff,
        participation=participation,
        reason="Raad vergadert later.",
        requested_deadline=participation.deadline + timedelta(days=2),
    )
    after_rbop = consultation.rbop_meeting.astimezone(AMSTERDAM) + timedelta(days=1)

    response = client_for(adviser).post(
        reverse("imv:extension_decide", kwargs={"request_uuid": request.uuid}),
        {"decision": "toekennen", "deadline_date": f"{after_rbop:%Y-%m-%d}", "deadline_time": "12:00"},
    )

    assert response.status_code == 200
    assert (
        "De nieuwe uiterste datum moet in de toekomst, na de huidige en vóór de RBOP-vergadering liggen."
        in response.content.decode()
    )
    request.refresh_from_db()
    assert request.status == ExtensionStatus.REQUESTED


def test_table_fragment_is_the_table_alone_and_never_cached(client_for, adviser, consultation):
    response = client_for(adviser).get(board_url(consultation, "imv:board_table"))

    page = response.content.decode()
    assert "<html" not in page
    assert 'id="board-caption"' in page
    assert response["Cache-Control"] == "no-store"


def test_board_stays_within_a_query_budget(client_for, adviser, consultation, django_assert_max_num_queries):
    client = client_for(adviser)
    client.get(board_url(consultation))  # warm the session and memberships
    # 12 queries whatever the number of municipalities (one is the header's unread-messages count),
    # each preceded by django-tenants' SET search_path.
    with django_assert_max_num_queries(24):
        client.get(board_url(consultation))


def test_demo_round_flags_invented_data_and_explains_the_shifted_dates(client_for, adviser):
    demo = ConsultationRound.objects.get(is_example=True)

    page = client_for(adviser).get(board_url(demo)).content.decode()

    assert "Voorbeeld: de gegevens van" in page
    assert "verzonnen voor de demonstratie" in page
    assert "Voorbeeldronde met verschoven data." in page
    assert "vandaag speelt 1 oktober 2023" in page
    overview = client_for(adviser).get(reverse("imv:overview")).content.decode()
    assert "Dit zijn de echte data uit 2023." in overview
    assert "Voorbeeld: in de ronde met het label “voorbeeld” is de stand van de gemeenten verzonnen" in overview


def test_home_links_regional_roles_to_the_board(client_for, adviser, heemstede_staff):
    assert reverse("imv:overview") in client_for(adviser).get("/").content.decode()
    assert reverse("imv:overview") not in client_for(heemstede_staff).get("/").content.decode()
