"""The draft zienswijze in the municipality's own schema, and its submission to the region.

Callers are inside the municipality's schema (the tenant middleware, or schema_context).
Saving and submitting run in one transaction across the municipality's schema and the shared
schema: a submission either copies the draft to the region and moves the status, or neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from imv import services as imv_services
from imv.clock import db_now
from imv.models import ConsultationRound, Opinion, Participation, Position, Theme
from municipalities.models import OpinionDraft, OpinionDraftPoint
from portal.exceptions import PortalError, StaleVersionError
from tenants.models import Municipality, User


@dataclass(frozen=True)
class DraftPointInput:
    theme_uuid: str
    position: str
    text: str


def opinion_draft_get(*, consultation: ConsultationRound) -> OpinionDraft:
    """This municipality's draft for the round, made empty the first time it is asked for."""
    draft, _created = OpinionDraft.objects.get_or_create(round=consultation)
    return draft


def opinion_draft_current(*, consultation: ConsultationRound) -> OpinionDraft:
    """This municipality's draft for the round as it stands, without writing: a draft never saved is
    an unsaved empty one at version 1, exactly what opinion_draft_get would make of it."""
    return OpinionDraft.objects.filter(round=consultation).first() or OpinionDraft(round=consultation)


@transaction.atomic
def opinion_draft_save(
    *,
    actor: User,
    draft: OpinionDraft,
    expected_version: int,
    overall_position: str,
    overall_text: str,
    points: list[DraftPointInput],
) -> OpinionDraft:
    """Save the draft if nobody saved it since ``expected_version``; refuse with 412 otherwise.

    The version is compared in the UPDATE itself, which holds the row lock to the end of the
    transaction: of two saves naming the same version exactly one wins, the other gets 412.
    """
    errors: dict[str, list[str]] = {}
    if overall_position and overall_position not in Position.values:
        errors["overall_position"] = [_("Kies een standpunt uit de lijst.")]
    themes = {str(t.uuid): t for t in Theme.objects.filter(cycle_id=draft.round.cycle_id)}
    for point in points:
        if point.theme_uuid not in themes:
            errors.setdefault("points", []).append(_("Een standpunt gaat over een thema dat niet in deze ronde zit."))
        elif point.position and point.position not in Position.values:
            errors.setdefault("points", []).append(
                _("Ongeldig standpunt bij “%(theme)s”.") % {"theme": themes[point.theme_uuid].name}
            )
    for field, messages in imv_services.text_errors(
        overall_text,
        ((themes[p.theme_uuid].name if p.theme_uuid in themes else "", p.text) for p in points),
    ).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise PortalError(_("Het concept is niet opgeslagen."), errors=errors)
    updated = OpinionDraft.objects.filter(pk=draft.pk, version=expected_version).update(
        overall_position=overall_position,
        overall_text=overall_text,
        version=F("version") + 1,
        updated_by=actor,
    )
    if not updated:
        current = OpinionDraft.objects.select_related("updated_by").get(pk=draft.pk)
        who = current.updated_by.get_full_name() if current.updated_by else _("iemand anders")
        raise StaleVersionError(
            _(
                "%(who)s heeft het concept intussen gewijzigd. Uw wijzigingen zijn niet opgeslagen; laad de pagina "
                "opnieuw en breng ze opnieuw aan."
            )
            % {"who": who},
            current=str(current.version),
            code="stale_version",
        )
    # Still under the draft's row lock: only points that differ are written, in two statements, so a
    # save of the whole draft costs the same whether it changes one theme or none.
    wanted = {themes[p.theme_uuid].pk: p for p in points}  # a theme named twice: the last one counts
    stored = {p.theme_id: p for p in OpinionDraftPoint.objects.filter(draft=draft)}
    changed = []
    for theme_id, point in wanted.items():
        row = stored.get(theme_id)
        if row is not None and (row.position, row.text) != (point.position, point.text):
            row.position, row.text = point.position, point.text
            changed.append(row)
    OpinionDraftPoint.objects.bulk_update(changed, ["position", "text"])
    OpinionDraftPoint.objects.bulk_create(
        OpinionDraftPoint(draft=draft, theme_id=theme_id, position=point.position, text=point.text)
        for theme_id, point in wanted.items()
        if theme_id not in stored
    )
    draft.refresh_from_db()
    return draft


@transaction.atomic
def opinion_draft_submit(
    *,
    actor: User,
    municipality: Municipality,
    draft: OpinionDraft,
    idempotency_key: str = "",
) -> Opinion:
    """Forward an immutable copy of the draft to the region (imv.services.opinion_submit)."""
    if not draft.overall_position:
        raise PortalError(_("Kies eerst het standpunt van de raad."), errors={"overall_position": [_("verplicht")]})
    participation = Participation.objects.get(round_id=draft.round_id, municipality=municipality)
    points = [
        imv_services.PointInput(theme=p.theme, position=p.position, text=p.text)
        for p in draft.points.select_related("theme")
        if p.position
    ]
    return imv_services.opinion_submit(
        actor=actor,
        participation=participation,
        overall_position=draft.overall_position,
        overall_text=draft.overall_text,
        points=points,
        idempotency_key=idempotency_key,
    )


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
    imv_services.round_assert_open(consultation, db_now())
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
    except StaleVersionError:
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
