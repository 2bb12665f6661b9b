"""The RBOP dashboard as files: CSV, XLSX and a PDF board pack, from the figures of imv.selectors.dashboard.

Every file carries the same figures as the page, and says so where demo content is invented.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.graphics.shapes import Drawing, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from imv.analytics import COVERAGE_FORMULA
from imv.exports.fonts import REGULAR
from imv.exports.pdf import GRID, PRIMARY, facts_table, paragraph, pdf_document, pdf_styles, table
from imv.exports.spreadsheet import csv_bytes, header_style, local, sheet_row
from imv.selectors.dashboard import (
    EXAMPLE_NOTE,
    MAP_CREDIT,
    MAP_LEVELS,
    THEME_RULE,
    Figures,
    Place,
    RegionMap,
    region_map,
)


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
    return csv_bytes(COVERAGE_HEADERS, coverage_records(figures))


def heatmap_csv(figures: Figures) -> bytes:
    return csv_bytes(heatmap_headers(figures), heatmap_records(figures))


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


def dashboard_xlsx(figures: Figures) -> bytes:
    """Coverage per theme, the heatmap (counts as numbers, shaded) and how the figures are made."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 (a new Workbook always has one sheet)
    sheet.title = "Dekking per thema"
    sheet_row(sheet, COVERAGE_HEADERS)
    for record in coverage_records(figures):
        sheet_row(sheet, record)
    header_style(sheet[1])
    for index, width in enumerate([42, 14, 16, 14, 12, 60, 40], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"

    heat = book.create_sheet("Heatmap")
    sheet_row(heat, heatmap_headers(figures))
    first_theme = 4
    for record in heatmap_records(figures):
        sheet_row(heat, record)
    header_style(heat[1])
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
        sheet_row(facts, [label, value])
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
    drawing = Drawing(width, height, initialFontName=REGULAR)  # else its text state names Helvetica
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
    drawing = Drawing(170 * mm, 6 * mm, initialFontName=REGULAR)
    x = 0.0
    for key, label in MAP_LEVELS:
        swatch = Rect(x, 1, 8, 8)
        swatch.fillColor, swatch.strokeColor, swatch.strokeWidth = MAP_FILLS[key], GRID, 0.5
        drawing.add(swatch)
        drawing.add(String(x + 11, 2, label, fontName=REGULAR, fontSize=8))
        x += 11 + stringWidth(label, REGULAR, 8) + 14
    return drawing


def dashboard_pdf(figures: Figures) -> bytes:
    """The board pack: progress of the latest round, coverage per theme, the heatmap, a map per theme."""
    styles = pdf_styles()
    cell, bold = styles.cell, styles.bold
    title = f"Bestuurspakket RBOP — dashboard {figures.cycle.name}"
    story: list[Any] = [paragraph(title, styles.title)]
    story.append(facts_table(styles, _facts(figures), [42 * mm, 132 * mm]))
    if figures.examples or (figures.progress and figures.progress.examples):
        story.append(
            paragraph("Voorbeeld: cijfers van gemeenten gemarkeerd met “(voorbeeld)” zijn verzonnen.", styles.example)
        )

    def name(place: Place) -> str:
        return f"{place.name} (voorbeeld)" if place.is_example else place.name

    # 1. Progress
    story.append(paragraph("1. Voortgang van de consultatie", styles.h1))
    progress = figures.progress
    if progress is None:
        story.append(paragraph("Voor dit IMV is nog geen consultatieronde geopend.", styles.body))
    else:
        story.append(
            paragraph(
                f"Ronde op “{progress.consultation.draft_version.label}”, uiterste datum "
                f"{local(progress.consultation.deadline):%d-%m-%Y}. {progress.done} van {len(progress.rows)} "
                f"gemeenten hebben ingediend of afgezien; {progress.late} te laat.",
                styles.body,
            )
        )
        data = [[paragraph("Status", bold), paragraph("Aantal gemeenten", bold)]]
        data += [[paragraph(label, cell), paragraph(count, cell)] for _status, label, count in progress.counts]
        data.append([paragraph("Totaal", bold), paragraph(len(progress.rows), bold)])
        story.append(Spacer(0, 2 * mm))
        story.append(table(data, [60 * mm, 35 * mm]))
        if progress.examples:
            story.append(
                paragraph(
                    f"Voorbeeld: de stand van {progress.examples} gemeenten is verzonnen voor de demonstratie.",
                    styles.body,
                )
            )

    # 2. Coverage per theme
    story.append(paragraph("2. Dekking per thema", styles.h1))
    story.append(paragraph(f"Minst gedekt eerst. Berekening {THEME_RULE}.", styles.body))
    least = figures.least_covered
    if least:
        story.append(
            paragraph(
                "Minst gedekt: "
                + "; ".join(f"{line.theme.name} ({line.count} van {line.considered})" for line in least)
                + ".",
                styles.body,
            )
        )
    data = [[paragraph(h, bold) for h in ("Thema", "Status", "Gemeenten", "Welke gemeenten")]]
    for line in figures.lines:
        data.append(
            [
                paragraph(line.theme.name, cell),
                paragraph(line.theme.get_status_display(), cell),
                paragraph(f"{line.count} van {line.considered} ({line.percent}%)", cell),
                paragraph(", ".join(name(p) for p in line.places) or "geen", cell),
            ]
        )
    story.append(Spacer(0, 2 * mm))
    story.append(table(data, [50 * mm, 22 * mm, 28 * mm, 74 * mm]))

    # 3. Heatmap
    # Heading, key and table on one page when they fit: a heading alone at a page's foot helps nobody.
    heat: list[Flowable] = [paragraph("3. Heatmap: gemeenten × thema's", styles.h1)]
    heat.append(
        paragraph(
            "Aantal lokale prioriteiten per gemeente gekoppeld aan elk thema (of een subthema). "
            f"Laatste kolom: {COVERAGE_FORMULA}.",
            styles.body,
        )
    )
    # Columns by letter with a key: theme names are too long for narrow columns on A4 portrait.
    keys = [chr(ord("A") + i) for i in range(len(figures.themes))]
    heat.append(
        paragraph(
            "Kolommen: " + "; ".join(f"{k} = {t.name}" for k, t in zip(keys, figures.themes, strict=True)) + ".",
            styles.body,
        )
    )
    theme_width = min((174 - 60 - 20) * mm / max(len(figures.themes), 1), 20 * mm)
    data = [[paragraph("Gemeente", bold)] + [paragraph(k, bold) for k in keys] + [paragraph("Dekking", bold)]]
    for row in figures.rows:
        data.append(
            [paragraph(name(row.place), cell)]
            + [paragraph(count, cell) for count in row.counts]
            + [paragraph(f"{row.covered} van {row.adopted}", cell)]
        )
    heat_table = table(data, [60 * mm, *[theme_width] * len(figures.themes), 20 * mm])
    shading = [
        ("BACKGROUND", (col + 1, r + 1), (col + 1, r + 1), HEAT_COLOURS[level])
        for r, row in enumerate(figures.rows)
        for col, (_count, level) in enumerate(row.cells)
        if level
    ]
    heat_table.setStyle(TableStyle(shading))
    heat += [Spacer(0, 2 * mm), heat_table]
    story.append(KeepTogether(heat))

    # 4. Maps: one per theme, side by side
    story.append(paragraph("4. Kaart per thema", styles.h1))
    story.append(
        paragraph("Gemeenten gekleurd naar het aantal lokale prioriteiten gekoppeld aan het thema.", styles.body)
    )
    cells: list[list[Flowable]] = []
    for theme in figures.themes:
        region = region_map(figures, theme)
        cells.append(
            [
                paragraph(f"{theme.name} ({region.covered} van {len(region.rows)})", bold),
                map_drawing(region, width=52 * mm),
            ]
        )
    grid = [cells[i : i + 3] for i in range(0, len(cells), 3)]
    if grid:
        grid[-1] += [[Spacer(0, 0)] for _ in range(3 - len(grid[-1]))]
        maps = Table(grid, colWidths=[58 * mm] * 3, hAlign="LEFT")
        maps.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), REGULAR)]))
        story.append(maps)
    story.append(Spacer(0, 2 * mm))
    story.append(KeepTogether([_legend(), paragraph(MAP_CREDIT, styles.body)]))
    missing = region_map(figures, figures.themes[0]).without_boundary if figures.themes else []
    if missing:
        story.append(paragraph(f"Zonder grens op de kaart: {', '.join(p.name for p in missing)}.", styles.body))

    return pdf_document(
        story,
        title=title,
        subject=f"{figures.cycle.name}, {figures.district or 'alle districten'}",
        generated=f"{local(figures.now):%d-%m-%Y %H:%M}",
    )
