"""The safety fields (veiligheidsvelden) and themes of the VNG Kernbeleid Veiligheid.

A fixed national method, read once from the reference CSV: priorities store the codes
("1".."5", "X"; "1.1".."X.3"), and these tables give them names.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

KBV_CSV = Path(__file__).resolve().parent / "reference_data" / "kbv_veiligheidsvelden_themas.csv"


@dataclass(frozen=True)
class KbvTheme:
    field_code: str
    field_name: str
    code: str
    name: str


@cache
def kbv_themes() -> dict[str, KbvTheme]:
    """Every KBV theme by its code, in the method's order."""
    with KBV_CSV.open(newline="", encoding="utf-8") as handle:
        return {
            row["thema_code"]: KbvTheme(row["veld_code"], row["veiligheidsveld"], row["thema_code"], row["thema"])
            for row in csv.DictReader(handle)
        }


@cache
def kbv_fields() -> dict[str, str]:
    """Field code → field name, e.g. "1" → "Veilige woon- en leefomgeving"."""
    return {t.field_code: t.field_name for t in kbv_themes().values()}


def kbv_field_choices() -> list[tuple[str, str]]:
    return [(code, f"{code}. {name}") for code, name in kbv_fields().items()]


def kbv_theme_choices() -> list[tuple[str, str]]:
    return [(t.code, f"{t.code} {t.name}") for t in kbv_themes().values()]
