"""Reads of the IMV rounds for a municipality's pages. Callers are inside the municipality's schema.

The IMV reads combine the shared schema (the round, this municipality's participation, its
submitted opinions, the audit trail) with the municipality's own schema (the private draft).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imv.clock import AMSTERDAM, amsterdam_date, days_late, days_left, is_late
from imv.models import (
    ConsultationRound,
    ExtensionRequest,
    ExtensionStatus,
    Opinion,
    OpinionPoint,
    Participation,
    ParticipationStatus,
    Reaction,
)
from imv.selectors import DONE, reactions_with_versions
from imv.selectors.audit import AUDIT_LABELS
from imv.services import EXTENSION
from tenants.models import AuditEvent, Municipality


# --- IMV consultation rounds -------------------------------------------------------------------
def imv_round_list(*, municipality: Municipality) -> list[tuple[ConsultationRound, Participation | None]]:
    """The rounds of the municipality's police unit, newest first, each with this municipality's
    participation (None when it was not invited, e.g. it joined the unit later)."""
    rounds = list(
        ConsultationRound.objects.filter(cycle__police_unit_id=municipality.police_unit_id)
        .select_related("cycle", "draft_version")
        .order_by("-opened_at")
    )
    participations = {p.round_id: p for p in Participation.objects.filter(municipality=municipality, round__in=rounds)}
    return [(r, participations.get(r.pk)) for r in rounds]


def participation_get(*, municipality: Municipality, round_uuid: UUID | str) -> Participation | None:
    """This municipality's participation in one round of its own police unit, or None."""
    return (
        Participation.objects.select_related("round__cycle", "round__draft_version", "woo_category", "municipality")
        .filter(
            municipality=municipality,
            round__uuid=round_uuid,
            round__cycle__police_unit_id=municipality.police_unit_id,
        )
        .first()
    )


@dataclass(frozen=True)
class DeadlineState:
    """The own deadline as the municipality sees it: calendar days in Amsterdam (imv.clock)."""

    deadline: datetime
    days_left: int
    days_late: int
    done: bool
    is_late: bool


def deadline_state(*, participation: Participation, now: datetime) -> DeadlineState:
    done = participation.status in DONE
    if participation.submitted_at is not None:
        late, days = is_late(participation.submitted_at, participation.deadline), participation.days_late
    elif done:
        late, days = False, 0
    else:
        late, days = is_late(now, participation.deadline), days_late(now, participation.deadline)
    left = days_left(deadline=participation.deadline, now=now)
    return DeadlineState(deadline=participation.deadline, days_left=left, days_late=days, done=done, is_late=late)


SECTION_LABELS = {
    "vergaderdata": gettext_lazy("Behandeling in de raad"),
    "raadsbesluit": gettext_lazy("Raadsbesluit"),
    "zienswijze": gettext_lazy("Concept-zienswijze"),
    "versies": gettext_lazy("Ingediende versies"),
    "antwoord": gettext_lazy("Antwoord van de regio"),
}


@dataclass(frozen=True)
class NextStep:
    """One sentence on what comes next, and the section of the round page ("status": none)."""

    text: str
    anchor: str

    @property
    def section(self) -> str:
        return str(SECTION_LABELS.get(self.anchor, ""))


def next_step(*, participation: Participation, closed: bool) -> NextStep:
    """What the municipality does next, in one sentence, and the section of the round page for it."""
    if closed:
        return NextStep(_("De ronde is gesloten: het RBOP heeft vergaderd. Er kan niets meer veranderen."), "status")
    steps = {
        ParticipationStatus.INVITED: NextStep(
            _(
                "Leg vast wanneer de commissie en de raad het concept bespreken, of meld dat de raad geen "
                "zienswijze geeft."
            ),
            "vergaderdata",
        ),
        ParticipationStatus.SCHEDULED: NextStep(
            _("Bereid de zienswijze voor en leg na de raadsvergadering het raadsbesluit vast."), "raadsbesluit"
        ),
        ParticipationStatus.ADOPTED: NextStep(_("Dien de zienswijze in bij de regio."), "zienswijze"),
        ParticipationStatus.SUBMITTED: NextStep(
            _("De regio verwerkt de zienswijze. Tot de RBOP-vergadering kunt u haar intrekken en opnieuw indienen."),
            "versies",
        ),
        ParticipationStatus.ANSWERED: NextStep(_("De regio heeft geantwoord. Lees het antwoord."), "antwoord"),
        ParticipationStatus.NO_OPINION: NextStep(
            _("De raad geeft geen zienswijze. Wil de raad dat toch, leg dan de vergaderdata vast."), "vergaderdata"
        ),
    }
    return steps[ParticipationStatus(participation.status)]


@dataclass(frozen=True)
class RoundStep:
    """One step of the round on its timeline; ``when`` is None while it has no date yet."""

    label: str
    when: date | datetime | None
    state: Literal["done", "today", "next", "later", "unknown"]


