"""Fonts for the PDF exports, so that every script users type prints as text and not as ■.

ReportLab's built-in Helvetica knows Latin-1 only. Latin is set in Liberation Sans (Debian's
fonts-liberation), which has Helvetica's metrics, so the packs keep the layout they were drawn for and
gain ĳ and the rest of Latin Extended-A; Arabic, Hebrew and many symbols in DejaVu Sans
(fonts-dejavu-core); the emoji DejaVu lacks in Symbola (fonts-symbola), in outline: ReportLab cannot
draw colour bitmap emoji. A text is cut into runs, each in the first font that has its characters.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

REGULAR = "LiberationSans"
BOLD = "LiberationSans-Bold"
DEJAVU = "DejaVuSans"
DEJAVU_BOLD = "DejaVuSans-Bold"
SYMBOLS = "Symbola"
# Under settings.PDF_FONT_DIR (Debian's /usr/share/fonts/truetype); `make fonts` installs the packages.
FONT_FILES = {
    REGULAR: "liberation/LiberationSans-Regular.ttf",
    BOLD: "liberation/LiberationSans-Bold.ttf",
    DEJAVU: "dejavu/DejaVuSans.ttf",
    DEJAVU_BOLD: "dejavu/DejaVuSans-Bold.ttf",
    SYMBOLS: "ancient-scripts/Symbola_hint.ttf",
}
# Where a style's font looks for a character it lacks, in order; Symbola has no bold.
FALLBACK = {
    REGULAR: (REGULAR, DEJAVU, SYMBOLS),
    BOLD: (BOLD, DEJAVU_BOLD, DEJAVU, SYMBOLS),
}
PACKAGES = "fonts-liberation, fonts-dejavu-core and fonts-symbola"


@functools.cache
def font_cmaps() -> dict[str, frozenset[int]]:
    """Registers the fonts with ReportLab, once per process and only when a PDF is made, and returns the
    code points each font has a glyph for."""
    cmaps = {}
    for name, relative in FONT_FILES.items():
        path = Path(settings.PDF_FONT_DIR) / relative
        if not path.is_file():
            raise ImproperlyConfigured(
                f"PDF font {path} is missing: install Debian's {PACKAGES} (make fonts), "
                "or point PDF_FONT_DIR at a folder that has them."
            )
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        cmaps[name] = frozenset(font.face.charToGlyph)
    return cmaps


def font_runs(text: str, primary: str) -> Iterator[tuple[str, str]]:
    """(font, text) runs: each character in the first font of ``primary``'s FALLBACK that has it. A
    space or combining mark stays in the run it follows when that font has it; an invisible format
    character (a zero-width joiner, an emoji variation selector) is left out where the run's font
    lacks it rather than printed as a box. A character no font has stays in the primary font."""
    cmaps = font_cmaps()
    font, run = primary, ""
    for char in text:
        code = ord(char)
        if run and code in cmaps[font] and (char.isspace() or unicodedata.combining(char)):
            run += char
            continue
        if unicodedata.category(char) == "Cf" and code not in cmaps[font]:
            continue
        wanted = next((name for name in FALLBACK[primary] if code in cmaps[name]), primary)
        if wanted != font and run:
            yield font, run
            run = ""
        font = wanted
        run += char
    if run:
        yield font, run


def markup(text: str, style: ParagraphStyle) -> str:
    """Text as ReportLab paragraph markup: escaped, each run in its font, line breaks kept."""
    return "".join(
        escape(run) if font == style.fontName else f'<font face="{font}">{escape(run)}</font>'
        for font, run in font_runs(text, style.fontName)
    ).replace("\n", "<br/>")


def paragraph_flowable(text: str, style: ParagraphStyle) -> Flowable:
    """The paragraph for ``text``, every character in a font that has it."""
    text = unicodedata.normalize("NFC", text)  # a letter and its accent typed apart become the one glyph
    return Paragraph(markup(text, style), style)
