"""Reads of the IMV consultation for pages, exports and the API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from imv.clock import days_left
from imv.models import (
    ConsultationRound,
    ExtensionRequest,
    ExtensionStatus,
    ImvCycle,
    Opinion,
    OpinionPoint,
    Participation,
    ParticipationStatus,
    PriorityProjection,
    Reaction,
    ReactionVersion,
    Theme,
)
from tenants.models import MUNICIPAL_ROLES, Domain, Membership

DONE = frozenset({ParticipationStatus.SUBMITTED, ParticipationStatus.ANSWERED, ParticipationStatus.NO_OPINION})


@dataclass(frozen=True)
class BoardRow:
    """One municipality's line on the adviser's status board."""

    participation_uuid: str
    municipality: str
    cbs_code: str
    slug: str
    district: str
    status: str
    status_label: str
    deadline: datetime
    days_left: int
    is_late: bool
    days_late: int
    council_date: date | None
    decision_date: date | None
    case_number: str
    openbaarheid: str  # its label, "" before the decision
    woo_category: str
    extension_requested: bool
    is_example: bool
    # At least one of its active staff has an e-mail address: reminders and notices can reach it.
    reachable: bool = True


def round_list(*, police_unit_id: int) -> QuerySet[ConsultationRound]:
    return ConsultationRound.objects.filter(cycle__police_unit_id=police_unit_id).select_related(
        "cycle", "draft_version"
    )


def cycle_themes(*, cycle: ImvCycle) -> list[Theme]:
    """Themes in order, each followed by its sub-themes (as the regional mayor's letter lists them)."""
    themes = list(cycle.themes.select_related("parent").order_by("position", "pk"))
    top = [t for t in themes if t.parent_id is None]
    ordered: list[Theme] = []
    for theme in top:
        ordered.append(theme)
        ordered.extend(t for t in themes if t.parent_id == theme.pk)
    return ordered


def board_rows(*, consultation: ConsultationRound, now: datetime, district: str | None = None) -> list[BoardRow]:
    """Every municipality of the round with its status and own deadline, in three queries."""
    participations = (
        Participation.objects.filter(round=consultation)
        .select_related("municipality__district", "woo_category")
        .prefetch_related(
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.filter(status=ExtensionStatus.REQUESTED),
                to_attr="open_requests",
            )
        )
        # Someone of its staff has an e-mail address (reminders and notices reach the municipality).
        .annotate(
            reachable=Exists(
                Membership.objects.filter(
                    municipality=OuterRef("municipality"), role__in=MUNICIPAL_ROLES, user__is_active=True
                ).exclude(user__email="")
            )
        )
        .order_by("municipality__name")
    )
    if district:
        participations = participations.filter(municipality__district__name=district)
    slugs = dict(
        Domain.objects.filter(tenant__participations__round=consultation, is_primary=True).values_list(
            "tenant_id", "domain"
        )
    )
    rows = []
    for p in participations:
        rows.append(
            BoardRow(
                participation_uuid=str(p.uuid),
                municipality=p.municipality.name,
                cbs_code=p.municipality.cbs_code,
                slug=str(slugs.get(p.municipality_id) or p.municipality.schema_name),
                district=p.municipality.district.name if p.municipality.district else "",
                status=p.status,
                status_label=str(ParticipationStatus(p.status).label),
                deadline=p.deadline,
                days_left=days_left(deadline=p.deadline, now=now),
                is_late=p.late_at(now),
                days_late=p.days_late,
                council_date=p.council_date,
                decision_date=p.decision_date,
                case_number=p.decision_case_number,
                openbaarheid=str(p.get_openbaarheid_display()) if p.openbaarheid else "",
                woo_category=p.woo_category.label if p.woo_category else "",
                extension_requested=bool(getattr(p, "open_requests", [])),
                is_example=p.is_example,
                reachable=p.reachable,
            )
        )
    return rows


def board_counts(rows: list[BoardRow]) -> dict[str, int]:
    counts = Counter(row.status for row in rows)
    return {status: counts.get(status, 0) for status in ParticipationStatus.values}


# --- Reads for the API, scoped by what the caller may see (tenants.access) --------------------
# ``police_unit_ids``: units the caller reads whole (regional roles); ``municipality_ids``:
# municipalities the caller reads only their own rows of (municipal staff).


def cycle_list(*, police_unit_ids: Collection[int]) -> QuerySet[ImvCycle]:
    """Cycles of these units with their themes (``top_themes``, each with ``subthemes``) and timeline.

    Four queries for any number of cycles.
    """
    top_themes = Theme.objects.filter(parent__isnull=True).prefetch_related("subthemes")
    return (
        ImvCycle.objects.filter(police_unit_id__in=police_unit_ids)
        .select_related("police_unit")
        .prefetch_related(Prefetch("themes", queryset=top_themes, to_attr="top_themes"), "timeline")
    )


