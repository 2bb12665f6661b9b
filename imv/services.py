"""Writes of the IMV consultation. Every service runs in one transaction, checks its rules on the
database clock, records each change of status, deadline or opinion in the audit trail, and tells
open status boards after commit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from imv import events
from imv.clock import db_now
from imv.models import (
    TRANSITIONS,
    ConsultationRound,
    DraftVersion,
    ExtensionRequest,
    ExtensionStatus,
    ImvCycle,
    Openbaarheid,
    Opinion,
    OpinionPoint,
    Participation,
    ParticipationStatus,
    Position,
    Reaction,
    Theme,
    ThemeStatus,
    WooCategory,
)
from imv.uploads import pdf_check
from portal.exceptions import PortalError
from tenants.audit import audit_record
from tenants.models import Municipality, User

PARTICIPATION = "deelname"
ROUND = "consultatieronde"
OPINION = "zienswijze"


# --- Themes --------------------------------------------------------------------------------
@transaction.atomic
def theme_update(*, actor: User, theme: Theme, name: str, status: str, note: str) -> Theme:
    """Change a theme while no round consults on its IMV yet (after that the draft is with the councils)."""
    if ConsultationRound.objects.filter(cycle_id=theme.cycle_id).exists():
        raise PortalError(
            _("De thema's liggen vast: het concept is al ter consultatie aan de raden gestuurd."),
            status=409,
            code="themes_frozen",
        )
    if status not in ThemeStatus.values:
        raise PortalError(_("Onbekende status %(status)s.") % {"status": status}, errors={"status": [_("ongeldig")]})
    if not name.strip():
        raise PortalError(_("Een thema heeft een naam."), errors={"name": [_("mag niet leeg zijn")]})
    for field, new in (("name", name.strip()), ("status", status), ("note", note)):
        audit_record(
            actor=actor, object_type="thema", object_uuid=theme.uuid, field=field, old=getattr(theme, field), new=new
        )
        setattr(theme, field, new)
    theme.save()
    return theme


# --- Rounds --------------------------------------------------------------------------------
@transaction.atomic
def round_open(
    *,
    actor: User,
    cycle: ImvCycle,
    draft_version: DraftVersion,
    deadline: datetime,
    rbop_meeting: datetime,
    is_example: bool = False,
) -> ConsultationRound:
    """Open a round on one draft version: every active municipality of the police unit is invited.

    Refused when the deadline has passed (database clock) or the RBOP meeting is not after it.
    """
    now = db_now()
    errors: dict[str, list[str]] = {}
    if draft_version.cycle_id != cycle.pk:
        errors["draft_version"] = [_("Deze conceptversie hoort bij een ander IMV.")]
    if deadline <= now and not is_example:
        errors["deadline"] = [_("De uiterste datum ligt in het verleden.")]
    if rbop_meeting <= deadline:
        errors["rbop_meeting"] = [_("De RBOP-vergadering moet na de uiterste datum liggen.")]
    if errors:
        raise PortalError(_("De consultatieronde is niet geopend."), errors=errors)
    consultation = ConsultationRound.objects.create(
        cycle=cycle,
        draft_version=draft_version,
        deadline=deadline,
        rbop_meeting=rbop_meeting,
        opened_at=now,
        opened_by=actor,
        is_example=is_example,
    )
    municipalities = Municipality.objects.filter(police_unit_id=cycle.police_unit_id, is_active=True)
    Participation.objects.bulk_create(
        Participation(round=consultation, municipality=m, deadline=deadline, is_example=is_example)
        for m in municipalities
    )
    audit_record(
        actor=actor,
        object_type=ROUND,
        object_uuid=consultation.uuid,
        field="geopend",
        old="",
        new=f"{draft_version.label}; uiterste datum {deadline.isoformat()}",
    )
    events.round_changed(consultation)
    return consultation


def _assert_open(consultation: ConsultationRound, now: datetime) -> None:
    if now >= consultation.rbop_meeting:
        raise PortalError(
            _(
                "De consultatieronde is gesloten: het RBOP heeft op %(date)s vergaderd. Er kan niets meer worden "
                "ingediend of gewijzigd."
            )
            % {"date": f"{consultation.rbop_meeting:%d-%m-%Y}"},
            status=409,
            code="round_closed",
        )


def _lock(participation: Participation) -> Participation:
    """Re-read the participation under a row lock: concurrent changes queue up instead of racing."""
    return Participation.objects.select_for_update().select_related("round", "municipality").get(pk=participation.pk)


def _move(actor: User | None, participation: Participation, new_status: str, note: str = "") -> None:
    old_status = participation.status
    if new_status not in TRANSITIONS[old_status]:
        raise PortalError(
            _("Van “%(old)s” kan een deelname niet naar “%(new)s”.")
            % {"old": ParticipationStatus(old_status).label, "new": ParticipationStatus(new_status).label},
            status=409,
            code="transition_not_allowed",
        )
    participation.status = new_status
    audit_record(
        actor=actor,
        object_type=PARTICIPATION,
        object_uuid=participation.uuid,
        field="status",
        old=old_status,
        new=new_status,
        municipality=participation.municipality,
        note=note,
    )


def _save(participation: Participation, *fields: str) -> None:
    participation.version += 1
    participation.save(update_fields=[*fields, "version", "updated_at"])
    events.round_changed(participation.round)


@transaction.atomic
def participation_schedule(
    *,
    actor: User,
    participation: Participation,
    committee_date: date | None,
    council_date: date | None,
) -> Participation:
    """Record when the committee and the council discuss the draft (status: geagendeerd)."""
    participation = _lock(participation)
    _assert_open(participation.round, db_now())
    if council_date is None and committee_date is None:
        raise PortalError(
            _("Vul de datum van de commissie- of raadsvergadering in."),
            errors={"council_date": [_("verplicht als er geen commissiedatum is")]},
        )
    if committee_date and council_date and committee_date > council_date:
        raise PortalError(
            _("De commissie vergadert vóór de raad."), errors={"committee_date": [_("ligt na de raadsvergadering")]}
        )
    _move(actor, participation, ParticipationStatus.SCHEDULED)
    for field, new in (("committee_date", committee_date), ("council_date", council_date)):
        audit_record(
            actor=actor,
            object_type=PARTICIPATION,
            object_uuid=participation.uuid,
            field=field,
            old=getattr(participation, field),
            new=new,
            municipality=participation.municipality,
        )
        setattr(participation, field, new)
    _save(participation, "status", "committee_date", "council_date")
    return participation


@dataclass(frozen=True)
class CouncilDecision:
    """The council's decision on its zienswijze (raadsbesluit)."""

    decision_date: date
    case_number: str
    document: UploadedFile | None
    openbaarheid: str
    woo_category: WooCategory | None


