"""Opening a consultation round, and the versions of the draft text it consults on."""

from __future__ import annotations

from datetime import date, datetime

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from imv import events
from imv.clock import db_now, deadline_end, dutch_moment
from imv.models import (
    ConsultationRound,
    DraftVersion,
    ImvCycle,
    Participation,
)
from imv.services._common import ROUND
from imv.services.notices import absolute, municipality_path, notify_municipality
from imv.uploads import pdf_check
from portal.exceptions import PortalError
from tenants.audit import audit_record
from tenants.models import Municipality, User


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

    Refused when the deadline has passed (database clock) or the RBOP meeting is not after it. The
    deadline is stored as the end of the minute it names (imv.clock.deadline_end).
    """
    now = db_now()
    deadline = deadline_end(deadline)
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
    municipalities = list(Municipality.objects.filter(police_unit_id=cycle.police_unit_id, is_active=True))
    Participation.objects.bulk_create(
        Participation(round=consultation, municipality=m, deadline=deadline, is_example=is_example)
        for m in municipalities
    )
    if not is_example:  # the demo's invented round invites nobody
        for municipality in municipalities:
            _invite(consultation, municipality)
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


def rounds_invite_new_municipality(*, municipality: Municipality, **_signal: object) -> list[Participation]:
    """A municipality added to a police unit joins every round of that unit that has not closed, with the
    round's deadline, and is invited like the others (tenants.signals.municipality_created)."""
    now = db_now()
    joined = []
    rounds = ConsultationRound.objects.filter(
        ConsultationRound.open_at(now), cycle__police_unit_id=municipality.police_unit_id
    ).select_related("cycle", "draft_version")
    for consultation in rounds:
        participation, created = Participation.objects.get_or_create(
            round=consultation,
            municipality=municipality,
            defaults={"deadline": consultation.deadline, "is_example": consultation.is_example},
        )
        if not created:
            continue
        audit_record(
            actor=None,
            object_type=ROUND,
            object_uuid=consultation.uuid,
            field="uitgenodigd",
            old="",
            new=f"{municipality.name} ({municipality.cbs_code}), toegevoegd aan de eenheid na het openen",
            municipality=municipality,
        )
        if not consultation.is_example:
            _invite(consultation, municipality)
        events.round_changed(consultation)
        joined.append(participation)
    return joined


def _invite(consultation: ConsultationRound, municipality: Municipality) -> None:
    """The invitation to give a zienswijze: a message for the municipality's staff and an e-mail to each."""
    name, cycle, label = municipality.name, consultation.cycle.name, consultation.draft_version.label
    deadline, rbop = dutch_moment(consultation.deadline), dutch_moment(consultation.rbop_meeting)
    path = municipality_path(municipality, f"imv/{consultation.uuid}/")
    notify_municipality(
        municipality=municipality,
        consultation=consultation,
        message=f"Uitnodiging: geef de zienswijze van {name} op “{label}” ({cycle}) uiterlijk {deadline}.",
        path=path,
        subject=f"Uitnodiging zienswijze {cycle} voor {name}, uiterlijk {deadline}",
        body=(
            f"De adviseur van de regioburgemeester vraagt de raad van {name} om een zienswijze op “{label}” "
            f"van {cycle}.\n\n"
            f"De uiterste datum voor {name} is {deadline}. Het RBOP vergadert op {rbop}.\n\n"
            f"Op de pagina van de ronde legt u de vergaderdata en het raadsbesluit vast, schrijft u de "
            f"zienswijze, vraagt u zo nodig uitstel aan en dient u de zienswijze in:\n{absolute(path)}"
        ),
    )


# --- Draft versions of the plan ------------------------------------------------------------
@transaction.atomic
def draft_version_create(
    *,
    actor: User,
    cycle: ImvCycle,
    label: str,
    day: date,
    document: File[bytes] | None,
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
