"""The adviser's status board and its exports: who may see it, what it counts, what the files hold."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from imv import analytics, services
from imv.clock import db_now
from imv.models import (
    ConsultationRound,
    Disposition,
    ExtensionStatus,
    ImvCycle,
    Participation,
    ParticipationStatus,
    Position,
    Reaction,
    Theme,
)
from tenants.models import District, Municipality, Role

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def board_url(consultation: ConsultationRound, name: str = "imv:board") -> str:
    return reverse(name, kwargs={"round_uuid": consultation.uuid})


def submit(participation, actor, themes):
    return services.opinion_submit(
        actor=actor,
        participation=participation,
        overall_position=Position.SUPPORTS_WITH_REMARKS,
        overall_text="De raad steunt het concept, met kanttekeningen.",
        points=[
            services.PointInput(theme=theme, position=position, text=f"Toelichting bij {theme.name}.")
            for theme, position in zip(themes, [Position.SUPPORTS, Position.OBJECTS] * len(themes), strict=False)
        ],
    )


@pytest.fixture
def rbop(make_user):
    return make_user(Role.RBOP)


@pytest.fixture
def submitted(adopted, heemstede_staff, top_themes):
    """Heemstede's opinion on the round: supports theme 1, objects to theme 2, and so on."""
    return submit(adopted, heemstede_staff, top_themes)


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


@pytest.fixture
def bloemendaal_in_noord(noord_holland, bloemendaal):
    """Two districts on the board: the test region holds only Kennemerland municipalities."""
    noord, _ = District.objects.get_or_create(police_unit=noord_holland, name="Noord-Holland Noord")
    Municipality.objects.filter(pk=bloemendaal.pk).update(district=noord)
    return noord


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
        "De nieuwe uiterste datum moet na de huidige en vóór de RBOP-vergadering liggen." in response.content.decode()
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


# --- The adviser's writes -----------------------------------------------------------------
def test_adviser_opens_a_round_in_amsterdam_time(client_for, adviser, cycle, consultation):
    day = (db_now() + timedelta(days=20)).astimezone(AMSTERDAM).date()
    rbop_day = day + timedelta(days=14)

    response = client_for(adviser).post(
        reverse("imv:round_open", kwargs={"cycle_uuid": cycle.uuid}),
        {
            "draft_version": consultation.draft_version.pk,
            "deadline_date": f"{day:%Y-%m-%d}",
            "deadline_time": "23:59",
            "rbop_date": f"{rbop_day:%Y-%m-%d}",
            "rbop_time": "10:00",
        },
    )

    opened = ConsultationRound.objects.order_by("-opened_at", "-pk")[0]
    assert response.status_code == 302
    assert response["Location"] == board_url(opened)
    assert opened.deadline.astimezone(AMSTERDAM).replace(tzinfo=None) == datetime(day.year, day.month, day.day, 23, 59)


