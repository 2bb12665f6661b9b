"""A municipality's way through a round: meetings, council decision, no opinion, answered."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from imv.clock import amsterdam_date, db_now
from imv.models import (
    Action,
    Openbaarheid,
    Participation,
    WooCategory,
)
from imv.services._common import (
    PARTICIPATION,
    _lock,
    _move,
    _save,
    action_assert,
    participation_version,
    round_assert_open,
    version_assert,
)
from imv.services.reactions import reactions_missing
from imv.uploads import pdf_check
from portal.exceptions import PortalError
from tenants.audit import audit_record, file_summary
from tenants.models import User


@transaction.atomic
def participation_schedule(
    *,
    actor: User,
    participation: Participation,
    committee_date: date | None,
    council_date: date | None,
    expected_versions: Collection[str] | None = None,
) -> Participation:
    """Record when the committee and the council discuss the draft (status: geagendeerd).

    With ``expected_versions`` (the versions the caller's copy may have), a participation changed
    since is refused with 412 (StaleVersionError) and nothing is written.
    """
    participation = _lock(participation)
    version_assert(participation_version(participation), expected_versions, what=_("de deelname"))
    round_assert_open(participation.round, db_now())
    action_assert(participation, Action.SCHEDULE)
    if council_date is None and committee_date is None:
        raise PortalError(
            _("Vul de datum van de commissie- of raadsvergadering in."),
            errors={"council_date": [_("verplicht als er geen commissiedatum is")]},
        )
    if committee_date and council_date and committee_date > council_date:
        raise PortalError(
            _("De commissie vergadert vóór de raad."), errors={"committee_date": [_("ligt na de raadsvergadering")]}
        )
    _move(actor, participation, Action.SCHEDULE)
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
    document: UploadedFile[bytes] | None
    openbaarheid: str
    woo_category: WooCategory | None


@transaction.atomic
def participation_adopt(
    *,
    actor: User,
    participation: Participation,
    decision: CouncilDecision,
    expected_versions: Collection[str] | None = None,
) -> Participation:
    """Record the council decision (status: vastgesteld). A new PDF must pass uploads.pdf_check first:
    a refused file leaves the participation unchanged and nothing stored. ``expected_versions``: as
    participation_schedule (412 when the participation changed since the caller read it).
    """
    if decision.document is not None:
        pdf_check(decision.document)
    participation = _lock(participation)
    version_assert(participation_version(participation), expected_versions, what=_("de deelname"))
    now = db_now()
    round_assert_open(participation.round, now)
    action_assert(participation, Action.ADOPT)
    errors: dict[str, list[str]] = {}
    if decision.decision_date > amsterdam_date(now):
        errors["decision_date"] = [_("Een raadsbesluit kan niet in de toekomst liggen.")]
    sent = participation.round.draft_version.date
    if decision.decision_date < sent:
        errors.setdefault("decision_date", []).append(
            _("Het raadsbesluit is gedateerd vóór de conceptversie waarop het antwoordt (%(date)s).")
            % {"date": f"{sent:%d-%m-%Y}"}
        )
    if not decision.case_number.strip():
        errors["case_number"] = [_("Vul het zaaknummer van het raadsbesluit in.")]
    if decision.openbaarheid not in Openbaarheid.values:
        errors["openbaarheid"] = [_("Kies de openbaarheid van het besluit.")]
    if decision.woo_category is None:
        errors["woo_category"] = [_("Kies de Woo-informatiecategorie waaronder het besluit valt.")]
    if decision.document is None and not participation.decision_document:
        errors["document"] = [_("Voeg het raadsbesluit toe als PDF.")]
    if errors:
        raise PortalError(_("Het raadsbesluit is niet opgeslagen."), errors=errors)
    _move(actor, participation, Action.ADOPT)
    old_document = file_summary(participation.decision_document, name="raadsbesluit.pdf")
    changes = (
        ("decision_date", participation.decision_date, decision.decision_date),
        ("decision_case_number", participation.decision_case_number, decision.case_number.strip()),
        ("openbaarheid", participation.openbaarheid, decision.openbaarheid),
        ("woo_category", participation.woo_category, decision.woo_category),
    )
    for field, old, new in changes:
        audit_record(
            actor=actor,
            object_type=PARTICIPATION,
            object_uuid=participation.uuid,
            field=field,
            old=old,
            new=new,
            municipality=participation.municipality,
        )
    participation.decision_date = decision.decision_date
    participation.decision_case_number = decision.case_number.strip()
    participation.openbaarheid = decision.openbaarheid
    participation.woo_category = decision.woo_category
    if decision.document is not None:
        audit_record(
            actor=actor,
            object_type=PARTICIPATION,
            object_uuid=participation.uuid,
            field="decision_document",
            old=old_document,
            new=file_summary(decision.document, name="raadsbesluit.pdf"),
            municipality=participation.municipality,
        )
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
def participation_decline(
    *, actor: User, participation: Participation, note: str, expected_versions: Collection[str] | None = None
) -> Participation:
    """The council gives no zienswijze (status: geeft geen zienswijze); ``expected_versions`` as schedule."""
    participation = _lock(participation)
    version_assert(participation_version(participation), expected_versions, what=_("de deelname"))
    round_assert_open(participation.round, db_now())
    _move(actor, participation, Action.DECLINE, note=note)
    _save(participation, "status")
    return participation


@transaction.atomic
def participation_answer(
    *, actor: User, participation: Participation, expected_versions: Collection[str] | None = None
) -> Participation:
    """Send the region's answer to the municipality (status: beantwoord); ``expected_versions`` as schedule."""
    participation = _lock(participation)
    version_assert(participation_version(participation), expected_versions, what=_("de deelname"))
    action_assert(participation, Action.ANSWER)
    opinion = participation.opinions.filter(withdrawn_at__isnull=True).order_by("-number").first()
    if opinion is None or not opinion.reactions.exists():
        raise PortalError(_("Schrijf eerst een reactie op de zienswijze."), status=409, code="no_reaction")
    missing = reactions_missing(opinion)
    if missing:
        raise PortalError(
            _("Nog zonder reactie: %(points)s. Geef op elk punt aan wat de regio ermee doet.")
            % {"points": ", ".join(missing)},
            status=409,
            code="reactions_missing",
        )
    _move(actor, participation, Action.ANSWER)
    _save(participation, "status")
    return participation
