"""Fonts for the PDF exports, so that every script users type prints as text and not as ■.

ReportLab's built-in Helvetica knows Latin-1 only. Latin is set in Liberation Sans (Debian's
fonts-liberation), which has Helvetica's metrics, so the packs keep the layout they were drawn for and
gain ĳ and the rest of Latin Extended-A; Arabic, Hebrew and many symbols in DejaVu Sans
(fonts-dejavu-core); the emoji DejaVu lacks in Symbola (fonts-symbola), in outline: ReportLab cannot
draw colour bitmap emoji. A text is cut into runs, each in the first font that has its characters.
A PDF draws glyphs left to right as they are given, so text with right-to-left letters is shaped
first (Arabic letters joined, by arabic-reshaper), broken into lines in reading order and then put
in display order line by line (the Unicode bidi algorithm, python-bidi).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_base_level, get_display
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
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
RIGHT_TO_LEFT = frozenset({"R", "AL"})
# The vowel marks (harakat) a user typed are printed too; by default arabic-reshaper drops them.
RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})


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


def text_width(text: str, style: ParagraphStyle) -> float:
    """How wide ``text`` is drawn in ``style``, each run in its own font."""
    return sum(pdfmetrics.stringWidth(run, font, style.fontSize) for font, run in font_runs(text, style.fontName))


def has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in RIGHT_TO_LEFT for char in text)


def reading_lines(text: str, width: float, measure: Callable[[str], float]) -> Iterator[str]:
    """The text broken into lines no wider than ``width`` by ``measure``, in reading (logical) order: words
    are filled in greedily, the way ReportLab breaks a paragraph; a word longer than a line gets a line of
    its own, which ReportLab then cuts."""
    for hard_line in text.split("\n"):
        line = ""
        for word in hard_line.split():
            candidate = f"{line} {word}" if line else word
            if line and measure(candidate) > width:
                yield line
                candidate = word
            line = candidate
        yield line


class BidiParagraph(Flowable):
    """A paragraph with right-to-left text. Its lines are known only once the width is (in ``wrap``):
    each is then put in display order and the whole drawn as an ordinary paragraph of those lines, so a
    long Arabic or Hebrew explanation reads from the top line down. The paragraph's direction is that
    of its first letter, as ``dir="auto"`` does in a browser; a right-to-left one is set flush right."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.shaped = RESHAPER.reshape(text)
        self.base_dir = "R" if get_base_level(text) == 1 else "L"
        if self.base_dir == "R" and style.alignment == TA_LEFT:
            style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
        self.style = style
        self.inner: Paragraph | None = None

    def _display(self, line: str) -> str:
        return str(get_display(line, base_dir=self.base_dir))

    def _layout(self, width: float) -> Paragraph:
        # Measured as drawn: in display order a space may fall in another font's run.
        usable = width - self.style.leftIndent - self.style.rightIndent
        lines = reading_lines(self.shaped, usable, lambda line: text_width(self._display(line), self.style))
        return Paragraph("<br/>".join(markup(self._display(line), self.style) for line in lines), self.style)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (ReportLab's names)
        self.inner = self._layout(availWidth)
        self.width, self.height = self.inner.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return self._layout(availWidth).split(availWidth, availHeight)

    def draw(self) -> None:
        assert self.inner is not None  # noqa: S101 (ReportLab always wraps a flowable before drawing it)
        self.inner.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:  # noqa: N802
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:  # noqa: N802
        return float(self.style.spaceAfter)


def paragraph_flowable(text: str, style: ParagraphStyle) -> Flowable:
    """The paragraph for ``text``: a plain one unless right-to-left letters need the bidi layout."""
    text = unicodedata.normalize("NFC", text)  # a letter and its accent typed apart become the one glyph
    if has_right_to_left(text):
        return BidiParagraph(text, style)
    return Paragraph(markup(text, style), style)
