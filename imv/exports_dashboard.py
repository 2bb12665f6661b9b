"""The RBOP dashboard: its figures, the region map, and the same as CSV, XLSX and a PDF board pack.

Alignment figures come from imv.alignment (the shared-schema projection of local priorities),
progress from imv.selectors (the IMV's latest consultation round). Everything here reads; nothing
writes. Figures that include invented demo content say so, on the page and in every file.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.graphics.shapes import Drawing, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from imv.alignment import COVERAGE_FORMULA, alignment_by_theme, heatmap
from imv.exports import GRID, HEADER_FILL, HEADER_FONT, PRIMARY, _p, _styles, _table, _text_cell, local
from imv.models import ConsultationRound, ImvCycle, ParticipationStatus, Theme, ThemeStatus
from imv.selectors import DONE, BoardRow, board_counts, board_rows, projection_example_ids
from tenants.models import Domain, Municipality
from tenants.reference import REFERENCE_DIR

BOUNDARIES = REFERENCE_DIR / "gemeenten_2023_eenheid_noord_holland.geojson"
MAP_CREDIT = "Bron grenzen: © CBS / Kadaster"
THEME_RULE = (
    "per thema: aantal gemeenten met minstens één lokale prioriteit gekoppeld aan het thema (of een subthema) "
    "÷ aantal gemeenten in de selectie"
)
EXAMPLE_NOTE = "De prioriteiten van gemeenten gemarkeerd als voorbeeld zijn verzonnen voor de demonstratie."


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


# --- CSV ------------------------------------------------------------------------------------
def _csv(header: Sequence[str], records: Sequence[Sequence[object]]) -> bytes:
    """CSV for Dutch Excel: UTF-8 with BOM, semicolons; a cell starting like a formula is quoted."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_text_cell(h) for h in header])
    for record in records:
        writer.writerow([_text_cell(value) for value in record])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


COVERAGE_HEADERS = [
    "Thema",
    "Status",
    "Gemeenten met gekoppelde prioriteit",
    "Gemeenten in selectie",
    "Percentage",
    "Welke gemeenten",
    "Waarvan voorbeeld (verzonnen)",
]


def coverage_records(figures: Figures) -> list[list[object]]:
    """One record per top-level theme, least covered first (as on the page)."""
    return [
        [
            line.theme.name,
            line.theme.get_status_display(),
            line.count,
            line.considered,
            line.percent,
            ", ".join(p.name for p in line.places),
            ", ".join(p.name for p in line.places if p.is_example),
        ]
        for line in figures.lines
    ]


def heatmap_headers(figures: Figures) -> list[str]:
    return [
        "Gemeente",
        "CBS-code",
        "District",
        *[t.name for t in figures.themes],
        "Gedekte vastgestelde thema's",
        "Vastgestelde thema's",
        "Voorbeeld (verzonnen)",
    ]


def heatmap_records(figures: Figures) -> list[list[object]]:
    return [
        [
            row.place.name,
            row.place.cbs_code,
            row.place.district,
            *row.counts,
            row.covered,
            row.adopted,
            _yes_no(row.place.is_example),
        ]
        for row in figures.rows
    ]


def coverage_csv(figures: Figures) -> bytes:
    return _csv(COVERAGE_HEADERS, coverage_records(figures))


def heatmap_csv(figures: Figures) -> bytes:
    return _csv(heatmap_headers(figures), heatmap_records(figures))


def filename(figures: Figures, stem: str, ext: str) -> str:
    parts = [stem, slugify(figures.cycle.name), slugify(figures.district), f"{local(figures.now):%Y-%m-%d}"]
    return "-".join(p for p in parts if p) + f".{ext}"


# --- XLSX -----------------------------------------------------------------------------------
HEAT_FILLS = ["FFFFFF", "DCE9F5", "9EC3E6", "5B8FC7"]


def _facts(figures: Figures) -> list[tuple[str, str]]:
    facts = [
        ("IMV", figures.cycle.name),
        ("District", figures.district or "alle districten"),
        ("Gemeenten in selectie", str(figures.considered)),
        ("Stand op", f"{local(figures.now):%d-%m-%Y %H:%M}"),
        ("Dekking per thema", THEME_RULE),
        ("Dekking per gemeente", COVERAGE_FORMULA),
        ("Bron", "Lokale prioriteiten uit de veiligheidsplannen die de periode van het IMV overlappen."),
    ]
    examples = figures.examples
    if examples:
        facts.append(("Voorbeeld", f"{EXAMPLE_NOTE} ({len(examples)}: {', '.join(p.name for p in examples)})"))
    return facts


