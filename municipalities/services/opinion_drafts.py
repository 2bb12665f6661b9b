"""The draft zienswijze in the municipality's own schema, and its submission to the region.

Callers are inside the municipality's schema (the tenant middleware, or schema_context).
Saving and submitting run in one transaction across the municipality's schema and the shared
schema: a submission either copies the draft to the region and moves the status, or neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from imv import services as imv_services
from imv.clock import db_now
from imv.models import ConsultationRound, Opinion, Participation, Position, Theme
from municipalities.models import OpinionDraft, OpinionDraftPoint, OpinionDraftRevision
from municipalities.services import draft_conflicts
from municipalities.services.draft_conflicts import DraftConflictError
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
    seen_version: int | None = None,
    keep: Mapping[str, str] | None = None,
) -> OpinionDraft:
    """Save the draft as the user's tab has it; a tab that is no longer current is merged, never obeyed.

    ``expected_version`` is the version the tab loaded. If someone saved since, nothing is written
    until the user has seen their changes: without ``seen_version`` equal to the version now saved,
    ``DraftConflictError`` (412) lists what they changed. With it, only the fields this tab changed
    against ``expected_version`` are written, the others keep what was saved, and a field both
    changed is taken from ``keep`` (draft_conflicts.KEEP_MINE / KEEP_THEIRS) or refused again.
    The draft's row lock is held from the comparison to the commit: of two saves naming the same
    version exactly one is written as is, the other is merged against it. Every save keeps a
    revision, the base a later stale tab is merged against.
    """
    themes = {str(t.uuid): t for t in Theme.objects.filter(cycle_id=draft.round.cycle_id)}
    _check(themes, overall_position, overall_text, points)
    current = OpinionDraft.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=draft.pk)
    values = _input_values(overall_position, overall_text, points)
    if current.version != expected_version:
        values = _merged(current, expected_version, seen_version, values, keep or {})
    version = current.version + 1
    OpinionDraft.objects.filter(pk=draft.pk).update(
        overall_position=values.get("overall_position", ""),
        overall_text=values.get("overall_text", ""),
        version=version,
        updated_by=actor,
        updated_at=db_now(),
    )
    # Only points that differ are written, in two statements, so a save of the whole draft costs the
    # same whether it changes one theme or none.
    stored = {p.theme_id: p for p in OpinionDraftPoint.objects.filter(draft=draft)}
    changed, added = [], []
    for theme in themes.values():
        position, text = values.get(f"position_{theme.uuid.hex}", ""), values.get(f"text_{theme.uuid.hex}", "")
        row = stored.get(theme.pk)
        if row is None and (position or text):
            added.append(OpinionDraftPoint(draft=draft, theme=theme, position=position, text=text))
        elif row is not None and (row.position, row.text) != (position, text):
            row.position, row.text = position, text
            changed.append(row)
    OpinionDraftPoint.objects.bulk_update(changed, ["position", "text"])
    OpinionDraftPoint.objects.bulk_create(added)
    OpinionDraftRevision.objects.create(
        draft=draft, version=version, values={k: v for k, v in values.items() if v}, saved_by=actor, saved_at=db_now()
    )
    draft.refresh_from_db()
    return draft


def opinion_draft_values(draft: OpinionDraft) -> dict[str, str]:
    """The draft's fields by their form names, as a revision keeps them (empty ones left out)."""
    values = {"overall_position": draft.overall_position, "overall_text": draft.overall_text}
    if draft.pk:
        for point in draft.points.select_related("theme"):
            values[f"position_{point.theme.uuid.hex}"] = point.position
            values[f"text_{point.theme.uuid.hex}"] = point.text
    return {k: v for k, v in values.items() if v}


def _check(themes: dict[str, Theme], overall_position: str, overall_text: str, points: list[DraftPointInput]) -> None:
    errors: dict[str, list[str]] = {}
    if overall_position and overall_position not in Position.values:
        errors["overall_position"] = [_("Kies een standpunt uit de lijst.")]
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


def _input_values(overall_position: str, overall_text: str, points: list[DraftPointInput]) -> dict[str, str]:
    values = {"overall_position": overall_position, "overall_text": overall_text}
    for point in points:  # a theme named twice: the last one counts
        key = UUID(point.theme_uuid).hex
        values[f"position_{key}"], values[f"text_{key}"] = point.position, point.text
    return {k: v for k, v in values.items() if v}


def _merged(
    current: OpinionDraft,
    expected_version: int,
    seen_version: int | None,
    mine: dict[str, str],
    keep: Mapping[str, str],
) -> dict[str, str]:
    """The tab's input merged with what was saved since ``expected_version`` (see draft_conflicts)."""
    kept = {
        r.version: r
        for r in OpinionDraftRevision.objects.filter(draft=current, version__gte=expected_version).select_related(
            "saved_by"
        )
    }
    # Version 1 is the empty draft nobody saved; a version older than the kept revisions is unknown.
    original: dict[str, str] | None = (
        {} if expected_version == 1 else (kept[expected_version].values if expected_version in kept else None)
    )
    theirs = opinion_draft_values(current)
    last_by = _name(current.updated_by)
    later = [(r.values, _name(r.saved_by), r.saved_at) for v, r in sorted(kept.items()) if v > expected_version]
    changes = draft_conflicts.changes_since(
        original=original,
        revisions=later,
        theirs=theirs,
        mine=mine,
        fallback_by=last_by,
        fallback_at=current.updated_at,
    )
    names = sorted({name for _values, name, _at in later} or {last_by})
    who = _(" en ").join(names)
    if seen_version != current.version:
        raise DraftConflictError(
            _(
                "%(who)s heeft het concept intussen gewijzigd (nu versie %(version)s). Er is niets opgeslagen. "
                "Hieronder staat wat er veranderde; uw invoer staat nog in het formulier. Sla opnieuw op om uw "
                "wijzigingen toe te voegen."
            )
            % {"who": who, "version": current.version},
            current=current.version,
            changes=changes,
        )
    merged, unresolved = draft_conflicts.merge(original=original, theirs=theirs, mine=mine, keep=keep)
    if unresolved:
        raise DraftConflictError(
            _(
                "%(who)s en u wijzigden hetzelfde veld. Kies bij elk daarvan welke versie blijft; "
                "er is niets opgeslagen."
            )
            % {"who": who},
            current=current.version,
            changes=changes,
            unresolved=unresolved,
        )
    return merged


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else _("iemand anders")


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
    seen_version: int | None = None,
    keep: Mapping[str, str] | None = None,
) -> OpinionDraft:
    """Save this municipality's draft for an open round (opinion_draft_save: merged when someone saved since)."""
    # A draft that can never be submitted is not worth saving either.
    imv_services.round_assert_open(consultation, db_now())
    return opinion_draft_save(
        actor=actor,
        draft=opinion_draft_get(consultation=consultation),
        expected_version=expected_version,
        overall_position=overall_position,
        overall_text=overall_text,
        points=points,
        seen_version=seen_version,
        keep=keep,
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
    seen_version: int | None = None,
    keep: Mapping[str, str] | None = None,
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
                seen_version=seen_version,
                keep=keep,
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