@transaction.atomic
def participation_adopt(*, actor: User, participation: Participation, decision: CouncilDecision) -> Participation:
    """Record the council decision (status: vastgesteld). A new PDF must pass uploads.pdf_check first:
    a refused file leaves the participation unchanged and nothing stored.
    """
    if decision.document is not None:
        pdf_check(decision.document)
    participation = _lock(participation)
    now = db_now()
    _assert_open(participation.round, now)
    errors: dict[str, list[str]] = {}
    if decision.decision_date > now.date():
        errors["decision_date"] = [_("Een raadsbesluit kan niet in de toekomst liggen.")]
    if not decision.case_number.strip():
        errors["case_number"] = [_("Vul het zaaknummer van het raadsbesluit in.")]
    if decision.openbaarheid not in Openbaarheid.values:
        errors["openbaarheid"] = [_("Kies de openbaarheid van het besluit.")]
    if decision.document is None and not participation.decision_document:
        errors["document"] = [_("Voeg het raadsbesluit toe als PDF.")]
    if errors:
        raise PortalError(_("Het raadsbesluit is niet opgeslagen."), errors=errors)
    _move(actor, participation, ParticipationStatus.ADOPTED)
    audit_record(
        actor=actor,
        object_type=PARTICIPATION,
        object_uuid=participation.uuid,
        field="decision_date",
        old=participation.decision_date,
        new=decision.decision_date,
        municipality=participation.municipality,
    )
    participation.decision_date = decision.decision_date
    participation.decision_case_number = decision.case_number.strip()
    participation.openbaarheid = decision.openbaarheid
    participation.woo_category = decision.woo_category
    if decision.document is not None:
        participation.decision_document.save("raadsbesluit.pdf", decision.document, save=False)
    _save(
        participation,
        "status",
        "decision_date",
        "decision_case_number",
        "openbaarheid",
        "woo_category",
        "decision_document",
    )
    return participation


@transaction.atomic
def participation_decline(*, actor: User, participation: Participation, note: str) -> Participation:
    """The council gives no zienswijze (status: geeft geen zienswijze)."""
    participation = _lock(participation)
    _assert_open(participation.round, db_now())
    _move(actor, participation, ParticipationStatus.NO_OPINION, note=note)
    _save(participation, "status")
    return participation


# --- Opinions ------------------------------------------------------------------------------
@dataclass(frozen=True)
class PointInput:
    theme: Theme
    position: str
    text: str


def days_late(submitted_at: datetime, deadline: datetime) -> int:
    """Whole days past the deadline, started days counting: one second late is one day late."""
    if submitted_at <= deadline:
        return 0
    return math.ceil((submitted_at - deadline) / timedelta(days=1))