def test_round_open_shows_the_services_errors_in_dutch(client_for, adviser, cycle, consultation):
    yesterday = (db_now() - timedelta(days=1)).astimezone(AMSTERDAM).date()
    before = ConsultationRound.objects.count()

    response = client_for(adviser).post(
        reverse("imv:round_open", kwargs={"cycle_uuid": cycle.uuid}),
        {
            "draft_version": consultation.draft_version.pk,
            "deadline_date": f"{yesterday:%Y-%m-%d}",
            "deadline_time": "12:00",
            "rbop_date": f"{yesterday:%Y-%m-%d}",
            "rbop_time": "10:00",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "De consultatieronde is niet geopend." in page
    assert "De uiterste datum ligt in het verleden." in page
    assert "De RBOP-vergadering moet na de uiterste datum liggen." in page
    assert 'aria-invalid="true"' in page
    assert ConsultationRound.objects.count() == before


def test_adviser_edits_a_theme_until_a_round_opens(client_for, adviser, noord_holland, cycle):
    client = client_for(adviser)
    frozen = cycle.themes.first()
    response = client.post(
        reverse("imv:theme_edit", kwargs={"theme_uuid": frozen.uuid}), {"name": "Nieuw", "status": "vastgesteld"}
    )
    assert "De thema&#x27;s liggen vast" in response.content.decode()
    frozen.refresh_from_db()
    assert frozen.name != "Nieuw"

    fresh = ImvCycle.objects.create(police_unit=noord_holland, name="IMV 2028-2031", period_start=2028, period_end=2031)
    theme = Theme.objects.create(cycle=fresh, name="Ondermijning", number=1)
    response = client.post(
        reverse("imv:theme_edit", kwargs={"theme_uuid": theme.uuid}),
        {"name": "Ondermijning en georganiseerde misdaad", "status": "in_verkenning", "note": "Nog te bepalen."},
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.status) == ("Ondermijning en georganiseerde misdaad", "in_verkenning")


def test_adviser_reacts_per_point_and_marks_the_opinion_answered(client_for, adviser, consultation, submitted):
    client = client_for(adviser)
    participation = submitted.participation
    url = reverse(
        "imv:opinion_detail", kwargs={"round_uuid": consultation.uuid, "participation_uuid": participation.uuid}
    )
    point = submitted.points.order_by("pk").first()
    prefix = f"r-{point.uuid}"

    response = client.post(
        url,
        {"point": str(point.uuid), f"{prefix}-disposition": Disposition.PARTLY, f"{prefix}-explanation": "Deels."},
    )
    assert response.status_code == 302
    assert Reaction.objects.get(opinion=submitted, point=point).explanation == "Deels."

    response = client.post(url, {"point": "", "r-geheel-disposition": Disposition.ADOPTED, "r-geheel-explanation": ""})
    assert response.status_code == 400
    assert "Dit veld is vereist." in response.content.decode()

    response = client.post(url, {"action": "beantwoorden"}, follow=True)
    assert "de zienswijze is beantwoord" in response.content.decode()
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ANSWERED


def test_reminder_button_names_the_municipalities_reminded(
    client_for, adviser, consultation, submitted, participation_of
):
    response = client_for(adviser).post(board_url(consultation, "imv:reminders_send"), follow=True)

    page = response.content.decode()
    open_names = sorted(
        p.municipality.name
        for p in consultation.participations.select_related("municipality")
        if p.status != ParticipationStatus.SUBMITTED
    )
    assert "Heemstede" not in open_names
    assert f"Herinnering verstuurd aan {len(open_names)} gemeenten: {', '.join(open_names)}." in page

    again = client_for(adviser).post(board_url(consultation, "imv:reminders_send"), follow=True)
    assert "is iedereen die nog niet klaar was al herinnerd" in again.content.decode()


# --- Exports ------------------------------------------------------------------------------
def test_csv_export_has_one_row_per_municipality_of_the_round(client_for, adviser, consultation, adopted):
    response = client_for(adviser).get(board_url(consultation, "imv:export_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="statusbord-imv-2024-2027-')
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    expected = set(consultation.participations.values_list("municipality__name", flat=True))
    assert {row["Gemeente"] for row in rows} == expected
    assert len(rows) == len(expected)
    heemstede = next(row for row in rows if row["Gemeente"] == "Heemstede")
    assert heemstede["Status"] == "vastgesteld"
    assert heemstede["CBS-code"] == "GM0397"
    assert heemstede["Te laat"] == "nee"


def test_csv_export_follows_the_district_filter(client_for, adviser, consultation, bloemendaal_in_noord):
    response = client_for(adviser).get(board_url(consultation, "imv:export_csv"), {"district": "Noord-Holland Noord"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows] == ["Gemeente", "Bloemendaal"]
    assert "noord-holland-noord" in response["Content-Disposition"]


def test_xlsx_export_opens_with_openpyxl(client_for, adviser, consultation, adopted):
    response = client_for(adviser).get(board_url(consultation, "imv:export_xlsx"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Statusbord", "Per status", "Ronde"]
    sheet = book["Statusbord"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[0] == "Gemeente"
    assert header[3] == "Status"
    assert len(rows) == consultation.participations.count()
    heemstede = next(row for row in rows if row[0] == "Heemstede")
    assert heemstede[3] == "vastgesteld"
    assert isinstance(heemstede[4], datetime)  # a real date in Excel, not text
    counts = {row[0]: row[1] for row in book["Per status"].iter_rows(min_row=2, values_only=True)}
    assert counts["vastgesteld"] == 1


def test_board_pack_pdf_holds_progress_positions_and_the_reactienota(client_for, adviser, consultation, submitted):
    point = submitted.points.select_related("theme").order_by("pk").first()
    services.reaction_set(
        actor=adviser,
        opinion=submitted,
        point=point,
        disposition=Disposition.ADOPTED,
        explanation="Overgenomen in 4.2.",
    )

    response = client_for(adviser).get(board_url(consultation, "imv:export_pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Bestuurspakket RBOP — IMV 2024-2027" in flat
    assert consultation.draft_version.label in flat
    assert "1. Voortgang van de consultatie" in flat
    assert "2. Standpunten per thema" in flat
    assert "3. Reactienota" in flat
    assert point.theme.name in flat
    assert "Overgenomen in 4.2." in flat
    assert "heeft bezwaar" in flat


def test_board_pack_counts_positions_per_theme_from_current_opinions_only(
    adviser, consultation, submitted, heemstede_staff, top_themes
):

    positions = {t.theme: t for t in analytics.positions_per_theme(consultation=consultation)}
    first, second = top_themes[0], top_themes[1]
    assert positions[first.name].counts[Position.SUPPORTS] == 1
    assert positions[second.name].counts[Position.OBJECTS] == 1
    assert positions[second.name].municipalities[Position.OBJECTS] == ["Heemstede"]

    services.opinion_withdraw(actor=heemstede_staff, participation=submitted.participation)

    assert analytics.positions_per_theme(consultation=consultation) == []
