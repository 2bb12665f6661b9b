"""Reminders to municipalities whose council has not yet given its zienswijze.

Celery beat sends one 14, 7 and 1 day(s) before each municipality's own deadline (an extension
moves it), and the adviser can remind everyone who is not done at once. A reminder is a Reminder
row (sent, or skipped when a nearer threshold was already due), an audit line, an in-portal
Notification for the municipality and an e-mail to each of its staff (OOV, griffie) in the mail
outbox (imv.mail), all in one transaction: the e-mails go out after commit and are retried until
sent, also when a worker dies half-way. The Reminder's unique constraint (participation,
days_before, deadline) is what makes "never twice" hold, also when two runs overlap.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from imv.clock import AMSTERDAM, days_left, db_now, dutch_moment
from imv.models import ConsultationRound, Participation, Reminder, ReminderOutcome
from imv.selectors import DONE
from imv.services.notices import ON_BEHALF, absolute, notify_municipality
from portal.exceptions import PortalError
from tenants.audit import audit_record
from tenants.models import Membership, Municipality, Role, User

THRESHOLDS = (14, 7, 1)  # days before a municipality's own deadline
# A second press of the adviser's button within this time is taken for a double click.
MANUAL_PAUSE = timedelta(minutes=10)


def due_threshold(left: int) -> int | None:
    """The nearest threshold crossed with this many days left: only that one is sent."""
    crossed = [days for days in THRESHOLDS if left <= days]
    return min(crossed) if crossed else None


def reminders_send_due(*, now: datetime | None = None) -> list[Reminder]:
    """Send every automatic reminder that is due (database clock unless ``now`` is given); return those sent.

    Due: the round is open, the deadline is ahead, the municipality is not done, and a threshold
    has been crossed for which nothing was sent for this deadline. Larger thresholds that were
    skipped (a municipality first seen at 6 days gets only the 7-day one) are recorded as skipped,
    so that they never go out later. Each municipality is handled in its own transaction.
    """
    now = now or db_now()
    horizon = now + timedelta(days=max(THRESHOLDS) + 2)  # generous: days_left() decides exactly
    candidates = (
        Participation.objects.filter(
            ConsultationRound.open_at(now, via="round__"),
            deadline__gt=now,
            deadline__lt=horizon,
            municipality__is_active=True,
        )
        .exclude(status__in=DONE)
        .values_list("pk", "deadline")
    )
    sent = []
    for pk, deadline in candidates:
        threshold = due_threshold(days_left(deadline=deadline, now=now))
        if threshold is None:
            continue
        if Reminder.objects.filter(
            participation_id=pk, days_before=threshold, deadline=deadline, manual=False
        ).exists():
            continue  # the usual case every quarter of an hour: no lock needed to see it
        reminder = _send_due(participation_pk=pk, now=now)
        if reminder is not None:
            sent.append(reminder)
    return sent


@transaction.atomic
def _send_due(*, participation_pk: int, now: datetime) -> Reminder | None:
    participation = _lock(participation_pk)
    # Re-judged under the lock: the council may just have submitted, or been granted more time.
    consultation = participation.round
    if (
        participation.status in DONE
        or now >= participation.deadline
        or consultation.is_closed(now)
        or not participation.municipality.is_active
    ):
        return None
    left = days_left(deadline=participation.deadline, now=now)
    threshold = due_threshold(left)
    if threshold is None:
        return None
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                participation=participation, days_before=threshold, deadline=participation.deadline
            )
    except IntegrityError:
        return None  # already sent for this deadline, by an earlier run or one running right now
    recorded = set(
        Reminder.objects.filter(participation=participation, deadline=participation.deadline, manual=False).values_list(
            "days_before", flat=True
        )
    )
    skipped = [days for days in THRESHOLDS if days > threshold and days not in recorded]
    Reminder.objects.bulk_create(
        [
            Reminder(
                participation=participation,
                days_before=days,
                deadline=participation.deadline,
                outcome=ReminderOutcome.SKIPPED,
            )
            for days in skipped
        ],
        ignore_conflicts=True,  # cannot conflict under the participation lock; harmless if it ever did
    )
    audit_record(
        actor=None,
        object_type="deelname",
        object_uuid=participation.uuid,
        field="herinnering",
        old="",
        new=f"automatisch: {_when(left)}",
        municipality=participation.municipality,
        note=", ".join(f"{days}-dagenherinnering overgeslagen" for days in sorted(skipped, reverse=True)),
    )
    _remind(participation, left)
    return reminder


@transaction.atomic
def reminders_send_now(*, actor: User, consultation: ConsultationRound) -> list[Municipality]:
    """The adviser's button "herinner wie nog niet heeft ingediend": remind every municipality of the round
    that has not submitted, been answered or declined, now. Returns the municipalities reminded, by name.

    Each gets a manual Reminder, a notification, an audit line and (after commit) an e-mail to its staff.
    Refused for anyone but the adviser of the round's police unit, after the RBOP meeting, and right
    after a previous press.
    """
    # Locking the round makes two presses (and the services, which lock it too) take turns.
    consultation = (
        ConsultationRound.objects.select_for_update(of=("self",))
        .select_related("cycle", "draft_version")
        .get(pk=consultation.pk)
    )
    if not Membership.objects.filter(
        user=actor, role=Role.ADVISER, police_unit_id=consultation.cycle.police_unit_id
    ).exists():
        raise PortalError(
            _("Alleen de adviseur van de regioburgemeester kan herinneringen sturen."), status=403, code="forbidden"
        )
    now = db_now()
    if consultation.is_closed(now):
        raise PortalError(
            _("De consultatieronde is gesloten: er worden geen herinneringen meer verstuurd."),
            status=409,
            code="round_closed",
        )
    last = (
        Reminder.objects.filter(participation__round=consultation, manual=True, sent_at__gt=now - MANUAL_PAUSE)
        .order_by("-sent_at")
        .first()
    )
    if last is not None:
        raise PortalError(
            _("Om %(time)s is iedereen die nog niet klaar was al herinnerd. Probeer het later opnieuw.")
            % {"time": f"{last.sent_at.astimezone(AMSTERDAM):%H:%M}"},
            status=409,
            code="reminder_just_sent",
        )
    participations = (
        Participation.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .filter(round=consultation, municipality__is_active=True)
        .exclude(status__in=DONE)
        .order_by("municipality__name")
    )
    reminded = []
    for participation in participations:
        participation.round = consultation
        left = days_left(deadline=participation.deadline, now=now)
        Reminder.objects.create(
            participation=participation, days_before=max(left, 0), deadline=participation.deadline, manual=True
        )
        audit_record(
            actor=actor,
            object_type="deelname",
            object_uuid=participation.uuid,
            field="herinnering",
            old="",
            new=f"handmatig: {_when(left)}",
            municipality=participation.municipality,
        )
        _remind(participation, left)
        reminded.append(participation.municipality)
    return reminded


def _lock(pk: int) -> Participation:
    # The same lock as imv.services takes: reminders and status changes of one municipality queue up.
    return (
        Participation.objects.select_for_update(of=("self", "round", "municipality"))
        .select_related("round__cycle", "round__draft_version", "municipality")
        .get(pk=pk)
    )


def _remind(participation: Participation, left: int) -> None:
    """The notification, and one e-mail per staff member in the mail outbox (sent after commit)."""
    municipality = participation.municipality
    path = f"/{settings.TENANT_PATH_PREFIX}/{municipality.slug}/imv/"
    deadline = dutch_moment(participation.deadline)
    consultation = participation.round
    notify_municipality(
        municipality=municipality,
        consultation=consultation,
        message=(
            f"Herinnering: de zienswijze van {municipality.name} op {consultation.cycle.name} moet uiterlijk "
            f"{deadline} zijn ingediend ({_when(left)})."
        ),
        path=path,
        subject=f"Herinnering: zienswijze {consultation.cycle.name} voor {municipality.name} — {_when(left)}",
        body=(
            f"{municipality.name} heeft nog geen zienswijze gegeven in de consultatieronde “{consultation}”.\n\n"
            f"De uiterste datum voor {municipality.name} is {deadline} ({_when(left)}).\n\n"
            f"Dien de zienswijze van de raad in, vraag uitstel aan of laat weten dat de raad geen zienswijze "
            f"geeft, op de pagina van de ronde:\n{absolute(path)}"
        ),
        signature=ON_BEHALF,
    )


def _when(left: int) -> str:
    if left < 0:
        return "de uiterste datum is verstreken"
    if left == 0:
        return "vandaag is de laatste dag"
    if left == 1:
        return "nog 1 dag"
    return f"nog {left} dagen"
