"""How local priorities line up with the regional IMV themes, and the councils' positions per theme.

The one module that uses pandas, and it imports pandas only inside the functions that need it:
the pages, the workers and every manage.py command import this module without paying for pandas.

Reads across municipalities never touch their schemas: they use PriorityProjection, the
shared-schema copy written in the same transaction as every local change. Only the
reconciliation walks the schemas, in batches, to prove the copy is right.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import F, Func, QuerySet
from django.utils.translation import gettext_noop
from psycopg import sql

from imv.models import ConsultationRound, ImvCycle, OpinionPoint, Position, PriorityProjection, Theme, ThemeStatus
from imv.selectors import cycle_themes
from tenants.models import Municipality

if TYPE_CHECKING:
    import pandas as pd

# Marked for translation (gettext_noop); pages show them translated, the API and files in Dutch.
COVERAGE_FORMULA = gettext_noop(
    "dekking = aantal vastgestelde regionale thema's met minstens één gekoppelde lokale prioriteit "
    "(op het thema zelf of een subthema) ÷ aantal vastgestelde regionale thema's"
)
FIT_FORMULA = gettext_noop(
    "aansluiting = aantal lokale prioriteiten gekoppeld aan minstens één IMV-thema ÷ aantal lokale prioriteiten"
)


# --- Alignment figures ---------------------------------------------------------------------
@dataclass
class MunicipalityAlignment:
    """One municipality against one IMV: links, gaps and the two figures with their formulas."""

    municipality: Municipality
    links: list[dict[str, Any]]  # local priority → the IMV themes it serves
    uncovered_themes: list[Theme]  # adopted regional themes without any local priority
    unlinked_priorities: list[str]  # local priorities outside every regional theme
    covered: int
    adopted: int
    linked_priorities: int
    priorities: int
    coverage_formula: str = COVERAGE_FORMULA
    fit_formula: str = FIT_FORMULA

    @property
    def coverage(self) -> float | None:
        return self.covered / self.adopted if self.adopted else None

    @property
    def fit(self) -> float | None:
        return self.linked_priorities / self.priorities if self.priorities else None


def _theme_tree(cycle: ImvCycle) -> tuple[list[Theme], dict[uuid.UUID, Theme]]:
    """Top-level themes, and every theme or sub-theme UUID mapped to its top-level theme."""
    themes = list(cycle.themes.all())
    by_pk = {t.pk: t for t in themes}
    top = [t for t in themes if t.parent_id is None]
    to_top = {t.uuid: (by_pk[t.parent_id] if t.parent_id else t) for t in themes}
    return sorted(top, key=lambda t: t.position), to_top


def _projection(
    cycle: ImvCycle, *, district: str | None = None, municipality: Municipality | None = None
) -> QuerySet[PriorityProjection]:
    """Projection rows of plans that overlap the IMV's period, in the IMV's police unit."""
    rows = PriorityProjection.objects.filter(
        plan_period_start__lte=cycle.period_end,
        plan_period_end__gte=cycle.period_start,
        municipality__police_unit_id=cycle.police_unit_id,
        municipality__is_active=True,
    )
    if district:
        rows = rows.filter(municipality__district__name=district)
    if municipality is not None:
        rows = rows.filter(municipality=municipality)
    return rows


def _links(cycle: ImvCycle, *, district: str | None = None) -> pd.DataFrame:
    """One row per (municipality, priority, top-level theme) link; unnest runs in PostgreSQL."""
    import pandas as pd

    _top, to_top = _theme_tree(cycle)
    top_pk = {theme_uuid: theme.pk for theme_uuid, theme in to_top.items()}
    records = (
        _projection(cycle, district=district)
        .annotate(theme_uuid=Func(F("imv_themes"), function="unnest"))
        .values_list("municipality_id", "priority_uuid", "theme_uuid")
    )
    frame = pd.DataFrame.from_records(list(records), columns=["municipality_id", "priority_uuid", "theme_uuid"])
    frame["top_theme"] = frame["theme_uuid"].map(top_pk)
    # A priority on two sub-themes of one theme counts once for that theme.
    return frame.dropna(subset=["top_theme"]).drop_duplicates(["priority_uuid", "top_theme"])


def alignment_for_municipality(*, municipality: Municipality, cycle: ImvCycle) -> MunicipalityAlignment:
    top, to_top = _theme_tree(cycle)
    adopted = [t for t in top if t.status == ThemeStatus.ADOPTED]
    priorities = list(_projection(cycle, municipality=municipality).order_by("title").values("title", "imv_themes"))
    by_uuid = {t.uuid: t for t in cycle.themes.all()}
    links = [{"title": p["title"], "themes": [by_uuid[u] for u in p["imv_themes"] if u in by_uuid]} for p in priorities]
    covered_ids = {to_top[u].pk for p in priorities for u in p["imv_themes"] if u in to_top}
    linked = [p for p in priorities if any(u in to_top for u in p["imv_themes"])]
    return MunicipalityAlignment(
        municipality=municipality,
        links=links,
        uncovered_themes=[t for t in adopted if t.pk not in covered_ids],
        unlinked_priorities=sorted(p["title"] for p in priorities if p not in linked),
        covered=len([t for t in adopted if t.pk in covered_ids]),
        adopted=len(adopted),
        linked_priorities=len(linked),
        priorities=len(priorities),
    )


@dataclass
class ThemeCoverage:
    theme: Theme
    municipalities: list[Municipality] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.municipalities)


def alignment_by_theme(*, cycle: ImvCycle, district: str | None = None) -> tuple[list[ThemeCoverage], int]:
    """Per top-level theme, which municipalities have a matching priority; least covered first.

    Returns the coverage list and the number of municipalities considered.
    """
    municipalities = Municipality.objects.filter(police_unit_id=cycle.police_unit_id, is_active=True)
    if district:
        municipalities = municipalities.filter(district__name=district)
    by_pk = {m.pk: m for m in municipalities.order_by("name")}
    pairs = _links(cycle, district=district)[["top_theme", "municipality_id"]].drop_duplicates()
    top, _to_top = _theme_tree(cycle)
    coverage = []
    for theme in top:
        ids = pairs.loc[pairs["top_theme"] == theme.pk, "municipality_id"]
        coverage.append(ThemeCoverage(theme, sorted((by_pk[i] for i in ids), key=lambda m: m.name)))
    coverage.sort(key=lambda c: (c.count, c.theme.position))
    return coverage, len(by_pk)


def heatmap(*, cycle: ImvCycle, district: str | None = None) -> pd.DataFrame:
    """Municipalities × top-level themes: the number of local priorities linked to each theme."""
    import pandas as pd

    municipalities = Municipality.objects.filter(police_unit_id=cycle.police_unit_id, is_active=True)
    if district:
        municipalities = municipalities.filter(district__name=district)
    names = dict(municipalities.values_list("pk", "name"))
    top, _ = _theme_tree(cycle)
    frame = _links(cycle, district=district)
    table = pd.crosstab(frame["municipality_id"], frame["top_theme"]) if len(frame) else pd.DataFrame()
    table = table.reindex(index=list(names), columns=[t.pk for t in top], fill_value=0)
    table.index = [names[i] for i in table.index]
    table.columns = [t.name for t in top]
    return table.sort_index()


# --- Reconciliation ------------------------------------------------------------------------
@dataclass
class Difference:
    municipality: str
    priority_uuid: uuid.UUID
    problem: str


def _schema_rows(municipalities: Sequence[Municipality]) -> dict[uuid.UUID, tuple[int, tuple[object, ...]]]:
    """Priorities of a batch of schemas in one UNION ALL query: uuid → (municipality pk, fields)."""
    part = sql.SQL(
        "SELECT {mid} AS mid, p.uuid, p.title, p.field_code, p.theme_code, p.imv_themes, "
        "s.uuid, s.period_start, s.period_end, s.is_example "
        "FROM {priority} p JOIN {plan} s ON s.id = p.plan_id"
    )
    parts = [
        part.format(
            mid=sql.Literal(m.pk),
            priority=sql.Identifier(m.schema_name, "municipalities_priority"),
            plan=sql.Identifier(m.schema_name, "municipalities_safetyplan"),
        )
        for m in municipalities
    ]
    result: dict[uuid.UUID, tuple[int, tuple[object, ...]]] = {}
    if not parts:
        return result
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL(" UNION ALL ").join(parts).as_string(cursor.connection))
        for mid, puuid, title, field_code, theme_code, themes, plan_uuid, start, end, example in cursor.fetchall():
            result[puuid] = (mid, (title, field_code, theme_code, sorted(themes), plan_uuid, start, end, example))
    return result


def reconcile_projection(
    *,
    batch_size: int = 50,
    progress: Callable[[int], object] | None = None,
    police_unit_ids: Sequence[int] | None = None,
) -> list[Difference]:
    """Compare the projection with every municipality's schema (of these units), a batch of schemas per query."""
    queryset = Municipality.objects.order_by("pk")
    if police_unit_ids is not None:
        queryset = queryset.filter(police_unit_id__in=police_unit_ids)
    municipalities = list(queryset)
    names = {m.pk: m.name for m in municipalities}
    differences: list[Difference] = []
    for start in range(0, len(municipalities), batch_size):
        batch = municipalities[start : start + batch_size]
        actual = _schema_rows(batch)
        projected = {
            p.priority_uuid: (
                p.municipality_id,
                (
                    p.title,
                    p.field_code,
                    p.theme_code,
                    sorted(p.imv_themes),
                    p.plan_uuid,
                    p.plan_period_start,
                    p.plan_period_end,
                    p.is_example,
                ),
            )
            for p in PriorityProjection.objects.filter(municipality__in=batch)
        }
        for key in actual.keys() - projected.keys():
            differences.append(Difference(names[actual[key][0]], key, "ontbreekt in de projectie"))
        for key in projected.keys() - actual.keys():
            differences.append(
                Difference(names[projected[key][0]], key, "staat in de projectie maar niet in de gemeente")
            )
        for key in actual.keys() & projected.keys():
            if actual[key] != projected[key]:
                differences.append(Difference(names[actual[key][0]], key, "wijkt af van de gemeente"))
        if progress:
            progress(len(batch))
    return differences