def round_list_counted(*, police_unit_ids: Collection[int]) -> QuerySet[ConsultationRound]:
    """Rounds of these units, each with ``count_<status>`` annotated for every participation status (one query)."""
    counts = {
        f"count_{status}": Count("participations", filter=Q(participations__status=status))
        for status in ParticipationStatus.values
    }
    return (
        ConsultationRound.objects.filter(cycle__police_unit_id__in=police_unit_ids)
        .select_related("cycle", "draft_version")
        .annotate(**counts)
        .order_by("-opened_at", "-pk")  # Meta.ordering does not apply to a grouped query
    )


def _participation_scope(prefix: str, police_unit_ids: Collection[int], municipality_ids: Collection[int]) -> Q:
    return Q(**{f"{prefix}round__cycle__police_unit_id__in": police_unit_ids}) | Q(
        **{f"{prefix}municipality_id__in": municipality_ids}
    )


def participation_list(
    *, police_unit_ids: Collection[int], municipality_ids: Collection[int]
) -> QuerySet[Participation]:
    """Participations in every round of these units, plus those of these municipalities."""
    return Participation.objects.filter(_participation_scope("", police_unit_ids, municipality_ids)).select_related(
        "municipality", "round", "woo_category"
    )


def reactions_with_versions() -> QuerySet[Reaction]:
    """Reactions with their themes and, newest first, the earlier versions a correction kept (with who
    wrote and who corrected each): as a prefetch, two queries more for any number of opinions."""
    return Reaction.objects.select_related("point__theme", "created_by").prefetch_related(
        Prefetch(
            "earlier_versions",
            queryset=ReactionVersion.objects.select_related("written_by", "corrected_by").order_by("-number"),
        )
    )


def reaction_list(*, police_unit_ids: Collection[int], municipality_ids: Collection[int]) -> QuerySet[Reaction]:
    """Reactions in every round of these units, plus those to these municipalities once the region has
    sent its answer (until then it is the region's own), with their earlier versions."""
    sent = Q(opinion__participation__status=ParticipationStatus.ANSWERED)
    return (
        reactions_with_versions()
        .filter(
            Q(opinion__participation__round__cycle__police_unit_id__in=police_unit_ids)
            | (Q(opinion__participation__municipality_id__in=municipality_ids) & sent)
        )
        .select_related("opinion__participation__round__cycle", "opinion__participation__municipality")
    )


def opinion_list(*, police_unit_ids: Collection[int], municipality_ids: Collection[int]) -> QuerySet[Opinion]:
    """Submitted opinions in the same scope as participation_list, with their points and the region's
    reactions (and their earlier versions) prefetched (six queries for any number).
    """
    return (
        Opinion.objects.filter(_participation_scope("participation__", police_unit_ids, municipality_ids))
        .select_related("participation__municipality", "participation__round__cycle", "draft_version")
        .prefetch_related(
            Prefetch("points", queryset=OpinionPoint.objects.select_related("theme").order_by("theme__position", "pk")),
            Prefetch("reactions", queryset=reactions_with_versions().order_by("pk")),
        )
        .order_by("-submitted_at", "-pk")
    )


def extension_request_list(
    *, police_unit_ids: Collection[int], municipality_ids: Collection[int]
) -> QuerySet[ExtensionRequest]:
    """Requests for more time in the same scope as participation_list, newest first."""
    return (
        ExtensionRequest.objects.filter(_participation_scope("participation__", police_unit_ids, municipality_ids))
        .select_related("participation__municipality", "participation__round__cycle")
        .order_by("-requested_at", "-pk")
    )


# --- Reads for the RBOP dashboard -------------------------------------------------------------
def projection_example_ids(*, cycle: ImvCycle, district: str | None = None) -> frozenset[int]:
    """Municipalities whose local priorities in the IMV's period include invented demo content.

    The same rows as imv.alignment counts (plans overlapping the IMV's period, active
    municipalities of its unit, optionally one district), so a figure can say it holds examples.
    """
    rows = PriorityProjection.objects.filter(
        plan_period_start__lte=cycle.period_end,
        plan_period_end__gte=cycle.period_start,
        municipality__police_unit_id=cycle.police_unit_id,
        municipality__is_active=True,
        is_example=True,
    )
    if district:
        rows = rows.filter(municipality__district__name=district)
    return frozenset(rows.values_list("municipality_id", flat=True).distinct())
