"""Writes to a municipality's own data. Callers are inside the municipality's schema."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from imv.clock import db_now
from imv.models import ConsultationRound, Opinion
from imv.services import round_assert_open
from municipalities.models import OpinionDraft, SafetyPlan
from municipalities.opinions import DraftPointInput, opinion_draft_get, opinion_draft_save, opinion_draft_submit
from portal.exceptions import PortalError
from tenants.models import Municipality, User


@transaction.atomic
def safety_plan_update(*, plan: SafetyPlan, title: str, status: str, summary: str) -> SafetyPlan:
    """Change a plan's title, status and summary after validation; nothing is saved if any is wrong."""
    plan.title = title
    plan.status = status
    plan.summary = summary
    try:
        plan.full_clean()
    except ValidationError as exc:
        raise PortalError(_("Het veiligheidsplan is niet opgeslagen."), errors=exc.message_dict) from exc
    plan.save()
    return plan


# --- The draft zienswijze, as the round page writes it ----------------------------------------
@transaction.atomic
def opinion_draft_update(
    *,
    actor: User,
    consultation: ConsultationRound,
    expected_version: int,
    overall_position: str,
    overall_text: str,
    points: list[DraftPointInput],
) -> OpinionDraft:
    """Save this municipality's draft for an open round (opinion_draft_save: 412 when someone saved since)."""
    # A draft that can never be submitted is not worth saving either.
    round_assert_open(consultation, db_now())
    return opinion_draft_save(
        actor=actor,
        draft=opinion_draft_get(consultation=consultation),
        expected_version=expected_version,
        overall_position=overall_position,
        overall_text=overall_text,
        points=points,
    )


def opinion_draft_update_and_submit(
    *,
    actor: User,
    municipality: Municipality,
    consultation: ConsultationRound,
    expected_version: int,
    overall_position: str,
    overall_text: str,
    points: list[DraftPointInput],
    idempotency_key: str,
) -> Opinion:
    """Save the draft exactly as the user sees it and forward it to the region, both or neither.

    A repeated request with the same idempotency key (a double click) returns the opinion the first
    one made, also when it arrives while the first is still running (its save then finds the
    draft's version moved on, and the key is looked up again once the first has committed).
    """
    existing = _opinion_for_key(municipality, consultation, idempotency_key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            draft = opinion_draft_update(
                actor=actor,
                consultation=consultation,
                expected_version=expected_version,
                overall_position=overall_position,
                overall_text=overall_text,
                points=points,
            )
            return opinion_draft_submit(
                actor=actor, municipality=municipality, draft=draft, idempotency_key=idempotency_key
            )
    except PortalError as exc:
        if exc.status == 412:
            existing = _opinion_for_key(municipality, consultation, idempotency_key)
            if existing is not None:
                return existing
        raise


def _opinion_for_key(municipality: Municipality, consultation: ConsultationRound, key: str) -> Opinion | None:
    if not key:
        return None
    return Opinion.objects.filter(
        participation__round=consultation, participation__municipality=municipality, idempotency_key=key
    ).first()
