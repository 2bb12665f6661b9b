"""Test data builders shared by the suites."""

from __future__ import annotations

from datetime import timedelta

from imv import services
from imv.clock import db_now
from imv.models import ConsultationRound, DraftVersion, ImvCycle, Notification, Opinion, OutgoingEmail
from tenants.models import User


def round_open_for_test(
    *,
    actor: User,
    cycle: ImvCycle,
    label: str,
    deadline_in: timedelta = timedelta(days=10),
    rbop_meeting_in: timedelta = timedelta(days=30),
    invitations: bool = False,
) -> ConsultationRound:
    """Open a round on a new draft version named ``label``, through the real service (audit, participations).

    Deadline and RBOP meeting are offsets from the database clock; the draft version is
    ``round.draft_version``. The service invites every municipality (a message and e-mails); unless
    ``invitations``, those are removed again, so that a test counts only what it is about.
    """
    now = db_now()
    # Sent a week before the round opens, as the regional mayor's letter goes out before the round.
    draft_version = DraftVersion.objects.create(cycle=cycle, label=label, date=now.date() - timedelta(days=7))
    consultation = services.round_open(
        actor=actor,
        cycle=cycle,
        draft_version=draft_version,
        deadline=now + deadline_in,
        rbop_meeting=now + rbop_meeting_in,
    )
    if not invitations:
        Notification.objects.filter(message__startswith="Uitnodiging", url__contains=str(consultation.uuid)).delete()
        OutgoingEmail.objects.filter(subject__startswith="Uitnodiging zienswijze").delete()
    return consultation


def react_to_all(*, actor: User, opinion: Opinion, disposition: str = "overgenomen") -> None:
    """The region's reaction on the opinion as a whole and on every point: what "beantwoord" needs."""
    services.reaction_set(actor=actor, opinion=opinion, point=None, disposition=disposition, explanation="Verwerkt.")
    for point in opinion.points.all():
        services.reaction_set(actor=actor, opinion=opinion, point=point, disposition=disposition, explanation="Ja.")