def _header(cells: Any) -> None:
    for cell in cells:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def dashboard_xlsx(figures: Figures) -> bytes:
    """Coverage per theme, the heatmap (counts as numbers, shaded) and how the figures are made."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 (a new Workbook always has one sheet)
    sheet.title = "Dekking per thema"
    sheet.append(COVERAGE_HEADERS)
    for record in coverage_records(figures):
        sheet.append([value if isinstance(value, int) else _text_cell(value) for value in record])
    _header(sheet[1])
    for index, width in enumerate([42, 14, 16, 14, 12, 60, 40], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"

    heat = book.create_sheet("Heatmap")
    heat.append(heatmap_headers(figures))
    first_theme = 4
    for record in heatmap_records(figures):
        heat.append([value if isinstance(value, int) else _text_cell(value) for value in record])
    _header(heat[1])
    for row in heat.iter_rows(min_row=2, min_col=first_theme, max_col=first_theme + len(figures.themes) - 1):
        for cell in row:
            cell.fill = PatternFill("solid", fgColor=HEAT_FILLS[min(int(cell.value or 0), 3)])
            if int(cell.value or 0) >= 3:
                cell.font = Font(color="FFFFFF", bold=True)
    widths = [24, 10, 24, *[18] * len(figures.themes), 14, 12, 12]
    for index, width in enumerate(widths, start=1):
        heat.column_dimensions[get_column_letter(index)].width = width
    heat.freeze_panes = "B2"
    heat.auto_filter.ref = heat.dimensions

    facts = book.create_sheet("Toelichting")
    for label, value in _facts(figures):
        facts.append([label, value])
    for cell in facts["A"]:
        cell.font = Font(bold=True)
    facts.column_dimensions["A"].width = 24
    facts.column_dimensions["B"].width = 100

    book.properties.title = f"Dashboard {figures.cycle.name}"
    book.properties.creator = "Regioportaal Veiligheid"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- PDF: the board pack of the dashboard ---------------------------------------------------
MAP_FILLS = {"geen": colors.HexColor("#eeeeee"), "een": colors.HexColor("#8fb8de"), "meer": PRIMARY}
HEAT_COLOURS = [colors.white, colors.HexColor("#dce9f5"), colors.HexColor("#9ec3e6"), colors.HexColor("#5b8fc7")]


def map_drawing(region: RegionMap, *, width: float) -> Drawing:
    """The region map as a reportlab drawing ``width`` points wide (y flipped: PDF counts upwards)."""
    scale = width / region.width
    height = region.height * scale
    drawing = Drawing(width, height)
    for area in region.areas:
        for ring in area.rings:
            points = [value for x, y in ring for value in (x * scale, height - y * scale)]
            drawing.add(
                Polygon(
                    points, fillColor=MAP_FILLS[area.level], strokeColor=colors.HexColor("#7a7a7a"), strokeWidth=0.3
                )
            )
    return drawing


def _legend() -> Drawing:
    drawing = Drawing(170 * mm, 6 * mm)
    x = 0.0
    for key, label in MAP_LEVELS:
        swatch = Rect(x, 1, 8, 8)
        swatch.fillColor, swatch.strokeColor, swatch.strokeWidth = MAP_FILLS[key], GRID, 0.5
        drawing.add(swatch)
        drawing.add(String(x + 11, 2, label, fontName="Helvetica", fontSize=8))
        x += 11 + len(label) * 4.2 + 14
    return drawing


def dashboard_pdf(figures: Figures) -> bytes:
    """The board pack: progress of the latest round, coverage per theme, the heatmap, a map per theme."""
    styles = _styles()
    cell, bold = styles.cell, styles.bold
    title = f"Bestuurspakket RBOP — dashboard {figures.cycle.name}"
    story: list[Any] = [Paragraph(escape(title), styles.title)]
    story.append(
        _table(
            [[_p(label, bold), _p(value, cell)] for label, value in _facts(figures)], [42 * mm, 132 * mm], header_rows=0
        )
    )
    if figures.examples or (figures.progress and figures.progress.examples):
        story.append(
            _p("Voorbeeld: cijfers van gemeenten gemarkeerd met “(voorbeeld)” zijn verzonnen.", styles.example)
        )

    def name(place: Place) -> str:
        return f"{place.name} (voorbeeld)" if place.is_example else place.name

    # 1. Progress
    story.append(_p("1. Voortgang van de consultatie", styles.h1))
    progress = figures.progress
    if progress is None:
        story.append(_p("Voor dit IMV is nog geen consultatieronde geopend.", styles.body))
    else:
        story.append(
            _p(
                f"Ronde op “{progress.consultation.draft_version.label}”, uiterste datum "
                f"{local(progress.consultation.deadline):%d-%m-%Y}. {progress.done} van {len(progress.rows)} "
                f"gemeenten hebben ingediend of afgezien; {progress.late} te laat.",
                styles.body,
            )
        )
        data = [[_p("Status", bold), _p("Aantal gemeenten", bold)]]
        data += [[_p(label, cell), _p(count, cell)] for _status, label, count in progress.counts]
        data.append([_p("Totaal", bold), _p(len(progress.rows), bold)])
        story.append(Spacer(0, 2 * mm))
        story.append(_table(data, [60 * mm, 35 * mm]))
        if progress.examples:
            story.append(
                _p(
                    f"Voorbeeld: de stand van {progress.examples} gemeenten is verzonnen voor de demonstratie.",
                    styles.body,
                )
            )

    # 2. Coverage per theme
    story.append(_p("2. Dekking per thema", styles.h1))
    story.append(_p(f"Minst gedekt eerst. Berekening {THEME_RULE}.", styles.body))
    least = figures.least_covered
    if least:
        story.append(
            _p(
                "Minst gedekt: "
                + "; ".join(f"{line.theme.name} ({line.count} van {line.considered})" for line in least)
                + ".",
                styles.body,
            )
        )
    data = [[_p(h, bold) for h in ("Thema", "Status", "Gemeenten", "Welke gemeenten")]]
    for line in figures.lines:
        data.append(
            [
                _p(line.theme.name, cell),
                _p(line.theme.get_status_display(), cell),
                _p(f"{line.count} van {line.considered} ({line.percent}%)", cell),
                _p(", ".join(name(p) for p in line.places) or "geen", cell),
            ]
        )
    story.append(Spacer(0, 2 * mm))
    story.append(_table(data, [50 * mm, 22 * mm, 28 * mm, 74 * mm]))

    # 3. Heatmap
    # Heading, key and table on one page when they fit: a heading alone at a page's foot helps nobody.
    heat: list[Flowable] = [_p("3. Heatmap: gemeenten × thema's", styles.h1)]
    heat.append(
        _p(
            "Aantal lokale prioriteiten per gemeente gekoppeld aan elk thema (of een subthema). "
            f"Laatste kolom: {COVERAGE_FORMULA}.",
            styles.body,
        )
    )
    # Columns by letter with a key: theme names are too long for narrow columns on A4 portrait.
    keys = [chr(ord("A") + i) for i in range(len(figures.themes))]
    heat.append(
        _p(
            "Kolommen: " + "; ".join(f"{k} = {t.name}" for k, t in zip(keys, figures.themes, strict=True)) + ".",
            styles.body,
        )
    )
    theme_width = min((174 - 60 - 20) * mm / max(len(figures.themes), 1), 20 * mm)
    data = [[_p("Gemeente", bold)] + [_p(k, bold) for k in keys] + [_p("Dekking", bold)]]
    for row in figures.rows:
        data.append(
            [_p(name(row.place), cell)]
            + [_p(count, cell) for count in row.counts]
            + [_p(f"{row.covered} van {row.adopted}", cell)]
        )
    table = _table(data, [60 * mm, *[theme_width] * len(figures.themes), 20 * mm])
    shading = [
        ("BACKGROUND", (col + 1, r + 1), (col + 1, r + 1), HEAT_COLOURS[level])
        for r, row in enumerate(figures.rows)
        for col, (_count, level) in enumerate(row.cells)
        if level
    ]
    table.setStyle(TableStyle(shading))
    heat += [Spacer(0, 2 * mm), table]
    story.append(KeepTogether(heat))

    # 4. Maps: one per theme, side by side
    story.append(_p("4. Kaart per thema", styles.h1))
    story.append(_p("Gemeenten gekleurd naar het aantal lokale prioriteiten gekoppeld aan het thema.", styles.body))
    cells: list[list[Flowable]] = []
    for theme in figures.themes:
        region = region_map(figures, theme)
        cells.append(
            [_p(f"{theme.name} ({region.covered} van {len(region.rows)})", bold), map_drawing(region, width=52 * mm)]
        )
    grid = [cells[i : i + 3] for i in range(0, len(cells), 3)]
    if grid:
        grid[-1] += [[Spacer(0, 0)] for _ in range(3 - len(grid[-1]))]
        maps = Table(grid, colWidths=[58 * mm] * 3, hAlign="LEFT")
        maps.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(maps)
    story.append(Spacer(0, 2 * mm))
    story.append(KeepTogether([_legend(), _p(MAP_CREDIT, styles.body)]))
    missing = region_map(figures, figures.themes[0]).without_boundary if figures.themes else []
    if missing:
        story.append(_p(f"Zonder grens op de kaart: {', '.join(p.name for p in missing)}.", styles.body))

    out = io.BytesIO()
    generated = f"{local(figures.now):%d-%m-%Y %H:%M}"

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#4d4d4d"))
        canvas.drawString(18 * mm, 10 * mm, f"{title} — stand op {generated}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"pagina {doc.page}")
        canvas.restoreState()

    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Regioportaal Veiligheid",
        subject=f"{figures.cycle.name}, {figures.district or 'alle districten'}",
        lang="nl",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