@transaction.atomic
def opinion_submit(
    *,
    actor: User,
    participation: Participation,
    overall_position: str,
    overall_text: str,
    points: Iterable[PointInput],
    idempotency_key: str = "",
) -> Opinion:
    """Forward an immutable copy of the council's zienswijze to the region (status: ingediend).

    Late submissions are accepted and marked with the days late; after the RBOP meeting nothing is
    accepted. The same non-empty idempotency key returns the opinion it made the first time.
    """
    participation = _lock(participation)
    if idempotency_key:
        existing = Opinion.objects.filter(participation=participation, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    now = db_now()
    _assert_open(participation.round, now)
    points = list(points)
    errors: dict[str, list[str]] = {}
    if overall_position not in Position.values:
        errors["overall_position"] = [_("Kies een standpunt.")]
    cycle_theme_ids = set(Theme.objects.filter(cycle_id=participation.round.cycle_id).values_list("pk", flat=True))
    seen: set[int] = set()
    for point in points:
        if point.theme.pk not in cycle_theme_ids:
            errors.setdefault("points", []).append(
                _("“%(theme)s” is geen thema van deze consultatieronde.") % {"theme": point.theme.name}
            )
        elif point.theme.pk in seen:
            errors.setdefault("points", []).append(
                _("“%(theme)s” staat er twee keer in.") % {"theme": point.theme.name}
            )
        if point.position not in Position.values:
            errors.setdefault("points", []).append(
                _("Ongeldig standpunt bij “%(theme)s”.") % {"theme": point.theme.name}
            )
        seen.add(point.theme.pk)
    if participation.decision_date and participation.decision_date > now.date():
        errors["decision_date"] = [_("Het raadsbesluit is gedateerd na het indienen.")]
    if errors:
        raise PortalError(_("De zienswijze is niet ingediend."), errors=errors)
    _move(actor, participation, ParticipationStatus.SUBMITTED)
    late = days_late(now, participation.deadline)
    number = (participation.opinions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    opinion = Opinion.objects.create(
        participation=participation,
        number=number,
        overall_position=overall_position,
        overall_text=overall_text,
        submitted_at=now,
        submitted_by=actor,
        days_late=late,
        idempotency_key=idempotency_key,
    )
    OpinionPoint.objects.bulk_create(
        OpinionPoint(opinion=opinion, theme=p.theme, position=p.position, text=p.text) for p in points
    )
    audit_record(
        actor=actor,
        object_type=OPINION,
        object_uuid=opinion.uuid,
        field="ingediend",
        old="",
        new=f"versie {number}" + (f", {late} dag(en) te laat" if late else ""),
        municipality=participation.municipality,
    )
    participation.submitted_at = now
    participation.days_late = late
    _save(participation, "status", "submitted_at", "days_late")
    return opinion


@transaction.atomic
def opinion_withdraw(*, actor: User, participation: Participation) -> Participation:
    """Withdraw the submitted opinion until the RBOP meeting (back to vastgesteld); it stays on record."""
    participation = _lock(participation)
    _assert_open(participation.round, db_now())
    opinion = participation.opinions.filter(withdrawn_at__isnull=True).order_by("-number").first()
    _move(actor, participation, ParticipationStatus.ADOPTED, note=_("zienswijze ingetrokken"))
    if opinion is not None:
        opinion.withdrawn_at = db_now()
        opinion.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor,
            object_type=OPINION,
            object_uuid=opinion.uuid,
            field="ingetrokken",
            old="",
            new=opinion.withdrawn_at,
            municipality=participation.municipality,
        )
    participation.submitted_at = None
    participation.days_late = 0
    _save(participation, "status", "submitted_at", "days_late")
    return participation


# --- Extensions ----------------------------------------------------------------------------
@transaction.atomic
def extension_request(
    *,
    actor: User,
    participation: Participation,
    reason: str,
    requested_deadline: datetime,
) -> ExtensionRequest:
    """Ask for more time; one open request per municipality."""
    participation = _lock(participation)
    _assert_open(participation.round, db_now())
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Geef een reden.")]
    if requested_deadline <= participation.deadline:
        errors["requested_deadline"] = [_("De gevraagde datum ligt niet na de huidige uiterste datum.")]
    if requested_deadline >= participation.round.rbop_meeting:
        errors["requested_deadline"] = [_("De gevraagde datum ligt niet vóór de RBOP-vergadering.")]
    if participation.status in (ParticipationStatus.SUBMITTED, ParticipationStatus.ANSWERED):
        errors["status"] = [_("De zienswijze is al ingediend.")]
    if errors:
        raise PortalError(_("Het uitstelverzoek is niet verstuurd."), errors=errors)
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                participation=participation,
                reason=reason.strip(),
                requested_deadline=requested_deadline,
                requested_by=actor,
            )
    except IntegrityError as exc:
        raise PortalError(
            _("Er loopt al een uitstelverzoek voor deze gemeente."), status=409, code="extension_open"
        ) from exc
    audit_record(
        actor=actor,
        object_type="uitstelverzoek",
        object_uuid=request.uuid,
        field="status",
        old="",
        new=ExtensionStatus.REQUESTED,
        municipality=participation.municipality,
    )
    events.round_changed(participation.round)
    return request


