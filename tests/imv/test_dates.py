"""Dates and times the Dutch way: Europe/Amsterdam calendar days, deadlines that include their minute.

Instants are written in UTC with their Amsterdam wall-clock time beside them. Where a service has
to run at a given moment, its database clock (imv.clock.db_now, as the service module imported it)
is set to that moment; one test shows that the application's clock has no say.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from unittest import mock

import pytest

from imv import services
from imv.clock import (
    AMSTERDAM,
    amsterdam_date,
    amsterdam_moment,
    day_end,
    days_late,
    db_now,
    deadline_end,
    is_late,
    late_text,
)
from imv.models import Participation, ParticipationStatus, Position
from imv.selectors import board_rows
from portal.exceptions import PortalError
from tests.imv.conftest import decision

pytestmark = pytest.mark.django_db


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- The rules, on the clock alone ---------------------------------------------------------
def test_a_deadline_includes_the_minute_it_names():
    deadline = deadline_end(amsterdam_moment(date(2023, 10, 15), time(23, 59)))
    assert deadline == datetime(2023, 10, 15, 23, 59, 59, 999999, AMSTERDAM)
    assert not is_late(datetime(2023, 10, 15, 23, 59, 30, tzinfo=AMSTERDAM), deadline)
    assert is_late(datetime(2023, 10, 16, 0, 0, 0, tzinfo=AMSTERDAM), deadline)
    assert days_late(datetime(2023, 10, 16, 0, 0, 0, tzinfo=AMSTERDAM), deadline) == 1


def test_a_date_only_deadline_is_the_end_of_that_day_in_amsterdam():
    assert day_end(date(2024, 3, 31)) == datetime(2024, 3, 31, 23, 59, 59, 999999, AMSTERDAM)
    assert day_end(date(2024, 3, 31)).utcoffset() == timedelta(hours=2)  # summer time from that night


def test_late_on_the_deadlines_own_day_is_late_but_zero_days():
    deadline = deadline_end(amsterdam_moment(date(2023, 10, 15), time(10, 0)))
    thirty_seconds_late = deadline + timedelta(seconds=30)
    assert is_late(thirty_seconds_late, deadline)
    assert days_late(thirty_seconds_late, deadline) == 0
    assert late_text(thirty_seconds_late, deadline) == "te laat (dezelfde dag)"
    assert late_text(deadline, deadline) == "op tijd"


def test_days_late_across_the_change_to_winter_time():
    # 28 October 2023 09:00 CEST, submitted 29 October 08:30 CET: 24.5 real hours, one calendar day
    # (Python subtracts two times of one zone on the wall clock, hence the UTC).
    deadline = deadline_end(amsterdam_moment(date(2023, 10, 28), time(9, 0)))
    submitted = amsterdam_moment(date(2023, 10, 29), time(8, 30))
    assert submitted.astimezone(UTC) - deadline.astimezone(UTC) > timedelta(hours=24)
    assert days_late(submitted, deadline) == 1
    assert late_text(submitted, deadline) == "1 dag te laat"


def test_days_late_across_the_change_to_summer_time():
    # 30 March 2024 09:00 CET, submitted 31 March 09:30 CEST: 23.5 hours, still one calendar day.
    deadline = deadline_end(amsterdam_moment(date(2024, 3, 30), time(9, 0)))
    submitted = amsterdam_moment(date(2024, 3, 31), time(9, 30))
    assert submitted.astimezone(UTC) - deadline.astimezone(UTC) < timedelta(hours=24)
    assert days_late(submitted, deadline) == 1


def test_half_past_midnight_in_amsterdam_is_already_the_next_day():
    assert amsterdam_date(utc(2023, 10, 14, 22, 30)) == date(2023, 10, 15)  # 00:30 CEST
    assert amsterdam_date(utc(2023, 12, 1, 23, 30)) == date(2023, 12, 2)  # 00:30 CET


# --- The rules, through the services and the board ----------------------------------------
def _noon_tomorrow() -> datetime:
    return amsterdam_moment(amsterdam_date(db_now()) + timedelta(days=1), time(12, 0))


def _submit(participation, actor, themes):
    return services.opinion_submit(
        actor=actor,
        participation=participation,
        overall_position=Position.SUPPORTS,
        overall_text="Akkoord.",
        points=[services.PointInput(theme=t, position=Position.SUPPORTS, text="") for t in themes],
    )


def test_a_submission_30_seconds_after_the_deadline_minute_is_late_the_same_day(adopted, heemstede_staff, top_themes):
    moment = _noon_tomorrow()
    Participation.objects.filter(pk=adopted.pk).update(deadline=deadline_end(moment - timedelta(minutes=1)))
    with mock.patch("imv.services.opinions.db_now", return_value=moment + timedelta(seconds=29)):
        opinion = _submit(adopted, heemstede_staff, top_themes)
    assert opinion.is_late
    assert opinion.days_late == 0
    assert opinion.late_text == "te laat (dezelfde dag)"
    assert opinion.deadline == Participation.objects.get(pk=adopted.pk).deadline


def test_a_submission_within_the_deadline_minute_is_on_time(adopted, heemstede_staff, top_themes):
    moment = _noon_tomorrow()
    Participation.objects.filter(pk=adopted.pk).update(deadline=deadline_end(moment))
    with mock.patch("imv.services.opinions.db_now", return_value=moment + timedelta(seconds=59)):
        opinion = _submit(adopted, heemstede_staff, top_themes)
    assert not opinion.is_late
    assert opinion.late_text == "op tijd"


def test_the_database_clock_decides_not_the_application_clock(adopted, heemstede_staff, top_themes):
    Participation.objects.filter(pk=adopted.pk).update(deadline=db_now() + timedelta(hours=1))
    two_days_on = datetime.now(UTC) + timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=two_days_on):
        opinion = _submit(adopted, heemstede_staff, top_themes)
    assert not opinion.is_late
    assert opinion.submitted_at < two_days_on - timedelta(days=1)


def test_the_board_counts_days_left_in_amsterdam_at_half_past_midnight(consultation, participation_of, heemstede):
    # 00:30 in Amsterdam on the deadline's own day: "vandaag" (0), although it is still yesterday in UTC.
    now = amsterdam_moment(amsterdam_date(db_now()) + timedelta(days=2), time(0, 30))
    Participation.objects.filter(pk=participation_of(heemstede).pk).update(
        deadline=deadline_end(amsterdam_moment(amsterdam_date(now), time(23, 59)))
    )
    assert now.astimezone(UTC).date() < amsterdam_date(now)
    (row,) = [r for r in board_rows(consultation=consultation, now=now) if r.cbs_code == heemstede.cbs_code]
    assert row.days_left == 0
    assert not row.is_late


def test_a_decision_dated_today_is_accepted_at_half_past_midnight(participation_of, heemstede, heemstede_staff):
    p = services.participation_schedule(
        actor=heemstede_staff,
        participation=participation_of(heemstede),
        committee_date=None,
        council_date=amsterdam_date(db_now()),
    )
    half_past_midnight = amsterdam_moment(amsterdam_date(db_now()) + timedelta(days=1), time(0, 30))
    today_there = amsterdam_date(half_past_midnight)
    with mock.patch("imv.services.participations.db_now", return_value=half_past_midnight):
        adopted = services.participation_adopt(
            actor=heemstede_staff, participation=p, decision=decision(decision_date=today_there)
        )
    assert adopted.status == ParticipationStatus.ADOPTED
    assert adopted.decision_date == today_there


def test_a_decision_dated_before_the_draft_version_is_refused(
    consultation, participation_of, heemstede, heemstede_staff
):
    p = services.participation_schedule(
        actor=heemstede_staff,
        participation=participation_of(heemstede),
        committee_date=None,
        council_date=amsterdam_date(db_now()),
    )
    sent = consultation.draft_version.date
    with pytest.raises(PortalError) as info:
        services.participation_adopt(
            actor=heemstede_staff, participation=p, decision=decision(decision_date=sent - timedelta(days=1))
        )
    assert info.value.errors["decision_date"] == [
        f"Het raadsbesluit is gedateerd vóór de conceptversie waarop het antwoordt ({sent:%d-%m-%Y})."
    ]
    assert Participation.objects.get(pk=p.pk).status == ParticipationStatus.SCHEDULED


def test_an_extension_request_reports_every_date_it_fails(participation_of, heemstede, heemstede_staff):
    p = participation_of(heemstede)
    with pytest.raises(PortalError) as info:
        services.extension_request(
            actor=heemstede_staff, participation=p, reason="", requested_deadline=db_now() - timedelta(days=1)
        )
    assert info.value.errors == {
        "reason": ["Geef een reden."],
        "requested_deadline": [
            "De gevraagde datum ligt in het verleden.",
            "De gevraagde datum ligt niet na de huidige uiterste datum.",
        ],
    }


def test_a_granted_deadline_in_the_past_is_refused(participation_of, heemstede, heemstede_staff, adviser):
    p = participation_of(heemstede)
    request = services.extension_request(
        actor=heemstede_staff, participation=p, reason="Later.", requested_deadline=p.deadline + timedelta(days=3)
    )
    with pytest.raises(PortalError) as info:
        services.extension_decide(actor=adviser, request=request, grant=True, deadline=db_now() - timedelta(hours=1))
    assert "De nieuwe uiterste datum ligt in het verleden." in info.value.errors["deadline"]


def test_round_deadlines_are_stored_to_the_end_of_their_minute(consultation):
    assert (consultation.deadline.second, consultation.deadline.microsecond) == (59, 999999)
    assert {(p.deadline.second, p.deadline.microsecond) for p in consultation.participations.all()} == {(59, 999999)}
