"""The RBOP dashboard's figures and the region map: reads only, from imv.analytics (the shared-schema
projection of local priorities) and imv.selectors (the IMV's latest round). Figures that include
invented demo content say so. imv.exports.dashboard turns them into CSV, XLSX and PDF.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.utils.translation import gettext_noop

from imv.analytics import alignment_by_theme, heatmap
from imv.models import ConsultationRound, ImvCycle, ParticipationStatus, Theme, ThemeStatus
from imv.selectors import DONE, BoardRow, board_counts, board_rows, projection_example_ids
from tenants.models import Domain, Municipality
from tenants.reference import REFERENCE_DIR

BOUNDARIES = REFERENCE_DIR / "gemeenten_2023_eenheid_noord_holland.geojson"
MAP_CREDIT = "Bron grenzen: © CBS / Kadaster"
THEME_RULE = gettext_noop(
    "per thema: aantal gemeenten met minstens één lokale prioriteit gekoppeld aan het thema (of een subthema) "
    "÷ aantal gemeenten in de selectie"
)
EXAMPLE_NOTE = gettext_noop(
    "De prioriteiten van gemeenten gemarkeerd als voorbeeld zijn verzonnen voor de demonstratie."
)


# --- The figures ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    """A municipality as the dashboard names and links it."""

    pk: int
    name: str
    cbs_code: str
    slug: str
    district: str
    is_example: bool


@dataclass(frozen=True)
class ThemeLine:
    """One top-level theme: which municipalities have a matching local priority."""

    theme: Theme
    places: list[Place]
    considered: int

    @property
    def count(self) -> int:
        return len(self.places)

    @property
    def share(self) -> float:
        return self.count / self.considered if self.considered else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)

    @property
    def is_adopted(self) -> bool:
        return self.theme.status == ThemeStatus.ADOPTED

    @property
    def examples(self) -> int:
        return sum(p.is_example for p in self.places)


@dataclass(frozen=True)
class HeatRow:
    """One municipality across the top-level themes: local priorities linked to each."""

    place: Place
    counts: list[int]
    covered: int  # adopted themes with at least one linked priority
    adopted: int

    @property
    def cells(self) -> list[tuple[int, int]]:
        """(count, colour level 0-3) per theme: the level only helps to scan, the count is the figure."""
        return [(count, min(count, 3)) for count in self.counts]

    @property
    def coverage_percent(self) -> int | None:
        return round(100 * self.covered / self.adopted) if self.adopted else None


@dataclass(frozen=True)
class Progress:
    """The consultation of the IMV's latest round, for the municipalities in the selection."""

    consultation: ConsultationRound
    rows: list[BoardRow]

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        tally = board_counts(self.rows)
        return [(s, str(ParticipationStatus(s).label), tally[s]) for s in ParticipationStatus.values]

    @property
    def done(self) -> int:
        return sum(row.status in DONE for row in self.rows)

    @property
    def late(self) -> int:
        return sum(row.is_late for row in self.rows)

    @property
    def examples(self) -> int:
        return sum(row.is_example for row in self.rows)


@dataclass(frozen=True)
class Figures:
    """Everything the dashboard shows for one IMV and one district (or the whole unit)."""

    cycle: ImvCycle
    district: str
    now: datetime
    themes: list[Theme]  # top-level themes in the IMV's order: the heatmap's columns
    lines: list[ThemeLine]  # least covered first
    rows: list[HeatRow]  # by municipality name
    progress: Progress | None
    context: list[Place]  # the unit's other municipalities when one district is chosen (drawn around it)

    @property
    def considered(self) -> int:
        return len(self.rows)

    @property
    def examples(self) -> list[Place]:
        return [row.place for row in self.rows if row.place.is_example]

    @property
    def least_covered(self) -> list[ThemeLine]:
        """The adopted themes with the fewest municipalities (several when they tie)."""
        adopted = [line for line in self.lines if line.is_adopted]
        if not adopted:
            return []
        fewest = min(line.count for line in adopted)
        return [line for line in adopted if line.count == fewest]

    @property
    def column_totals(self) -> list[int]:
        """Per theme, in the heatmap's order: municipalities with at least one linked priority."""
        return [sum(row.counts[i] > 0 for row in self.rows) for i in range(len(self.themes))]

    def count_of(self, place: Place, theme: Theme) -> int:
        index = self.themes.index(theme)
        return next(row.counts[index] for row in self.rows if row.place.pk == place.pk)


def _places(cycle: ImvCycle, district: str, example_ids: frozenset[int]) -> dict[int, Place]:
    municipalities = Municipality.objects.filter(police_unit_id=cycle.police_unit_id, is_active=True)
    if district:
        municipalities = municipalities.filter(district__name=district)
    found = list(municipalities.select_related("district").order_by("name"))
    slugs = dict(Domain.objects.filter(tenant__in=found, is_primary=True).values_list("tenant_id", "domain"))
    return {
        m.pk: Place(
            pk=m.pk,
            name=m.name,
            cbs_code=m.cbs_code,
            slug=str(slugs.get(m.pk) or m.schema_name),
            district=m.district.name if m.district else "",
            is_example=m.pk in example_ids,
        )
        for m in found
    }


