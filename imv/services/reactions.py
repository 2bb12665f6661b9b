"""The region's answer to a submitted zienswijze (reactienota): a reaction on each point and on the
whole, free to rewrite until the participation is "beantwoord"; after that, only a correction: a
new, dated version with a reason, which the municipality reads beside the earlier one."""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from imv.models import Disposition, Opinion, OpinionPoint, Participation, ParticipationStatus, Reaction, ReactionVersion
from imv.services._common import REACTION, _lock, audit_changes, version_assert
from imv.services.notices import absolute, municipality_path, notify_municipality
from portal.exceptions import PortalError
from tenants.access import can_manage_round
from tenants.audit import audit_record
from tenants.models import Membership, User


@transaction.atomic
def reaction_set(
    *,
    actor: User,
    opinion: Opinion,
    point: OpinionPoint | None,
    disposition: str,
    explanation: str,
) -> Reaction:
    """Write (or rewrite) the region's answer to one point of a submitted opinion, or to the whole.

    Every change is audited. Once the participation is "beantwoord" the answer has gone to the
    municipality and the reactions are frozen (409).
    """
    participation = _lock(opinion.participation)
    if participation.status == ParticipationStatus.ANSWERED:
        raise PortalError(
            _("De zienswijze is beantwoord: de reacties zijn naar de gemeente gestuurd en liggen vast."),
            status=409,
            code="reactions_frozen",
        )
    if opinion.withdrawn_at is not None:
        raise PortalError(_("Deze zienswijze is ingetrokken."), status=409, code="opinion_withdrawn")
    if point is not None and point.opinion_id != opinion.pk:
        raise PortalError(_("Dit punt hoort bij een andere zienswijze."), errors={"point": [_("ongeldig")]})
    if not explanation.strip():
        raise PortalError(_("Licht de verwerking toe."), errors={"explanation": [_("mag niet leeg zijn")]})
    before = Reaction.objects.filter(opinion=opinion, point=point).first()
    reaction, _created = Reaction.objects.update_or_create(
        opinion=opinion,
        point=point,
        defaults={"disposition": disposition, "explanation": explanation.strip(), "created_by": actor},
    )
    reaction.full_clean()
    where = point.theme.name if point is not None else "geheel"
    for field, old, new in (
        ("verwerking", before.disposition if before else "", reaction.disposition),
        ("toelichting", before.explanation if before else "", reaction.explanation),
    ):
        audit_record(
            actor=actor,
            object_type=REACTION,
            object_uuid=reaction.uuid,
            field=field,
            old=old,
            new=new,
            municipality=participation.municipality,
            note=f"zienswijze versie {opinion.number}, {where}",
        )
    return reaction


def reactions_missing(opinion: Opinion) -> list[str]:
    """What of the opinion has no reaction yet: "de zienswijze als geheel" and each point's theme."""
    answered = set(opinion.reactions.values_list("point_id", flat=True))
    missing = [] if None in answered else [_("de zienswijze als geheel")]
    missing += [
        point.theme.name
        for point in opinion.points.select_related("theme").order_by("theme__position", "pk")
        if point.pk not in answered
    ]
    return missing


# --- A correction after "beantwoord" -------------------------------------------------------
def reaction_version(reaction: Reaction) -> str:
    """The version of a reaction as callers see it (the API's ETag, the page's hidden field)."""
    return str(reaction.version)


def _where(point: OpinionPoint | None) -> str:
    """The point a reaction answers, in Dutch for the audit and the notice."""
    return f"“{point.theme.name}”" if point is not None else "de zienswijze als geheel"


