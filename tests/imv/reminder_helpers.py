"""Helpers for the reminder tests: moments before a deadline, a run of the due reminders with their
mails, a submission, and the autouse fixture that closes every other round (import it into each
reminder test module: it is meant for those modules only)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from imv import services
from imv.clock import db_now
from imv.mail import mail_send
from imv.models import ConsultationRound, Participation, Position
from imv.services.reminders import reminders_send_due
from tenants.models import User
from tests.imv.conftest import decision

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


@pytest.fixture(autouse=True)
def _other_rounds_closed(request):
    """The demo round is open too: close every other round, so only this test's round is reminded.

    Not for the test with committed data: it must not run inside a test transaction.
    """
    if "committed_round" in request.fixturenames:
        return
    consultation = request.getfixturevalue("consultation")
    past = db_now() - timedelta(days=30)
    ConsultationRound.objects.exclude(pk=consultation.pk).update(deadline=past, rbop_meeting=past + timedelta(days=1))


def before(deadline: datetime, days: int, hour: int = 9) -> datetime:
    """A moment ``days`` calendar days before the deadline's day, at ``hour`` in Amsterdam."""
    return datetime.combine(deadline.astimezone(AMSTERDAM).date() - timedelta(days=days), time(hour), AMSTERDAM)


@contextmanager
def committed(capture) -> Iterator[None]:
    """What a commit does: run the after-commit callbacks, then what the worker does with the
    mail_send_task they queue (sending the outbox, here into the locmem mailbox)."""
    with capture(execute=True):
        yield
    mail_send()


def run(now: datetime, capture) -> dict[str, int]:
    """Run the due reminders with the after-commit mails; {municipality name: days_before} of what went out."""
    with committed(capture):
        sent = reminders_send_due(now=now)
    return {r.participation.municipality.name: r.days_before for r in sent}


def mails_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def submit(participation: Participation, actor: User) -> None:
    services.participation_schedule(
        actor=actor, participation=participation, committee_date=None, council_date=db_now().date()
    )
    services.participation_adopt(actor=actor, participation=participation, decision=decision())
    services.opinion_submit(
        actor=actor, participation=participation, overall_position=Position.SUPPORTS, overall_text="", points=[]
    )