@transaction.atomic
def extension_decide(
    *,
    actor: User,
    request: ExtensionRequest,
    grant: bool,
    deadline: datetime | None = None,
    note: str = "",
) -> ExtensionRequest:
    """Grant (with a new deadline for this municipality only) or refuse a request for more time."""
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ExtensionStatus.REQUESTED:
        raise PortalError(_("Over dit uitstelverzoek is al besloten."), status=409, code="extension_decided")
    participation = _lock(request.participation)
    now = db_now()
    _assert_open(participation.round, now)
    if grant:
        new_deadline = deadline or request.requested_deadline
        if new_deadline <= participation.deadline or new_deadline >= participation.round.rbop_meeting:
            raise PortalError(
                _("De nieuwe uiterste datum moet na de huidige en vóór de RBOP-vergadering liggen."),
                errors={"deadline": [_("buiten het toegestane bereik")]},
            )
        audit_record(
            actor=actor,
            object_type=PARTICIPATION,
            object_uuid=participation.uuid,
            field="deadline",
            old=participation.deadline,
            new=new_deadline,
            municipality=participation.municipality,
            note=_("uitstel toegekend"),
        )
        participation.deadline = new_deadline
        if participation.submitted_at is None:
            participation.days_late = 0
        request.granted_deadline = new_deadline
        _save(participation, "deadline", "days_late")
    request.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note
    request.save()
    audit_record(
        actor=actor,
        object_type="uitstelverzoek",
        object_uuid=request.uuid,
        field="status",
        old=ExtensionStatus.REQUESTED,
        new=request.status,
        municipality=participation.municipality,
    )
    events.round_changed(participation.round)
    return request


# --- The region's answer -------------------------------------------------------------------
@transaction.atomic
def reaction_set(
    *,
    actor: User,
    opinion: Opinion,
    point: OpinionPoint | None,
    disposition: str,
    explanation: str,
) -> Reaction:
    """Write (or rewrite) the region's answer to one point of a submitted opinion, or to the whole."""
    if opinion.withdrawn_at is not None:
        raise PortalError(_("Deze zienswijze is ingetrokken."), status=409, code="opinion_withdrawn")
    if point is not None and point.opinion_id != opinion.pk:
        raise PortalError(_("Dit punt hoort bij een andere zienswijze."), errors={"point": [_("ongeldig")]})
    if not explanation.strip():
        raise PortalError(_("Licht de verwerking toe."), errors={"explanation": [_("mag niet leeg zijn")]})
    reaction, _created = Reaction.objects.update_or_create(
        opinion=opinion,
        point=point,
        defaults={"disposition": disposition, "explanation": explanation.strip(), "created_by": actor},
    )
    reaction.full_clean()
    return reaction


@transaction.atomic
def participation_answer(*, actor: User, participation: Participation) -> Participation:
    """Send the region's answer to the municipality (status: beantwoord)."""
    participation = _lock(participation)
    opinion = participation.opinions.filter(withdrawn_at__isnull=True).order_by("-number").first()
    if opinion is None or not opinion.reactions.exists():
        raise PortalError(_("Schrijf eerst een reactie op de zienswijze."), status=409, code="no_reaction")
    _move(actor, participation, ParticipationStatus.ANSWERED)
    _save(participation, "status")
    return participation


# --- Draft versions of the plan ------------------------------------------------------------
@transaction.atomic
def draft_version_create(
    *,
    actor: User,
    cycle: ImvCycle,
    label: str,
    day: date,
    document: File | None,
    change_note: str,
) -> DraftVersion:
    """Add a version of the draft IMV text (e.g. the "90 %" concept) with its PDF.

    Versions are never edited: a round fixes the version it consults on when it opens.
    """
    errors: dict[str, list[str]] = {}
    if not label.strip():
        errors["label"] = [_("Geef de versie een naam, bijvoorbeeld “Concept (90 %)”.")]
    if document is None:
        errors["document"] = [_("Voeg de tekst van het concept toe als PDF.")]
    if errors or document is None:
        raise PortalError(_("De conceptversie is niet toegevoegd."), errors=errors)
    pdf_check(document)
    version = DraftVersion(cycle=cycle, label=label.strip(), date=day, change_note=change_note)
    version.document.save("concept.pdf", document, save=False)
    version.save()
    audit_record(
        actor=actor,
        object_type="conceptversie",
        object_uuid=version.uuid,
        field="toegevoegd",
        old="",
        new=f"{version.label} ({day.isoformat()})",
    )
    return version
