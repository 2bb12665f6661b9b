"""The English catalog is complete and its compiled .mo matches the .po it was made from.

The .mo is committed (CI machines may lack gettext), so a .po edited without running
`manage.py compilemessages -l en` would silently show stale English: these tests catch that.
Git does not keep file times, so the .mo is compared with the .po by content, not by mtime.
"""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

CATALOG = Path(__file__).resolve().parent.parent / "frontend" / "locale" / "en" / "LC_MESSAGES"
PO_FILE = CATALOG / "django.po"
MO_FILE = CATALOG / "django.mo"


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0


def read_po(path: Path) -> list[PoEntry]:
    """A small .po reader (no polib): entries with their flags; obsolete (#~) entries are skipped."""
    entries: list[PoEntry] = []
    entry, current = PoEntry(), None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if entry.msgstrs:  # a comment starts the next entry
                entries.append(entry)
                entry, current = PoEntry(), None
            if line.startswith("#~"):  # obsolete: forget it, with any flags read before it
                entry, current = PoEntry(), None
            elif line.startswith("#,") and "fuzzy" in {flag.strip() for flag in line[2:].split(",")}:
                entry.fuzzy = True
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = "", line
        elif keyword in ("msgctxt", "msgid") and entry.msgstrs:
            entries.append(entry)
            entry = PoEntry()
        text = ast.literal_eval(rest) if rest else ""
        if keyword == "msgctxt":
            entry.msgctxt, current = text, "msgctxt"
        elif keyword == "msgid":
            entry.msgid, entry.line, current = text, number, "msgid"
        elif keyword == "msgid_plural":
            entry.msgid_plural, current = text, "msgid_plural"
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            entry.msgstrs[index], current = text, f"msgstr{index}"
        elif keyword == "" and current is not None:
            if current == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + text
            elif current == "msgid":
                entry.msgid += text
            elif current == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + text
            else:
                index = int(current[6:])
                entry.msgstrs[index] += text
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    if entry.msgstrs:
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[PoEntry]:
    entries = read_po(PO_FILE)
    assert entries, f"{PO_FILE} has no entries"
    return entries


def test_en_catalog_translates_every_msgid(po_entries):
    messages = [e for e in po_entries if e.msgid]  # the header has an empty msgid
    assert len(messages) > 50, "the catalog looks truncated"
    untranslated = [f"line {e.line}: {e.msgid!r}" for e in messages if not all(e.msgstrs.values())]
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in messages if e.fuzzy]
    assert not untranslated, "untranslated in django.po:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy (needs checking) in django.po:\n" + "\n".join(fuzzy)


def test_en_catalog_header_is_final_and_english(po_entries):
    header = next(e for e in po_entries if not e.msgid)
    assert not header.fuzzy
    assert "Language: en\n" in header.msgstrs[0]


def test_en_mo_is_compiled_from_the_current_po(po_entries):
    with MO_FILE.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for e in po_entries:
        if not e.msgid:
            continue
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            got = compiled._catalog.get(key)  # type: ignore[attr-defined]
            if got != e.msgstrs[0]:
                stale.append(f"{e.msgid!r}: .po says {e.msgstrs[0]!r}, .mo says {got!r}")
        else:
            for index, text in e.msgstrs.items():
                got = compiled._catalog.get((key, index))  # type: ignore[attr-defined]
                if got != text:
                    stale.append(f"{e.msgid!r}[{index}]: .po says {text!r}, .mo says {got!r}")
    assert not stale, "django.mo is stale; run `manage.py compilemessages -l en`:\n" + "\n".join(stale)


@pytest.mark.parametrize(
    ("dutch", "english"),
    [
        ("Inloggen", "Log in"),
        ("Geen toegang", "No access"),
        ("Pagina niet gevonden", "Page not found"),
        ("Regioportaal Veiligheid", "Regional Safety Portal"),
        ("Integrale veiligheidsplannen", "Integral safety plans"),
        ("vastgesteld", "adopted"),
    ],
)
def test_django_serves_english_from_the_catalog(dutch, english):
    with translation.override("en"):
        assert translation.gettext(dutch) == english
    with translation.override("nl"):
        assert translation.gettext(dutch) == dutch


def test_django_fills_placeholders_in_english():
    with translation.override("en"):
        assert translation.gettext("Gemeente %(name)s") % {"name": "Heemstede"} == "Municipality of Heemstede"
