"""The PDF exports print every script users type: Dutch diacritics, emoji, Arabic and Hebrew come back
out of the RBOP board pack as text, in embedded fonts that have them (imv.exports.fonts)."""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from pypdf import PdfReader

from imv import services
from imv.exports.fonts import BOLD, DEJAVU_BOLD, PACKAGES, SYMBOLS, font_cmaps, font_runs, reading_lines
from imv.models import Disposition, Position, Theme
from tenants.models import Municipality
from tests.imv.board_helpers import board_url
from tests.imv.dashboard_helpers import get

DUTCH = "Tweeënhalve ĳsbaan bij het café"
ARABIC = "السلامة"
# ا ل س لا م ة as a reader sees them joined: isolated alef, initial lam, medial seen, the lam-alef
# ligature, initial meem, final teh marbuta. Unjoined letters would come back as U+0600-U+06FF instead.
ARABIC_JOINED = "\ufe8d\ufedf\ufeb4\ufefc\ufee3\ufe94"
HEBREW = "ביטחון"
# ⚠ is in DejaVu Sans; ✅ and 🚓 only in Symbola. 🚓 lies above U+FFFF, where ReportLab writes the
# ToUnicode map in a form pypdf cannot read (a bare code point instead of UTF-16): it is checked there.
EMOJI_IN_TEXT = "⚠✅"
EMOJI_ABOVE_BMP = "🚓"


def _embedded_font_maps(reader: PdfReader) -> tuple[set[str], set[str]]:
    """The fonts the pages use that are not embedded, and every character the embedded ones map to."""
    missing: set[str] = set()
    mapped: set[str] = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]  # pypdf types a dictionary's values as any PDF object
        for reference in resources["/Font"].values():
            font = reference.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                missing.add(str(font["/BaseFont"]))
                continue
            cmap = font["/ToUnicode"].get_object().get_data()
            for target in re.findall(rb"<[0-9A-F]+> <([0-9A-F]+)>", cmap):
                if len(target) % 4 == 0:  # UTF-16BE, as the PDF reference has it
                    mapped.update(bytes.fromhex(target.decode()).decode("utf-16-be"))
                else:  # ReportLab's bare code point above U+FFFF
                    mapped.add(chr(int(target, 16)))
    return missing, mapped


@pytest.mark.django_db
def test_board_pack_prints_dutch_emoji_arabic_and_hebrew_as_text(
    client_for, adviser, consultation, adopted, heemstede_staff, top_themes
):
    Municipality.objects.filter(pk=adopted.municipality_id).update(name="Súdwest-Fryslân")
    opinion = services.opinion_submit(
        actor=heemstede_staff,
        participation=adopted,
        overall_position=Position.SUPPORTS_WITH_REMARKS,
        overall_text=f"{DUTCH} {EMOJI_IN_TEXT} {EMOJI_ABOVE_BMP}",
        points=[
            services.PointInput(theme=top_themes[0], position=Position.SUPPORTS, text=f"{ARABIC} في الشوارع أولاً"),
            # Long enough to wrap in its column: the lines must still read from the top down.
            services.PointInput(
                theme=top_themes[1],
                position=Position.OBJECTS,
                text=f"{HEBREW} הוא אחריות משותפת של העירייה, המשטרה והתושבים בכל השכונות",
            ),
        ],
    )
    services.reaction_set(
        actor=adviser,
        opinion=opinion,
        point=None,
        disposition=Disposition.ADOPTED,
        explanation=f"Wij nemen ({ARABIC}) en {HEBREW} over.",
    )

    response = client_for(adviser).get(board_url(consultation, "imv:export_pdf"))

    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert DUTCH in text
    assert "Súdwest-Fryslân" in text
    assert all(emoji in text for emoji in EMOJI_IN_TEXT)
    # pypdf turns right-to-left runs back into reading order: the PDF drew them right to left.
    assert ARABIC_JOINED in text
    assert ARABIC in unicodedata.normalize("NFKC", text)
    assert HEBREW in text
    assert text.index(f"{HEBREW} הוא") < text.index("השכונות")
    assert "■" not in text
    missing, mapped = _embedded_font_maps(reader)
    assert missing == set()  # no Helvetica, no font the reader has to guess
    assert EMOJI_ABOVE_BMP in mapped
    assert set(ARABIC_JOINED + HEBREW + "ëéĳ") <= mapped


@pytest.mark.django_db
def test_dashboard_pack_prints_a_theme_named_in_any_script(client_for, rbop, cycle, heemstede_priorities):
    theme = cycle.themes.filter(parent__isnull=True).order_by("pk").first()
    Theme.objects.filter(pk=theme.pk).update(name=f"{ARABIC} {HEBREW} ĳs {EMOJI_IN_TEXT}")

    response = get(client_for(rbop), "imv:dashboard_pdf")

    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert ARABIC_JOINED in text
    assert HEBREW in text
    assert "ĳs ⚠✅" in text
    missing, _mapped = _embedded_font_maps(reader)
    assert missing == set()


def test_each_run_is_in_a_font_that_has_its_characters():
    cmaps = font_cmaps()
    sample = f"{DUTCH} 👮\u200d♀\ufe0f {ARABIC} {HEBREW} {EMOJI_IN_TEXT}{EMOJI_ABOVE_BMP}"

    runs = list(font_runs(sample, BOLD))

    def visible(text: str) -> str:
        return "".join(char for char in text if unicodedata.category(char) != "Cf")

    assert visible("".join(run for _font, run in runs)) == visible(sample)  # only format characters may go
    for font, run in runs:
        assert all(ord(char) in cmaps[font] for char in run), (font, run)
    assert {font for font, _run in runs} == {BOLD, DEJAVU_BOLD, SYMBOLS}


def test_reading_lines_fill_greedily_and_keep_hard_breaks():
    lines = list(reading_lines("een twee drie vier\nvijf", 9, len))

    assert lines == ["een twee", "drie vier", "vijf"]


def test_a_missing_font_file_says_which_packages_to_install(settings, tmp_path):
    settings.PDF_FONT_DIR = tmp_path
    font_cmaps.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match=PACKAGES):
            font_cmaps()
    finally:
        font_cmaps.cache_clear()  # the next PDF registers the real fonts again