def dashboard_figures(*, cycle: ImvCycle, district: str = "", now: datetime) -> Figures:
    """Alignment per theme, the heatmap and the latest round's progress, for the unit or one district."""
    themes = sorted(cycle.themes.filter(parent__isnull=True), key=lambda t: (t.position, t.pk))
    places = _places(cycle, district, projection_example_ids(cycle=cycle, district=district or None))
    coverage, considered = alignment_by_theme(cycle=cycle, district=district or None)
    lines = [ThemeLine(c.theme, [places[m.pk] for m in c.municipalities], considered) for c in coverage]
    table = heatmap(cycle=cycle, district=district or None).to_dict(orient="index")
    adopted = [i for i, t in enumerate(themes) if t.status == ThemeStatus.ADOPTED]
    rows = []
    for place in sorted(places.values(), key=lambda p: p.name):
        counts = [int(table[place.name][t.name]) for t in themes]
        covered = sum(counts[i] > 0 for i in adopted)
        rows.append(HeatRow(place=place, counts=counts, covered=covered, adopted=len(adopted)))
    latest = cycle.rounds.select_related("draft_version").order_by("-opened_at", "-pk").first()
    progress = None
    if latest is not None:
        progress = Progress(latest, board_rows(consultation=latest, now=now, district=district or None))
    context = []
    if district:
        context = [p for p in _places(cycle, "", frozenset()).values() if p.pk not in places]
    return Figures(
        cycle=cycle,
        district=district,
        now=now,
        themes=themes,
        lines=lines,
        rows=rows,
        progress=progress,
        context=context,
    )


# --- The map --------------------------------------------------------------------------------
Ring = list[tuple[float, float]]
MAP_LEVELS = (
    ("geen", "geen gekoppelde prioriteit"),
    ("een", "1 gekoppelde prioriteit"),
    ("meer", "2 of meer gekoppelde prioriteiten"),
)


@cache
def boundaries() -> dict[str, list[Ring]]:
    """CBS code → outer rings (lon, lat) of the municipality's simplified boundary (read once)."""
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    result: dict[str, list[Ring]] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        # The simplified boundaries have no holes; an outer ring per polygon is the whole shape.
        result[feature["properties"]["statcode"]] = [[(x, y) for x, y in polygon[0]] for polygon in polygons]
    return result


@dataclass(frozen=True)
class MapArea:
    place: Place
    rings: list[Ring]  # projected: x to the right, y downwards, in map units
    count: int

    @property
    def level(self) -> str:
        return MAP_LEVELS[min(self.count, 2)][0]

    @property
    def path(self) -> str:
        return " ".join("M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in ring) + " Z" for ring in self.rings if ring)

    @property
    def description(self) -> str:
        if self.count == 0:
            text = "geen gekoppelde prioriteit"
        elif self.count == 1:
            text = "1 gekoppelde prioriteit"
        else:
            text = f"{self.count} gekoppelde prioriteiten"
        return f"{self.place.name}: {text}" + (" (voorbeeld, verzonnen)" if self.place.is_example else "")


@dataclass(frozen=True)
class RegionMap:
    """The municipalities of the selection coloured by their priorities on one theme."""

    theme: Theme
    width: float
    height: float
    areas: list[MapArea]
    without_boundary: list[Place]
    rows: list[tuple[Place, int]]  # every municipality of the selection: the map as a table
    context: list[MapArea]  # neighbours outside the selection, uncoloured, for orientation

    @property
    def legend(self) -> list[tuple[str, str, int]]:
        return [(key, label, sum(a.level == key for a in self.areas)) for key, label in MAP_LEVELS]

    @property
    def covered(self) -> int:
        return sum(count > 0 for _place, count in self.rows)


def region_map(figures: Figures, theme: Theme, *, size: float = 600.0) -> RegionMap:
    """Project the boundaries equirectangularly (longitude scaled by the cosine of the middle
    latitude), fitted into ``size`` map units on the longer side of the selection's bounding box.

    With one district chosen the map zooms to it; a wider margin shows the neighbours around it.
    """
    shapes = boundaries()
    pad = 30.0 if figures.context else 6.0
    rows = [(row.place, figures.count_of(row.place, theme)) for row in figures.rows]
    drawn = [(place, count, shapes[place.cbs_code]) for place, count in rows if place.cbs_code in shapes]
    points = [point for _place, _count, rings in drawn for ring in rings for point in ring]
    if not points:
        return RegionMap(theme, size, size / 2, [], [p for p, _c in rows], rows, [])
    west, east = min(x for x, _y in points), max(x for x, _y in points)
    south, north = min(y for _x, y in points), max(y for _x, y in points)
    squeeze = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * squeeze, 1e-9), max(north - south, 1e-9)
    scale = (size - 2 * pad) / max(span_x, span_y)

    def project(rings: list[Ring]) -> list[Ring]:
        return [[(pad + (x - west) * squeeze * scale, pad + (north - y) * scale) for x, y in ring] for ring in rings]

    areas = [MapArea(place, project(rings), count) for place, count, rings in drawn]
    context = [MapArea(p, project(shapes[p.cbs_code]), 0) for p in figures.context if p.cbs_code in shapes]
    return RegionMap(
        theme=theme,
        width=round(span_x * scale + 2 * pad, 1),
        height=round(span_y * scale + 2 * pad, 1),
        areas=areas,
        without_boundary=[p for p, _c in rows if p.cbs_code not in shapes],
        rows=rows,
        context=context,
    )
