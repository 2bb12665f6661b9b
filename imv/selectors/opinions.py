"""Reads of the submitted zienswijzen for the region: one opinion with its points and the region's
reactions, and the reactienota of a round (every current opinion, in theme order)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from imv.models import ConsultationRound, Opinion, OpinionPoint, Participation, ParticipationStatus, Position, Reaction
from imv.selectors.rounds import cycle_themes, reactions_with_versions


@dataclass
class PointEntry:
    point: OpinionPoint
    theme: str
    position: str
    text: str
    reaction: Reaction | None


@dataclass
class OpinionEntry:
    """A current (not withdrawn) zienswijze with the region's answers so far."""

    participation: Participation
    opinion: Opinion
    points: list[PointEntry] = field(default_factory=list)
    overall_reaction: Reaction | None = None

    @property
    def municipality(self) -> str:
        return self.participation.municipality.name

    @property
    def answered(self) -> bool:
        return self.participation.status == ParticipationStatus.ANSWERED

    @property
    def reactions_done(self) -> int:
        return sum(p.reaction is not None for p in self.points) + (self.overall_reaction is not None)

    @property
    def reactions_total(self) -> int:
        return len(self.points) + 1


def _opinions(consultation: ConsultationRound | None = None, opinion: Opinion | None = None) -> list[Opinion]:
    queryset = Opinion.objects.filter(withdrawn_at__isnull=True)
    if opinion is not None:
        queryset = queryset.filter(pk=opinion.pk)
    if consultation is not None:
        queryset = queryset.filter(participation__round=consultation)
    return list(
        queryset.select_related("participation__municipality", "participation__round__cycle", "draft_version")
        .prefetch_related(
            Prefetch("points", queryset=OpinionPoint.objects.select_related("theme__parent")),
            Prefetch("reactions", queryset=reactions_with_versions()),
        )
        .order_by("participation__municipality__name", "-number")
    )


def _entry(opinion: Opinion, theme_order: dict[int, int]) -> OpinionEntry:
    reactions = {r.point_id: r for r in opinion.reactions.all()}
    points = sorted(opinion.points.all(), key=lambda p: theme_order.get(p.theme_id, 10_000))
    return OpinionEntry(
        participation=opinion.participation,
        opinion=opinion,
        points=[
            PointEntry(
                point=p,
                theme=str(p.theme),
                position=str(Position(p.position).label),
                text=p.text,
                reaction=reactions.get(p.pk),
            )
            for p in points
        ],
        overall_reaction=reactions.get(None),
    )


def opinion_entry(*, opinion: Opinion) -> OpinionEntry:
    """One zienswijze with its points in theme order and the region's reaction to each."""
    (loaded,) = _opinions(opinion=opinion)
    order = {t.pk: i for i, t in enumerate(cycle_themes(cycle=loaded.participation.round.cycle))}
    return _entry(loaded, order)


def reactienota(*, consultation: ConsultationRound) -> list[OpinionEntry]:
    """Every municipality's current zienswijze in the round, by name, with the region's answers."""
    order = {t.pk: i for i, t in enumerate(cycle_themes(cycle=consultation.cycle))}
    entries: dict[int, OpinionEntry] = {}
    for opinion in _opinions(consultation=consultation):
        entries.setdefault(opinion.participation_id, _entry(opinion, order))
    return list(entries.values())
