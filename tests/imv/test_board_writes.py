"""The adviser's writes from the board: opening a round, editing a theme, reacting to an opinion and
sending reminders; each refusal in Dutch."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from imv.clock import db_now
from imv.models import ConsultationRound, Disposition, ImvCycle, ParticipationStatus, Reaction, Theme
from tests.factories import react_to_all
from tests.imv.board_helpers import AMSTERDAM, board_url

pytestmark = pytest.mark.django_db


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
    # "23:59" includes that minute: stored as its last microsecond, in Amsterdam time.
    assert opened.deadline.astimezone(AMSTERDAM).replace(tzinfo=None) == datetime(
        day.year, day.month, day.day, 23, 59, 59, 999999
    )


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

    refused = client.post(url, {"action": "beantwoorden"}, follow=True).content.decode()
    assert "Nog zonder reactie: de zienswijze als geheel" in refused
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.SUBMITTED
    react_to_all(actor=adviser, opinion=submitted)
    assert "Nog zonder reactie" not in client.get(url).content.decode()

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


def test_round_open_names_each_draft_version_with_a_dutch_date(client_for, adviser, cycle, consultation):
    version = consultation.draft_version
    page = client_for(adviser).get(reverse("imv:round_open", kwargs={"cycle_uuid": cycle.uuid})).content.decode()
    assert f"{version.label} ({date_format(version.date, 'j F Y')})</option>" in page
    assert f"({version.date.isoformat()})" not in page
