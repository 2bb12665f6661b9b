"""Importing priorities, indicators and actions from CSV or XLSX into a municipality's plan.

First a preview: every row is checked and every error names its row and column (rows count
from 2, as a spreadsheet shows them under the header). Nothing is written unless every row
is valid; then all rows are written in one transaction.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from imv.models import Theme
from municipalities.models import Action, ActionStatus, ImplementationPlan, Kpi, SafetyPlan
from municipalities.reference import kbv_themes
from municipalities.services.actions import action_check, action_save
from municipalities.services.kpis import kpi_check, kpi_save
from municipalities.services.plans import implementation_plan_save
from municipalities.services.priorities import priority_save
from portal.exceptions import PortalError
from tenants.models import Municipality, User

MAX_UNPACKED_BYTES = 50 * 2**20  # an .xlsx of 5 MB with a few thousand rows unpacks to far less
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024

COLUMNS: dict[str, tuple[str, ...]] = {
    "prioriteiten": ("titel", "omschrijving", "thema", "imv_themas"),
    "indicatoren": (
        "prioriteit",
        "indicator",
        "eenheid",
        "nulmeting",
        "jaar_nulmeting",
        "streefwaarde",
        "streefjaar",
        "verhaal",
    ),
    "acties": ("jaar", "prioriteit", "actie", "trekker", "deadline", "kosten", "status"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "prioriteiten": ("titel", "thema"),
    "indicatoren": ("prioriteit", "indicator", "eenheid"),
    "acties": ("jaar", "actie", "trekker"),
}


@dataclass
class ImportPreview:
    """What an import would write: the parsed rows, and the errors per "rij N, kolom X"."""

    kind: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.setdefault(_("rij %(row)s, kolom %(column)s") % {"row": row, "column": column}, []).append(message)


def _unpacked_size_check(content: bytes) -> None:
    """An .xlsx is a zip: refuse one that would unpack past MAX_UNPACKED_BYTES (a "zip bomb") before
    anything is unpacked. Its XML is read with defusedxml, which openpyxl uses when it is installed,
    so entity tricks ("billion laughs", external entities) are refused as unreadable."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return  # not a zip at all: openpyxl says it is no readable workbook
    if unpacked > MAX_UNPACKED_BYTES:
        raise PortalError(
            _(
                "Het Excel-bestand pakt uit tot meer dan %(mb)s MB; dat is geen gewoon werkblad. "
                "Sla het opnieuw op als gewone .xlsx."
            )
            % {"mb": MAX_UNPACKED_BYTES // 2**20},
            errors={"bestand": [_("te groot uitgepakt")]},
        )


def _read_table(name: str, content: bytes) -> list[dict[str, str]]:
    if len(content) > MAX_BYTES:
        raise PortalError(_("Het bestand is groter dan 5 MB."), errors={"bestand": [_("te groot")]})
    if name.lower().endswith(".xlsx"):
        import openpyxl

        _unpacked_size_check(content)
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise PortalError(
                _("Dit is geen leesbaar Excel-bestand (.xlsx)."), errors={"bestand": [_("onleesbaar")]}
            ) from exc
        sheet = book.worksheets[0]
        values = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    elif name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PortalError(
                _("Het CSV-bestand is niet in UTF-8 opgeslagen."), errors={"bestand": [_("codering")]}
            ) from exc
        # Dutch spreadsheets save with ";"; take whichever separator the header line uses most.
        first_line = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first_line.count)
        values = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    else:
        raise PortalError(_("Kies een .csv- of .xlsx-bestand."), errors={"bestand": [_("onbekend type")]})
    if not values:
        raise PortalError(_("Het bestand is leeg."), errors={"bestand": [_("leeg")]})
    header = [h.lower().replace(" ", "_") for h in values[0]]
    rows = [dict(zip(header, row, strict=False)) for row in values[1:] if any(row)]
    if len(rows) > MAX_ROWS:
        raise PortalError(_("Meer dan %(n)s rijen: splits het bestand.") % {"n": MAX_ROWS})
    return rows


