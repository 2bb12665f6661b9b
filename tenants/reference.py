"""Reading the municipality reference CSVs: every bad row and column is named, nothing half-read."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from portal.exceptions import PortalError

REFERENCE_DIR = Path(__file__).resolve().parent / "reference_data"
NOORD_HOLLAND_CSV = REFERENCE_DIR / "gemeenten_2023_eenheid_noord_holland.csv"
NATIONAL_CSV = REFERENCE_DIR / "gemeenten_2023_politie_eenheden_nl.csv"
REQUIRED_COLUMNS = ("cbs_code", "name", "police_unit", "district", "basisteam")
CBS_CODE = re.compile(r"^GM\d{4}$")


@dataclass(frozen=True)
class MunicipalityRow:
    """One municipality as the reference data describes it."""

    cbs_code: str
    name: str
    police_unit: str
    district: str
    basisteam: str


def read_municipalities(path: Path) -> list[MunicipalityRow]:
    """Parse and validate a municipality CSV; raise PortalError naming every bad row and column."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise PortalError(_("Kan %(path)s niet lezen: %(error)s") % {"path": path, "error": exc}) from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise PortalError(
                _("%(path)s mist de kolom(men): %(columns)s") % {"path": path.name, "columns": ", ".join(missing)},
                errors={"kolommen": [", ".join(missing)]},
            )
        rows: list[MunicipalityRow] = []
        errors: dict[str, list[str]] = {}
        first_row_of: dict[str, int] = {}
        # Row numbers count the header as row 1, as a spreadsheet shows them.
        for number, raw in enumerate(reader, start=2):
            values = {c: (raw.get(c) or "").strip() for c in REQUIRED_COLUMNS}
            row_errors: dict[str, str] = {}
            if not CBS_CODE.match(values["cbs_code"]):
                row_errors["cbs_code"] = _("“%(value)s” is geen CBS-code (GM en vier cijfers)") % {
                    "value": values["cbs_code"]
                }
            elif values["cbs_code"] in first_row_of:
                row_errors["cbs_code"] = _("CBS-code %(code)s staat al in rij %(row)s") % {
                    "code": values["cbs_code"],
                    "row": first_row_of[values["cbs_code"]],
                }
            else:
                first_row_of[values["cbs_code"]] = number
            for column in ("name", "police_unit"):
                if not values[column]:
                    row_errors[column] = _("mag niet leeg zijn")
            for column, message in row_errors.items():
                errors.setdefault(_("rij %(row)s, kolom %(column)s") % {"row": number, "column": column}, []).append(
                    message
                )
            if not row_errors:
                rows.append(MunicipalityRow(**values))
    if errors:
        first = next(iter(errors.items()))
        raise PortalError(
            _("%(path)s bevat %(count)s fout(en); de eerste: %(where)s: %(what)s")
            % {"path": path.name, "count": len(errors), "where": first[0], "what": first[1][0]},
            errors=errors,
        )
    if not rows:
        raise PortalError(_("%(path)s bevat geen gemeenten") % {"path": path.name})
    return rows