@transaction.atomic
def reaction_correct(
    *,
    actor: User,
    reaction: Reaction,
    disposition: str,
    explanation: str,
    reason: str,
    expected_versions: Collection[str] | None = None,
) -> Reaction:
    """Correct a reaction the municipality has been sent: a new, dated version with a reason.

    Only the adviser of the round's police unit (403), only once the participation is "beantwoord"
    (before that, reaction_set rewrites freely; 409), with a reason and an explanation, and only
    when the disposition or the explanation changes (400). With ``expected_versions``, a reaction
    corrected since the caller read it is refused (412). The replaced text stays as a
    ReactionVersion; the change is audited (old → new, with the reason) and the municipality's
    staff get a message and (mail outbox, after commit) an e-mail. A refusal writes nothing.
    """
    participation = _lock(reaction.opinion.participation)
    if not can_manage_round(Membership.objects.filter(user=actor), participation.round.cycle.police_unit_id):
        raise PortalError(
            _("Alleen de adviseur van de regioburgemeester kan een reactie corrigeren."), status=403, code="forbidden"
        )
    reaction = Reaction.objects.select_related("opinion", "point__theme", "created_by").get(pk=reaction.pk)
    version_assert(reaction_version(reaction), expected_versions, what=_("de reactie"))
    if participation.status != ParticipationStatus.ANSWERED:
        raise PortalError(
            _("De zienswijze is nog niet beantwoord: pas de reactie zelf aan. Corrigeren kan pas na het versturen."),
            status=409,
            code="reactions_not_sent",
        )
    if reaction.opinion.withdrawn_at is not None:
        raise PortalError(_("Deze zienswijze is ingetrokken."), status=409, code="opinion_withdrawn")
    explanation, reason = explanation.strip(), reason.strip()
    errors: dict[str, list[str]] = {}
    if disposition not in Disposition.values:
        errors["disposition"] = [_("Kies wat de regio met het punt doet.")]
    if not explanation:
        errors["explanation"] = [_("Licht de verwerking toe.")]
    if not reason:
        errors["reason"] = [_("Geef de reden van de correctie: de gemeente leest die naast de eerdere versie.")]
    if errors:
        raise PortalError(_("De correctie is niet opgeslagen."), errors=errors)
    if disposition == reaction.disposition and explanation == reaction.explanation:
        raise PortalError(
            _("De correctie verandert niets: de verwerking en de toelichting zijn gelijk aan de huidige reactie."),
            code="unchanged",
        )
    old = ReactionVersion(
        reaction=reaction,
        number=reaction.version,
        disposition=reaction.disposition,
        explanation=reaction.explanation,
        written_by=reaction.created_by,
        written_at=reaction.updated_at,
        reason=reason,
        corrected_by=actor,
    )
    reaction.disposition, reaction.explanation, reaction.created_by = disposition, explanation, actor
    reaction.version += 1
    reaction.save(update_fields=["disposition", "explanation", "created_by", "version", "updated_at"])
    old.corrected_at = reaction.updated_at  # the moment the new version took over, to the microsecond
    old.save()
    _audit_correction(actor, participation, reaction, old)
    _tell_municipality_of_correction(participation, reaction, old)
    return reaction


def _audit_correction(actor: User, participation: Participation, reaction: Reaction, old: ReactionVersion) -> None:
    where = _where(reaction.point)
    note = f"correctie, zienswijze versie {reaction.opinion.number}, {where}; reden: {old.reason}"
    audit_changes(
        actor=actor,
        object_type=REACTION,
        object_uuid=reaction.uuid,
        changes=(
            ("correctie", f"versie {old.number}", f"versie {reaction.version}"),
            ("verwerking", old.disposition, reaction.disposition),
            ("toelichting", old.explanation, reaction.explanation),
        ),
        municipality=participation.municipality,
        note=note,
    )


def _tell_municipality_of_correction(participation: Participation, reaction: Reaction, old: ReactionVersion) -> None:
    """The municipality's staff read what changed, and why: a message and an e-mail, in Dutch."""
    municipality, consultation = participation.municipality, participation.round
    name, where = municipality.name, _where(reaction.point)
    path = municipality_path(municipality, f"imv/{consultation.uuid}/#antwoord")
    with translation.override("nl"):
        was, now = Disposition(old.disposition).label, Disposition(reaction.disposition).label
    notify_municipality(
        municipality=municipality,
        consultation=consultation,
        message=f"De regio heeft haar reactie op {where} gecorrigeerd in het antwoord aan {name} "
        f"(ronde “{consultation}”).",
        path=path,
        subject=f"Reactie gecorrigeerd: {name} — {consultation.cycle.name}",
        body=(
            f"De adviseur van de regioburgemeester heeft de reactie van de regio op {where} gecorrigeerd, in het "
            f"antwoord op de zienswijze van {name} (versie {reaction.opinion.number}) in de consultatieronde "
            f"“{consultation}”.\n\n"
            f"Was: {was}. {old.explanation}\n\n"
            f"Nu: {now}. {reaction.explanation}\n\n"
            f"Reden van de correctie: {old.reason}\n\n"
            f"De eerdere versie blijft naast de nieuwe te lezen in het antwoord van de regio:\n{absolute(path)}"
        ),
    )
