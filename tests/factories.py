"""Test data builders shared by the suites."""

from __future__ import annotations

from datetime import timedelta

from imv import services
from imv.clock import db_now
from imv.models import ConsultationRound, DraftVersion, ImvCycle
from tenants.models import User


def round_open_for_test(
    *,
    actor: User,
    cycle: ImvCycle,
    label: str,
    deadline_in: timedelta = timedelta(days=10),
    rbop_meeting_in: timedelta = timedelta(days=30),
) -> ConsultationRound:
    """Open a round on a new draft version named ``label``, through the real service (audit, participations).

    Deadline and RBOP meeting are offsets from the database clock; the draft version is
    ``round.draft_version``.
    """
    now = db_now()
    # Sent a week before the round opens, as the regional mayor's letter goes out before the round.
    draft_version = DraftVersion.objects.create(cycle=cycle, label=label, date=now.date() - timedelta(days=7))
    return services.round_open(
        actor=actor,
        cycle=cycle,
        draft_version=draft_version,
        deadline=now + deadline_in,
        rbop_meeting=now + rbop_meeting_in,
    )
