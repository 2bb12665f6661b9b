"""Submitting and withdrawing a zienswijze. The region's answer to it is imv.services.reactions."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from imv.clock import amsterdam_date, days_late, db_now
from imv.models import (
    Action,
    ImvCycle,
    Opinion,
    OpinionPoint,
    Participation,
    Position,
    Theme,
)
from imv.services._common import (
    OPINION,
    PARTICIPATION,
    _lock,
    _move,
    _save,
    action_assert,
    audit_changes,
    participation_version,
    round_assert_open,
    version_assert,
)
from imv.services.notices import absolute, notify_advisers
from portal.exceptions import IdempotencyKeyReusedError, PortalError
from tenants.audit import audit_record
from tenants.models import User

# --- Opinions ------------------------------------------------------------------------------
# How long the council's explanations may be, on the page, in the API and here alike.
OVERALL_TEXT_MAX = 20_000
POINT_TEXT_MAX = 10_000


def text_errors(overall_text: str, points: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Too-long explanations, each named: the overall one, and each point's by its theme's name."""
    errors: dict[str, list[str]] = {}
    if len(overall_text) > OVERALL_TEXT_MAX:
        errors["overall_text"] = [
            _("De toelichting is %(n)s tekens lang; hooguit %(max)s.")
            % {"n": len(overall_text), "max": OVERALL_TEXT_MAX}
        ]
    for theme, text in points:
        if len(text) > POINT_TEXT_MAX:
            errors.setdefault("points", []).append(
                _("De toelichting bij “%(theme)s” is %(n)s tekens lang; hooguit %(max)s.")
                % {"theme": theme, "n": len(text), "max": POINT_TEXT_MAX}
            )
    return errors


@dataclass(frozen=True)
class PointInput:
    theme: Theme
    position: str
    text: str


@transaction.atomic
def opinion_submit(
    *,
    actor: User,
    participation: Participation,
    overall_position: str,
    overall_text: str,
    points: Iterable[PointInput],
    idempotency_key: str = "",
    expected_versions: Collection[str] | None = None,
) -> Opinion:
    """Forward an immutable copy of the council's zienswijze to the region (opinion_submit_once)."""
    opinion, _created = opinion_submit_once(
        actor=actor,
        participation=participation,
        overall_position=overall_position,
        overall_text=overall_text,
        points=points,
        idempotency_key=idempotency_key,
        expected_versions=expected_versions,
    )
    return opinion


def _same_submission(opinion: Opinion, overall_position: str, overall_text: str, points: list[PointInput]) -> bool:
    """Whether a repeated request asks for what made ``opinion`` (same position, text and points)."""
    stored = {(p.theme_id, p.position, p.text) for p in opinion.points.all()}
    sent = {(p.theme.pk, p.position, p.text) for p in points}
    return (
        opinion.overall_position == overall_position
        and opinion.overall_text == overall_text
        and stored == sent
        and len(points) == len(sent)
    )