def round_steps(*, participation: Participation, now: datetime) -> list[RoundStep]:
    """The round's steps for this municipality in order, marked past, today or to come."""
    consultation = participation.round
    today = amsterdam_date(now)
    deadline_label = _("Eigen uiterste datum voor de zienswijze")
    raw: list[tuple[str, date | datetime | None]] = [
        (_("Concept verstuurd naar de raden"), consultation.draft_version.date),
        (_("Commissievergadering"), participation.committee_date),
        (_("Raadsvergadering"), participation.council_date),
        (_("Raadsbesluit over de zienswijze"), participation.decision_date),
        (_("Zienswijze ingediend"), participation.submitted_at),
        (deadline_label, participation.deadline),
        (_("RBOP-vergadering: vaststelling van het IMV"), consultation.rbop_meeting),
    ]
    if participation.committee_date is None and participation.council_date is not None:
        del raw[1]  # not every council sends it to a committee first
    steps: list[RoundStep] = []
    next_seen = False
    for label, when in raw:
        if when is None:
            steps.append(RoundStep(label, None, "unknown"))
            continue
        day = amsterdam_date(when) if isinstance(when, datetime) else when
        if day < today:
            state: Literal["done", "today", "next", "later", "unknown"] = "done"
        elif day == today:
            state = "today"
        elif label == deadline_label and participation.status in DONE:
            state = "later"  # met (or answered otherwise): no longer what comes next
        elif not next_seen:
            state, next_seen = "next", True
        else:
            state = "later"
        steps.append(RoundStep(label, when, state))
    return steps


@dataclass(frozen=True)
class PointView:
    point: OpinionPoint
    reaction: Reaction | None


@dataclass(frozen=True)
class OpinionView:
    """A submitted version with its points in theme order and the region's answer per point."""

    opinion: Opinion
    points: list[PointView]
    overall_reaction: Reaction | None
    is_current: bool


def opinion_list(*, participation: Participation) -> list[OpinionView]:
    """Every submitted version of this municipality's zienswijze, newest first (withdrawn ones too), with
    the region's reactions and the earlier versions of any it corrected."""
    opinions = list(
        Opinion.objects.filter(participation=participation)
        .select_related("submitted_by", "draft_version")
        .prefetch_related(
            Prefetch("points", queryset=OpinionPoint.objects.select_related("theme").order_by("theme__position")),
            Prefetch("reactions", queryset=reactions_with_versions()),
        )
        .order_by("-number")
    )
    current = next((o.pk for o in opinions if o.withdrawn_at is None), None)
    views = []
    for opinion in opinions:
        reactions = {r.point_id: r for r in opinion.reactions.all()}
        views.append(
            OpinionView(
                opinion=opinion,
                points=[PointView(p, reactions.get(p.pk)) for p in opinion.points.all()],
                overall_reaction=reactions.get(None),
                is_current=opinion.pk == current,
            )
        )
    return views


def extension_list(*, participation: Participation) -> QuerySet[ExtensionRequest]:
    return participation.extension_requests.select_related("requested_by", "decided_by").order_by("-requested_at")


# --- History -----------------------------------------------------------------------------------
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    actor: str
    subject: str
    old: str
    new: str
    note: str = ""


def _history_value(object_type: str, field_name: str, value: str) -> str:
    """An audit value as people read it: status words, Dutch dates, Amsterdam times."""
    if not value:
        return "—"
    if field_name == "status":
        choices = ExtensionStatus if object_type == EXTENSION else ParticipationStatus
        if value in choices.values:
            return str(choices(value).label)
    if ISO_DATE.match(value):
        return date_format(date.fromisoformat(value), "j F Y")
    if ISO_DATETIME.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return date_format(timezone.localtime(moment, AMSTERDAM), "j F Y H:i")
    return value


def participation_history(*, participation: Participation) -> list[HistoryRow]:
    """The audit trail of this municipality's participation, its opinions and its extension
    requests in this round, newest first."""
    uuids = [
        participation.uuid,
        *participation.opinions.values_list("uuid", flat=True),
        *participation.extension_requests.values_list("uuid", flat=True),
    ]
    events = AuditEvent.objects.filter(municipality_id=participation.municipality_id, object_uuid__in=uuids)
    return [
        HistoryRow(
            at=e.at,
            actor=e.actor_label,
            subject=str(AUDIT_LABELS.get((e.object_type, e.field), e.field)),
            old=_history_value(e.object_type, e.field, e.old_value),
            new=_history_value(e.object_type, e.field, e.new_value),
            note=e.note,
        )
        for e in events.order_by("-at", "-pk")
    ]


# --- The municipality's home page --------------------------------------------------------------
@dataclass(frozen=True)
class OpenRound:
    """A round that is still open, for the "Openstaand" summary on the municipality's home page."""

    consultation: ConsultationRound
    participation: Participation
    deadline: DeadlineState
    next_step: NextStep
    open_extension: bool = field(default=False)


def imv_open_rounds(*, municipality: Municipality, now: datetime) -> list[OpenRound]:
    """Rounds of this municipality that have not closed yet, with what is due when."""
    participations = (
        Participation.objects.filter(ConsultationRound.open_at(now, via="round__"), municipality=municipality)
        .select_related("round__cycle", "round__draft_version")
        .prefetch_related(
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.filter(status=ExtensionStatus.REQUESTED),
                to_attr="open_requests",
            )
        )
        .order_by("deadline")
    )
    return [
        OpenRound(
            consultation=p.round,
            participation=p,
            deadline=deadline_state(participation=p, now=now),
            next_step=next_step(participation=p, closed=False),
            open_extension=bool(getattr(p, "open_requests", [])),
        )
        for p in participations
    ]
