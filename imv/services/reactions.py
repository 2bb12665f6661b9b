"""The region's answer to a submitted zienswijze (reactienota): a reaction on each point and on the
whole, free to rewrite until the participation is "beantwoord"."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from imv.models import Opinion, OpinionPoint, ParticipationStatus, Reaction
from imv.services._common import REACTION, _lock
from portal.exceptions import PortalError
from tenants.audit import audit_record
from tenants.models import User


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