@transaction.atomic
def opinion_submit_once(
    *,
    actor: User,
    participation: Participation,
    overall_position: str,
    overall_text: str,
    points: Iterable[PointInput],
    idempotency_key: str = "",
    expected_versions: Collection[str] | None = None,
) -> tuple[Opinion, bool]:
    """Forward an immutable copy of the council's zienswijze to the region (status: ingediend).

    Returns the opinion and whether this call made it. Late submissions are accepted and marked
    with the days late; after the RBOP meeting nothing is accepted. The same non-empty idempotency
    key returns the opinion it made the first time (also when the participation moved on since),
    and refuses (422) a request with other content. With ``expected_versions``, a participation
    changed since the caller read it is refused (412). The advisers of the police unit get a
    notification and (mail outbox, after commit) an e-mail.
    """
    # Under the participation's row lock: a second request with the same key waits for the first
    # to commit, then finds its opinion.
    participation = _lock(participation)
    points = list(points)
    if idempotency_key:
        existing = Opinion.objects.filter(participation=participation, idempotency_key=idempotency_key).first()
        if existing is not None:
            if not _same_submission(existing, overall_position, overall_text, points):
                raise IdempotencyKeyReusedError(
                    _("Deze Idempotency-Key is al gebruikt voor een verzoek met een andere inhoud.")
                )
            return existing, False
    version_assert(participation_version(participation), expected_versions, what=_("de deelname"))
    now = db_now()
    round_assert_open(participation.round, now)
    action_assert(participation, Action.SUBMIT)
    errors = text_errors(overall_text, ((p.theme.name, p.text) for p in points))
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
    if participation.decision_date and participation.decision_date > amsterdam_date(now):
        errors["decision_date"] = [_("Het raadsbesluit is gedateerd na het indienen.")]
    if errors:
        raise PortalError(_("De zienswijze is niet ingediend."), errors=errors)
    _move(actor, participation, Action.SUBMIT)
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
        deadline=participation.deadline,
        draft_version_id=participation.round.draft_version_id,
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
        new=_versie(opinion),
        municipality=participation.municipality,
    )
    audit_changes(
        actor=actor,
        object_type=PARTICIPATION,
        object_uuid=participation.uuid,
        changes=(("submitted_at", participation.submitted_at, now), ("days_late", participation.days_late, late)),
        municipality=participation.municipality,
    )
    participation.submitted_at = now
    participation.days_late = late
    _save(participation, "status", "submitted_at", "days_late")
    _tell_advisers(participation, opinion)
    return opinion, True


def _versie(opinion: Opinion) -> str:
    """The audit's words for a submission, in Dutch: "versie 2, te laat (dezelfde dag)"."""
    with translation.override("nl"):
        return f"versie {opinion.number}, {opinion.late_text}"


def _tell_advisers(participation: Participation, opinion: Opinion) -> None:
    """The advisers who run the round hear that a council submitted: a notification each, and an e-mail."""
    cycle = ImvCycle.objects.get(pk=participation.round.cycle_id)
    name = participation.municipality.name
    path = reverse(
        "imv:opinion_detail",
        kwargs={"round_uuid": participation.round.uuid, "participation_uuid": participation.uuid},
    )
    # Dutch whatever the language of the request: these are read later, by someone else.
    with translation.override("nl"):
        position = str(Position(opinion.overall_position).label)
        late = f", {opinion.late_text}" if opinion.is_late else ""
    notify_advisers(
        consultation=participation.round,
        about=participation.municipality,
        message=f"{name} heeft de zienswijze op {cycle.name} ingediend (versie {opinion.number}{late}).",
        path=path,
        subject=f"Zienswijze ingediend: {name} — {cycle.name}",
        body=(
            f"{name} heeft de zienswijze van de raad ingediend in de consultatieronde “{participation.round}” "
            f"(versie {opinion.number}{late}).\n\n"
            f"Standpunt: {position}.\n\n"
            f"Lees de zienswijze en geef de reactie van de regio op:\n{absolute(path)}"
        ),
    )


@transaction.atomic
def opinion_withdraw(*, actor: User, participation: Participation, opinion: Opinion | None = None) -> Participation:
    """Withdraw the submitted opinion until the RBOP meeting (back to vastgesteld); it stays on record.

    A caller that names the ``opinion`` it means is refused (409) when that one is no longer the
    current one: withdrawn already, or replaced by a later submission.
    """
    participation = _lock(participation)
    current = participation.opinions.filter(withdrawn_at__isnull=True).order_by("-number").first()
    if opinion is not None and (current is None or current.pk != opinion.pk):
        raise PortalError(_("Deze zienswijze is al ingetrokken."), status=409, code="opinion_withdrawn")
    round_assert_open(participation.round, db_now())
    action_assert(participation, Action.WITHDRAW)
    opinion = current
    _move(actor, participation, Action.WITHDRAW, note=_("zienswijze ingetrokken"))
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
    audit_changes(
        actor=actor,
        object_type=PARTICIPATION,
        object_uuid=participation.uuid,
        changes=(("submitted_at", participation.submitted_at, None), ("days_late", participation.days_late, 0)),
        municipality=participation.municipality,
        note=_("zienswijze ingetrokken"),
    )
    participation.submitted_at = None
    participation.days_late = 0
    _save(participation, "status", "submitted_at", "days_late")
    return participation
