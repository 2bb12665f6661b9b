"""What the PDF board packs share: the styles, a paragraph, a table, a facts block and the A4 document
with its footer (title, time of the figures, page number). Text is set in the fonts of
``imv.exports.fonts``, which print every script users type."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle

from imv.exports.fonts import BOLD, REGULAR, font_cmaps, paragraph_flowable

PRIMARY = colors.HexColor("#154273")
SURFACE = colors.HexColor("#f3f5f8")
GRID = colors.HexColor("#c4c4c4")
FOOTER = colors.HexColor("#4d4d4d")


@dataclass(frozen=True)
class PdfStyles:
    title: ParagraphStyle
    h1: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    bold: ParagraphStyle
    example: ParagraphStyle


def pdf_styles() -> PdfStyles:
    font_cmaps()  # the fonts are registered before a style names them
    sample = getSampleStyleSheet()

    def style(name: str, **overrides: Any) -> ParagraphStyle:
        return ParagraphStyle(f"rp-{name}", parent=cast(ParagraphStyle, sample[name]), **overrides)

    body = style("BodyText", fontName=REGULAR, fontSize=9.5, leading=12.5)
    cell = ParagraphStyle("rp-cell", parent=body, fontSize=8.5, leading=10.5)
    return PdfStyles(
        title=style("Title", fontName=BOLD, alignment=TA_LEFT, textColor=PRIMARY),
        h1=style("Heading1", fontName=BOLD, textColor=PRIMARY, fontSize=15, leading=19, spaceBefore=10),
        h3=style("Heading3", fontName=BOLD, textColor=PRIMARY),
        body=body,
        cell=cell,
        bold=ParagraphStyle("rp-cell-bold", parent=cell, fontName=BOLD),
        example=ParagraphStyle(
            "rp-example",
            parent=body,
            backColor=colors.HexColor("#fff4e0"),
            borderColor=colors.HexColor("#8a5300"),
            borderWidth=0.5,
            borderPadding=5,
            spaceBefore=8,
            spaceAfter=10,
        ),
    )


def paragraph(text: object, style: ParagraphStyle) -> Flowable:
    """Text as a paragraph: escaped for reportlab's markup, line breaks kept, every script in a font
    that has it, right-to-left text in display order."""
    return paragraph_flowable(str(text), style)


def table(data: list[list[Any]], widths: list[float], *, header_rows: int = 1) -> Table:
    """A table in the portal's style: shaded header rows, a thin line under every row."""
    result = Table(data, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                # The cells are paragraphs with fonts of their own; this only keeps Helvetica off the page.
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), SURFACE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return result


def facts_table(styles: PdfStyles, facts: Sequence[tuple[str, str]], widths: list[float]) -> Table:
    """The facts at the top of a pack (label in bold, value beside it), without a header row."""
    return table(
        [[paragraph(label, styles.bold), paragraph(value, styles.cell)] for label, value in facts],
        widths,
        header_rows=0,
    )


def pdf_document(story: list[Flowable], *, title: str, subject: str, generated: str) -> bytes:
    """The story as an A4 PDF (Dutch, with title and author) and a footer on every page."""
    out = io.BytesIO()

    # The title may hold any script (an IMV's name is typed), so it is a paragraph like the others.
    footer_style = ParagraphStyle("rp-footer", fontName=REGULAR, fontSize=8, leading=10, textColor=FOOTER)
    stamp = paragraph(f"{title} — stand op {generated}", footer_style)

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        _, height = stamp.wrapOn(canvas, A4[0] - 2 * 18 * mm - 25 * mm, 20 * mm)
        stamp.drawOn(canvas, 18 * mm, 10 * mm + footer_style.fontSize - height)  # first baseline at 10 mm
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(FOOTER)
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
        subject=subject,
        lang="nl",
        initialFontName=REGULAR,  # else every page lists Helvetica, not embedded, among its fonts
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
