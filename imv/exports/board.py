"""The status board as files, and the reads behind the RBOP board pack.

CSV and XLSX carry the board's rows; the PDF board pack (bestuurspakket) adds the positions per
theme across municipalities and the reactienota (the region's answer to every zienswijze).
Everything here reads; nothing writes. Invented demo content is marked "voorbeeld" in every file.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from imv.analytics import positions_per_theme
from imv.exports.pdf import facts_table, paragraph, pdf_document, pdf_styles, table
from imv.exports.spreadsheet import csv_bytes, header_style, local, sheet_row
from imv.models import (
    ConsultationRound,
    ParticipationStatus,
    Position,
)
from imv.selectors import (
    DONE,
    BoardRow,
    board_counts,
    reactienota,
)

BOARD_HEADERS = [
    "Gemeente",
    "CBS-code",
    "District",
    "Status",
    "Eigen uiterste datum",
    "Dagen tot uiterste datum",
    "Te laat",
    "Dagen te laat",
    "Uitstel aangevraagd",
    "Raadsvergadering",
    "Datum raadsbesluit",
    "Zaaknummer",
    "Openbaarheid",
    "Woo-categorie",
    "Voorbeeld (verzonnen)",
]


def filename(
    consultation: ConsultationRound, now: datetime, ext: str, *, stem: str = "statusbord", district: str = ""
) -> str:
    parts = [stem, slugify(consultation.cycle.name), slugify(district), f"{local(now):%Y-%m-%d}"]
    return "-".join(p for p in parts if p) + f".{ext}"


def board_records(rows: Sequence[BoardRow]) -> list[dict[str, Any]]:
    """One record per municipality, keyed by the Dutch column headers of the exports."""
    return [
        {
            "Gemeente": row.municipality,
            "CBS-code": row.cbs_code,
            "District": row.district,
            "Status": row.status_label,
            "Eigen uiterste datum": local(row.deadline),
            # Only for who still has to act: for a submitted opinion the days left mean nothing.
            "Dagen tot uiterste datum": None if row.status in DONE else row.days_left,
            "Te laat": "ja" if row.is_late else "nee",
            "Dagen te laat": row.days_late or None,
            "Uitstel aangevraagd": "ja" if row.extension_requested else "nee",
            "Raadsvergadering": row.council_date,
            "Datum raadsbesluit": row.decision_date,
            "Zaaknummer": row.case_number,
            "Openbaarheid": row.openbaarheid,
            "Woo-categorie": row.woo_category,
            "Voorbeeld (verzonnen)": "ja" if row.is_example else "nee",
        }
        for row in rows
    ]


# --- CSV ----------------------------------------------------------------------------------
def board_csv(rows: Sequence[BoardRow]) -> bytes:
    """The board as CSV for Excel: UTF-8 with BOM, semicolons (Dutch Excel's list separator)."""
    return csv_bytes(BOARD_HEADERS, ([record[h] for h in BOARD_HEADERS] for record in board_records(rows)))


# --- XLSX ---------------------------------------------------------------------------------
def board_xlsx(
    *, consultation: ConsultationRound, rows: Sequence[BoardRow], now: datetime, district: str = ""
) -> bytes:
    """The board as an Excel workbook: the table (filterable, dates as dates), counts, and the round's facts."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 (a new Workbook always has one sheet)
    sheet.title = "Statusbord"
    sheet_row(sheet, BOARD_HEADERS)
    for record in board_records(rows):
        sheet_row(sheet, [record[h] for h in BOARD_HEADERS])
    header_style(sheet[1])
    for row in sheet.iter_rows(min_row=2):
        row[4].number_format = "dd-mm-yyyy hh:mm"
        row[9].number_format = "dd-mm-yyyy"
        row[10].number_format = "dd-mm-yyyy"
    widths = [24, 10, 24, 22, 18, 12, 9, 9, 12, 16, 16, 14, 16, 36, 12]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions

    counts = book.create_sheet("Per status")
    sheet_row(counts, ["Status", "Aantal gemeenten"])
    tally = board_counts(list(rows))
    for status in ParticipationStatus.values:
        sheet_row(counts, [str(ParticipationStatus(status).label), tally[status]])
    sheet_row(counts, ["Te laat", sum(r.is_late for r in rows)])
    sheet_row(counts, ["Uitstel aangevraagd", sum(r.extension_requested for r in rows)])
    header_style(counts[1], wrap=False)
    counts.column_dimensions["A"].width = 26
    counts.column_dimensions["B"].width = 18

    facts = book.create_sheet("Ronde")
    for label, value in _round_facts(consultation, now, district=district, rows=rows):
        sheet_row(facts, [label, value])
    for cell in facts["A"]:
        cell.font = Font(bold=True)
    facts.column_dimensions["A"].width = 28
    facts.column_dimensions["B"].width = 80

    book.properties.title = f"Statusbord {consultation}"
    book.properties.creator = "Regioportaal Veiligheid"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _round_facts(
    consultation: ConsultationRound, now: datetime, *, district: str = "", rows: Sequence[BoardRow] = ()
) -> list[tuple[str, str]]:
    facts = [
        ("IMV", consultation.cycle.name),
        ("Conceptversie", consultation.draft_version.label),
        ("Uiterste datum zienswijze", f"{local(consultation.deadline):%d-%m-%Y %H:%M}"),
        ("RBOP-vergadering", f"{local(consultation.rbop_meeting):%d-%m-%Y %H:%M}"),
        ("Stand op", f"{local(now):%d-%m-%Y %H:%M}"),
        ("District", district or "alle districten"),
    ]
    examples = sum(r.is_example for r in rows)
    if examples:
        facts.append(("Voorbeeld", f"De gegevens van {examples} gemeenten zijn verzonnen voor de demonstratie."))
    if consultation.is_example:
        facts.append(
            (
                "Voorbeeldronde",
                "De data zijn verschoven zodat de ronde nu loopt; de echte ronde sloot met de RBOP-vergadering "
                "van 9 november 2023.",
            )
        )
    return facts


# --- PDF: the RBOP board pack -------------------------------------------------------------
def _name(row_name: str, is_example: bool) -> str:
    return f"{row_name} (voorbeeld)" if is_example else row_name


def board_pack_pdf(
    *, consultation: ConsultationRound, rows: Sequence[BoardRow], now: datetime, demo: dict[str, Any] | None = None
) -> bytes:
    """The RBOP board pack: progress per status, positions per theme across municipalities, the reactienota."""
    styles = pdf_styles()
    cell, bold = styles.cell, styles.bold
    title = f"Bestuurspakket RBOP — {consultation.cycle.name}"
    story: list[Any] = [
        paragraph(title, styles.title),
        paragraph(f"Consultatieronde op “{consultation.draft_version.label}”", styles.h3),
    ]
    story.append(facts_table(styles, _round_facts(consultation, now, rows=rows), [45 * mm, 125 * mm]))
    examples = sum(r.is_example for r in rows)
    if examples or demo:
        note = "Voorbeeld: de gegevens van gemeenten gemarkeerd met “(voorbeeld)” zijn verzonnen voor de demonstratie."
        if demo:
            note += (
                f" De data van deze voorbeeldronde zijn {demo['days']} dagen verschoven: vandaag speelt "
                f"{demo['real_today']:%d-%m-%Y}, twee weken voor de echte uiterste datum van "
                f"{demo['real_deadline']:%d-%m-%Y}."
            )
        story.append(paragraph(note, styles.example))

    # 1. Progress
    story.append(paragraph("1. Voortgang van de consultatie", styles.h1))
    tally = board_counts(list(rows))
    progress = [[paragraph("Status", bold), paragraph("Aantal gemeenten", bold)]]
    progress += [
        [paragraph(ParticipationStatus(s).label, cell), paragraph(tally[s], cell)] for s in ParticipationStatus.values
    ]
    progress.append([paragraph("Totaal", bold), paragraph(len(rows), bold)])
    story.append(table(progress, [60 * mm, 35 * mm]))
    late = [_name(r.municipality, r.is_example) for r in rows if r.is_late]
    asked = [_name(r.municipality, r.is_example) for r in rows if r.extension_requested]
    story.append(Spacer(0, 4 * mm))
    story.append(paragraph(f"Te laat ({len(late)}): {', '.join(late) or 'geen'}.", styles.body))
    story.append(paragraph(f"Uitstel aangevraagd ({len(asked)}): {', '.join(asked) or 'geen'}.", styles.body))
    board = [
        [
            paragraph(h, bold)
            for h in ("Gemeente", "District", "Status", "Uiterste datum", "Te laat", "Raadsvergadering")
        ]
    ]
    for r in rows:
        board.append(
            [
                paragraph(_name(r.municipality, r.is_example), cell),
                paragraph(r.district, cell),
                paragraph(r.status_label, cell),
                paragraph(f"{local(r.deadline):%d-%m-%Y %H:%M}", cell),  # the minute is part of the deadline
                paragraph(f"ja, {r.days_late} dag(en)" if r.days_late else ("ja" if r.is_late else "nee"), cell),
                paragraph(f"{r.council_date:%d-%m-%Y}" if r.council_date else "nog niet bekend", cell),
            ]
        )
    story.append(Spacer(0, 2 * mm))
    story.append(table(board, [40 * mm, 34 * mm, 30 * mm, 24 * mm, 20 * mm, 26 * mm]))

    # 2. Positions per theme
    story.append(paragraph("2. Standpunten per thema", styles.h1))
    positions = positions_per_theme(consultation=consultation)
    if not positions:
        story.append(paragraph("Er zijn nog geen zienswijzen met standpunten per thema ingediend.", styles.body))
    else:
        story.append(
            paragraph(
                "Aantal gemeenten per standpunt, uit de ingediende (niet ingetrokken) zienswijzen.",
                styles.body,
            )
        )
        head = (
            [paragraph("Thema", bold)]
            + [paragraph(Position(p).label, bold) for p in Position.values]
            + [paragraph("Totaal", bold)]
        )
        widths = [62 * mm, 20 * mm, 30 * mm, 22 * mm, 20 * mm, 16 * mm]
        adopted = [t for t in positions if not t.exploring]
        exploring = [t for t in positions if t.exploring]
        for group in (adopted, exploring):
            if not group:
                continue
            if group is exploring:
                story.append(Spacer(0, 2 * mm))
                story.append(
                    paragraph("In verkenning: nog geen vastgesteld thema van het IMV, apart geteld.", styles.body)
                )
            data = [head]
            for t in group:
                data.append(
                    [
                        paragraph(
                            ("— " if t.is_subtheme else "") + t.theme + (" (in verkenning)" if t.exploring else ""),
                            cell,
                        )
                    ]
                    + [paragraph(t.counts[p], cell) for p in Position.values]
                    + [paragraph(t.total, cell)]
                )
            story.append(table(data, widths))
        story.append(Spacer(0, 3 * mm))
        for t in positions:
            remarks = [
                f"{Position(p).label}: {', '.join(t.municipalities[p])}"
                for p in (Position.OBJECTS, Position.SUPPORTS_WITH_REMARKS)
                if t.municipalities[p]
            ]
            if remarks:
                story.append(paragraph(f"{t.theme} — " + "; ".join(remarks) + ".", styles.body))

    # 3. The reactienota
    story.append(paragraph("3. Reactienota", styles.h1))
    entries = reactienota(consultation=consultation)
    if not entries:
        story.append(paragraph("Er zijn nog geen zienswijzen ingediend.", styles.body))
    for entry in entries:
        opinion = entry.opinion
        header = [
            paragraph(_name(entry.municipality, entry.participation.is_example), styles.h3),
            paragraph(
                f"Standpunt: {Position(opinion.overall_position).label}. "
                + (f"Op “{opinion.draft_version.label}”. " if opinion.draft_version else "")
                + f"Ingediend op {local(opinion.submitted_at):%d-%m-%Y}"
                + (f", {opinion.late_text}" if opinion.is_late else "")
                + f". {'Beantwoord.' if entry.answered else 'Nog niet beantwoord.'}",
                styles.body,
            ),
        ]
        if opinion.overall_text:
            header.append(paragraph(opinion.overall_text, styles.body))
        if entry.overall_reaction is not None:
            header.append(
                paragraph(
                    f"Reactie van de regio ({entry.overall_reaction.get_disposition_display()}): "
                    f"{entry.overall_reaction.explanation}",
                    styles.body,
                )
            )
        data = [[paragraph(h, bold) for h in ("Thema", "Standpunt", "Toelichting raad", "Reactie van de regio")]]
        for point in entry.points:
            reaction = (
                f"{point.reaction.get_disposition_display()}: {point.reaction.explanation}"
                if point.reaction
                else "nog geen reactie"
            )
            data.append(
                [
                    paragraph(point.theme, cell),
                    paragraph(point.position, cell),
                    paragraph(point.text, cell),
                    paragraph(reaction, cell),
                ]
            )
        story.append(KeepTogether([*header, Spacer(0, 1 * mm)]))
        if entry.points:
            story.append(table(data, [40 * mm, 28 * mm, 50 * mm, 56 * mm]))
        story.append(Spacer(0, 4 * mm))

    return pdf_document(story, title=title, subject=str(consultation), generated=f"{local(now):%d-%m-%Y %H:%M}")