def _decimal(preview: ImportPreview, number: int, column: str, value: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation:
        preview.error(number, column, _("“%(v)s” is geen getal") % {"v": value})
        return None


def _year(preview: ImportPreview, number: int, column: str, value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1990 <= int(value) <= 2100:
        preview.error(number, column, _("“%(v)s” is geen jaartal") % {"v": value})
        return None
    return int(value)


def import_preview(
    *, municipality: Municipality, plan: SafetyPlan, kind: str, name: str, content: bytes
) -> ImportPreview:
    """Parse and check a file; the preview lists every row's errors. Writes nothing."""
    if kind not in COLUMNS:
        raise PortalError(_("Onbekend soort import."), errors={"soort": [_("ongeldig")]})
    preview = ImportPreview(kind=kind)
    rows = _read_table(name, content)
    if rows:
        missing = [c for c in REQUIRED[kind] if c not in rows[0]]
        if missing:
            raise PortalError(
                _("De kolom(men) %(c)s ontbreken. Verwacht: %(all)s.")
                % {"c": ", ".join(missing), "all": ", ".join(COLUMNS[kind])},
                errors={"kolommen": missing},
            )
    themes = {t.name.lower(): t.uuid for t in Theme.objects.filter(cycle__police_unit_id=municipality.police_unit_id)}
    priorities = {p.title.lower(): p for p in plan.priorities.all()}
    new_titles: set[str] = set()
    for number, raw in enumerate(rows, start=2):
        for column in REQUIRED[kind]:
            if not raw.get(column):
                preview.error(number, column, _("mag niet leeg zijn"))
        parsed: dict[str, Any] = {"rij": number}
        if kind == "prioriteiten":
            theme = kbv_themes().get(raw.get("thema", ""))
            if raw.get("thema") and theme is None:
                preview.error(
                    number,
                    "thema",
                    _("“%(v)s” is geen thema van het Kernbeleid Veiligheid (bijv. 1.3)") % {"v": raw["thema"]},
                )
            linked = []
            for name_ in filter(None, (n.strip() for n in raw.get("imv_themas", "").split(";"))):
                if name_.lower() not in themes:
                    preview.error(number, "imv_themas", _("“%(v)s” is geen IMV-thema") % {"v": name_})
                else:
                    linked.append(themes[name_.lower()])
            title = raw.get("titel", "")
            if title.lower() in priorities or title.lower() in new_titles:
                preview.error(number, "titel", _("prioriteit “%(v)s” bestaat al") % {"v": title})
            new_titles.add(title.lower())
            parsed.update(
                title=title,
                description=raw.get("omschrijving", ""),
                field_code=theme.field_code if theme else "",
                theme_code=raw.get("thema", ""),
                imv_themes=linked,
            )
        elif kind == "indicatoren":
            priority = priorities.get(raw.get("prioriteit", "").lower())
            if raw.get("prioriteit") and priority is None:
                preview.error(number, "prioriteit", _("geen prioriteit “%(v)s” in dit plan") % {"v": raw["prioriteit"]})
            parsed.update(
                priority=priority,
                name=raw.get("indicator", ""),
                unit=raw.get("eenheid", ""),
                baseline_value=_decimal(preview, number, "nulmeting", raw.get("nulmeting", "")),
                baseline_year=_year(preview, number, "jaar_nulmeting", raw.get("jaar_nulmeting", "")),
                target_value=_decimal(preview, number, "streefwaarde", raw.get("streefwaarde", "")),
                target_year=_year(preview, number, "streefjaar", raw.get("streefjaar", "")),
                story=raw.get("verhaal", ""),
            )
        else:
            priority = priorities.get(raw.get("prioriteit", "").lower()) if raw.get("prioriteit") else None
            if raw.get("prioriteit") and priority is None:
                preview.error(number, "prioriteit", _("geen prioriteit “%(v)s” in dit plan") % {"v": raw["prioriteit"]})
            year = _year(preview, number, "jaar", raw.get("jaar", ""))
            if year is not None and not plan.period_start <= year <= plan.period_end:
                preview.error(number, "jaar", _("%(y)s valt buiten de planperiode") % {"y": year})
            deadline = None
            if raw.get("deadline"):
                try:
                    deadline = date.fromisoformat(raw["deadline"][:10])
                except ValueError:
                    preview.error(number, "deadline", _("“%(v)s” is geen datum (JJJJ-MM-DD)") % {"v": raw["deadline"]})
            status = raw.get("status") or ActionStatus.PLANNED
            if status not in ActionStatus.values:
                preview.error(number, "status", _("kies uit: %(s)s") % {"s": ", ".join(ActionStatus.values)})
            parsed.update(
                year=year,
                priority=priority,
                title=raw.get("actie", ""),
                owner=raw.get("trekker", ""),
                deadline=deadline,
                cost=_decimal(preview, number, "kosten", raw.get("kosten", "")),
                status=status,
            )
        if kind != "prioriteiten" and not any(k.startswith(f"rij {number},") for k in preview.errors):
            _check_like_the_forms(preview, number, kind, parsed, plan)
        preview.rows.append(parsed)
    if not rows:
        preview.errors[_("bestand")] = [_("Het bestand bevat geen rijen onder de kopregel.")]
    return preview


# Column of the file for each model field the services name in their errors.
FIELD_COLUMNS = {
    "name": "indicator",
    "unit": "eenheid",
    "baseline_value": "nulmeting",
    "baseline_year": "jaar_nulmeting",
    "target_value": "streefwaarde",
    "target_year": "streefjaar",
    "story": "verhaal",
    "title": "actie",
    "owner": "trekker",
    "deadline": "deadline",
    "cost": "kosten",
    "status": "status",
    "priority": "prioriteit",
}


def _check_like_the_forms(
    preview: ImportPreview, number: int, kind: str, row: dict[str, Any], plan: SafetyPlan
) -> None:
    """Apply the rules of kpi_save / action_save to an unsaved row, so the preview shows what they would refuse."""
    try:
        if kind == "indicatoren":
            kpi_check(
                Kpi(
                    priority=row["priority"],
                    name=row["name"],
                    unit=row["unit"],
                    baseline_value=row["baseline_value"],
                    baseline_year=row["baseline_year"],
                    target_value=row["target_value"],
                    target_year=row["target_year"],
                    story=row["story"],
                ),
                None,
            )
        else:
            action_check(
                Action(
                    priority=row["priority"],
                    title=row["title"],
                    owner=row["owner"],
                    deadline=row["deadline"],
                    cost=row["cost"],
                    status=row["status"],
                ),
                ImplementationPlan(plan=plan, year=row["year"]),
            )
    except PortalError as exc:
        for field_name, messages in exc.errors.items():
            for message in messages:
                preview.error(number, FIELD_COLUMNS.get(field_name, field_name), message)


@transaction.atomic
def import_apply(
    *, municipality: Municipality, plan: SafetyPlan, preview: ImportPreview, actor: User | None = None
) -> int:
    """Write every row of a valid preview in one transaction, through the same services as the forms
    (audited as theirs, with ``actor``); refuse the whole file if any row is refused."""
    if not preview.ok:
        raise PortalError(_("Er is niets geïmporteerd: los eerst alle fouten op."), errors=preview.errors)
    for row in preview.rows:
        try:
            if preview.kind == "prioriteiten":
                priority_save(
                    municipality=municipality,
                    plan=plan,
                    title=row["title"],
                    description=row["description"],
                    field_code=row["field_code"],
                    theme_code=row["theme_code"],
                    imv_themes=row["imv_themes"],
                )
            elif preview.kind == "indicatoren":
                kpi_save(
                    municipality=municipality,
                    priority=row["priority"],
                    name=row["name"],
                    unit=row["unit"],
                    baseline_value=row["baseline_value"],
                    baseline_year=row["baseline_year"],
                    target_value=row["target_value"],
                    target_year=row["target_year"],
                    story=row["story"],
                    actor=actor,
                )
            else:
                yearly = plan.implementation_plans.filter(year=row["year"]).first() or implementation_plan_save(
                    municipality=municipality, plan=plan, year=row["year"], actor=actor
                )
                action_save(
                    municipality=municipality,
                    actor=actor,
                    implementation_plan=yearly,
                    priority=row["priority"],
                    title=row["title"],
                    owner=row["owner"],
                    deadline=row["deadline"],
                    cost=row["cost"],
                    status=row["status"],
                )
        except PortalError as exc:
            raise PortalError(
                _("Er is niets geïmporteerd: rij %(row)s is geweigerd: %(why)s")
                % {"row": row["rij"], "why": exc.message},
                errors={f"rij {row['rij']}, {k}": v for k, v in exc.errors.items()},
            ) from exc
    return len(preview.rows)
