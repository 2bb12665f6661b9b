"""Loading an IMV's themes, timeline and the Woo categories from the reference CSVs."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from imv.models import ImvCycle, Theme, ThemeStatus, TimelineEvent, WooCategory
from portal.exceptions import PortalError
from tenants.models import PoliceUnit

REFERENCE_DIR = Path(__file__).resolve().parent / "reference_data"
THEMES_CSV = REFERENCE_DIR / "imv_noord_holland_2024_2027.csv"
TIMELINE_CSV = REFERENCE_DIR / "imv_noord_holland_2024_2027_timeline.csv"
# The reference timeline is in English (as ../shared/data has it); the portal shows it in Dutch, the
# language of the letters it comes from: this file has the same rows, in Dutch.
TIMELINE_NL_CSV = REFERENCE_DIR / "imv_noord_holland_2024_2027_timeline_nl.csv"
WOO_CSV = REFERENCE_DIR / "woo_informatiecategorieen_tooi.csv"
STATUS_WORDS = {"adopted": ThemeStatus.ADOPTED, "under_exploration": ThemeStatus.EXPLORING}
# The regional mayor's letter misspells this theme; real input has typos.
SPELLING = {"Ondernijning": "Ondermijning"}


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise PortalError(
                _("%(file)s mist de kolom(men): %(columns)s") % {"file": path.name, "columns": ", ".join(missing)}
            )
        return [(n, {k: (v or "").strip() for k, v in row.items() if k}) for n, row in enumerate(reader, start=2)]


def _fail(path: Path, errors: dict[str, list[str]]) -> None:
    if errors:
        where, messages = next(iter(errors.items()))
        raise PortalError(
            _("%(file)s bevat %(count)s fout(en); de eerste: %(where)s: %(what)s")
            % {"file": path.name, "count": len(errors), "where": where, "what": messages[0]},
            errors=errors,
        )


@transaction.atomic
def cycle_load(
    *,
    police_unit: PoliceUnit,
    name: str,
    period_start: int,
    period_end: int,
    themes_csv: Path = THEMES_CSV,
    timeline_csv: Path = TIMELINE_CSV,
    timeline_nl_csv: Path = TIMELINE_NL_CSV,
) -> ImvCycle:
    """Create the IMV with its themes, sub-themes and timeline; an existing one is left as it is."""
    cycle, created = ImvCycle.objects.get_or_create(
        police_unit=police_unit, period_start=period_start, defaults={"name": name, "period_end": period_end}
    )
    if not created:
        return cycle
    errors: dict[str, list[str]] = {}
    parents: dict[str, Theme] = {}
    position = 0
    for number, row in _rows(themes_csv, ("theme_number", "theme", "subtheme", "status", "note")):
        status = STATUS_WORDS.get(row["status"])
        if status is None:
            errors[f"rij {number}, kolom status"] = [_("onbekende status “%(s)s”") % {"s": row["status"]}]
            continue
        if not row["theme"]:
            errors[f"rij {number}, kolom theme"] = [_("mag niet leeg zijn")]
            continue
        theme_name = SPELLING.get(row["theme"], row["theme"])
        if row["theme_number"] and not row["theme_number"].isdigit():
            errors[f"rij {number}, kolom theme_number"] = [_("is geen getal")]
            continue
        parent = parents.get(theme_name)
        if parent is None:
            position += 1
            parent = Theme.objects.create(
                cycle=cycle,
                name=theme_name,
                number=int(row["theme_number"]) if row["theme_number"] else None,
                status=status,
                note="" if row["subtheme"] else row["note"],
                position=position,
            )
            parents[theme_name] = parent
        if row["subtheme"]:
            position += 1
            Theme.objects.create(
                cycle=cycle, parent=parent, name=row["subtheme"], status=status, note=row["note"], position=position
            )
    _fail(themes_csv, errors)
    reference = list(_rows(timeline_csv, ("date", "event", "source")))
    for number, row in _rows(timeline_nl_csv, ("date", "gebeurtenis", "bron")):
        try:
            day = date.fromisoformat(row["date"])
        except ValueError:
            errors[f"rij {number}, kolom date"] = [_("“%(d)s” is geen datum (JJJJ-MM-DD)") % {"d": row["date"]}]
            continue
        if len(reference) < number - 1 or reference[number - 2][1]["date"] != row["date"]:
            errors[f"rij {number}, kolom date"] = [
                _("komt niet overeen met rij %(n)s van %(file)s") % {"n": number, "file": timeline_csv.name}
            ]
            continue
        TimelineEvent.objects.create(cycle=cycle, date=day, description=row["gebeurtenis"], source=row["bron"])
    if not errors and cycle.timeline.count() != len(reference):
        errors[f"rij {len(reference) + 1}"] = [
            _("%(file)s heeft %(n)s rijen, de Nederlandse tijdlijn minder")
            % {"file": timeline_csv.name, "n": len(reference)}
        ]
    _fail(timeline_nl_csv, errors)
    return cycle


@transaction.atomic
def woo_categories_load(*, path: Path = WOO_CSV) -> int:
    """Create or update the Woo information categories; returns how many there are."""
    errors: dict[str, list[str]] = {}
    for number, row in _rows(path, ("order", "tooi_uri", "label", "woo_article")):
        if not row["order"].isdigit():
            errors[f"rij {number}, kolom order"] = [_("is geen getal")]
            continue
        WooCategory.objects.update_or_create(
            tooi_uri=row["tooi_uri"],
            defaults={"label": row["label"], "order": int(row["order"]), "article": row["woo_article"]},
        )
    _fail(path, errors)
    return WooCategory.objects.count()