# --- Positions per theme in a round (the board's pack) ------------------------------------
@dataclass(frozen=True)
class ThemePositions:
    """How many municipalities took each position on one theme, and which."""

    theme: str
    is_subtheme: bool
    counts: dict[str, int]
    municipalities: dict[str, list[str]]
    total: int
    # Under exploration (in verkenning), itself or as part of such a theme: shown apart from the adopted.
    exploring: bool = False


def positions_per_theme(*, consultation: ConsultationRound) -> list[ThemePositions]:
    """The councils' positions per theme across municipalities, from the current (not withdrawn) opinions:
    the adopted themes first, in their order, then those under exploration (``exploring``)."""
    records = list(
        OpinionPoint.objects.filter(
            opinion__participation__round=consultation, opinion__withdrawn_at__isnull=True
        ).values("theme_id", "position", municipality=F("opinion__participation__municipality__name"))
    )
    themes = cycle_themes(cycle=consultation.cycle)
    if not records:
        return []
    import pandas as pd

    frame = pd.DataFrame.from_records(records)
    table = (
        pd.crosstab(frame["theme_id"], frame["position"])
        .reindex(columns=Position.values, fill_value=0)
        .to_dict(orient="index")
    )
    names = frame.sort_values("municipality").groupby(["theme_id", "position"])["municipality"].apply(list).to_dict()
    result = []
    for theme in themes:
        row = table.get(theme.pk)
        if row is None:
            continue
        counts = {position: int(row[position]) for position in Position.values}
        result.append(
            ThemePositions(
                theme=theme.name,
                is_subtheme=theme.parent_id is not None,
                counts=counts,
                municipalities={position: list(names.get((theme.pk, position), [])) for position in Position.values},
                total=sum(counts.values()),
                exploring=ThemeStatus.EXPLORING in (theme.status, theme.parent.status if theme.parent else None),
            )
        )
    return sorted(result, key=lambda t: t.exploring)  # stable: each group keeps the IMV's order
