"""Import of priorities, indicators and actions from CSV or XLSX: check, preview every row, confirm.

Nothing is written until the user confirms a preview without errors; the confirmation names the
file it confirms by its SHA-256, and the file is checked again before anything is written.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from imv.models import Theme
from municipalities.forms import IMPORT_KINDS, ImportConfirmForm, ImportForm
from municipalities.models import Priority
from municipalities.services import COLUMNS, ImportPreview, import_apply, import_preview
from municipalities.templatetags.plan_format import measure
from municipalities.views.plans.common import PlanPage, form_data, form_files, plan_page
from portal.exceptions import PortalError
from tenants.access import request_user

# The uploaded file waits in the session between preview and confirmation: small enough for a
# session row, and the confirmation must name the same content (its SHA-256) to write anything.
IMPORT_SESSION_BYTES = 1024 * 1024

# The parsed value behind each column of the file (municipalities.services), to show in the preview.
PARSED_KEYS: dict[str, dict[str, str]] = {
    "prioriteiten": {
        "titel": "title",
        "omschrijving": "description",
        "thema": "theme_code",
        "imv_themas": "imv_themes",
    },
    "indicatoren": {
        "prioriteit": "priority",
        "indicator": "name",
        "eenheid": "unit",
        "nulmeting": "baseline_value",
        "jaar_nulmeting": "baseline_year",
        "streefwaarde": "target_value",
        "streefjaar": "target_year",
        "verhaal": "story",
    },
    "acties": {
        "jaar": "year",
        "prioriteit": "priority",
        "actie": "title",
        "trekker": "owner",
        "deadline": "deadline",
        "kosten": "cost",
        "status": "status",
    },
}
IMPORT_ANCHORS = {"prioriteiten": "prioriteiten", "indicatoren": "prioriteiten", "acties": "uitvoering"}
# An example row per kind for the template files; the priority names those of Heemstede's plan.
TEMPLATE_ROWS: dict[str, list[list[str]]] = {
    "prioriteiten": [
        ["Woninginbraak", "Minder inbraken door preventie en buurtpreventie", "1.3", ""],
        ["Digitale weerbaarheid", "Inwoners en ondernemers weerbaar tegen online criminaliteit", "X.1", "Cybercrime"],
    ],
    "indicatoren": [
        ["Woninginbraak", "Aantal woninginbraken", "aantal per jaar", "48", "2023", "40", "2027", ""],
    ],
    "acties": [
        [
            "2024",
            "Woninginbraak",
            "Voorlichtingsavond inbraakpreventie",
            "OOV-adviseur",
            "2024-10-31",
            "1500",
            "gepland",
        ],
    ],
}


def _session_key(page: PlanPage) -> str:
    return f"plan-import:{page.municipality.schema_name}:{page.plan.uuid}"


def _display(value: Any, theme_names: dict[Any, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, Priority):
        return value.title
    if isinstance(value, list):
        return "; ".join(theme_names.get(v, str(v)) for v in value)
    if isinstance(value, Decimal):
        return measure(value)
    if isinstance(value, date):
        return date_format(value, "j F Y")
    return str(value)


@dataclass(frozen=True)
class PreviewRow:
    number: int
    cells: list[tuple[str, bool]]  # (value shown, column has an error)
    errors: list[str]  # "rij N, kolom X: message"


def _preview_rows(preview: ImportPreview) -> tuple[list[PreviewRow], list[str]]:
    """Every row with the errors of its columns, and the errors that belong to no row (the file's)."""
    keys = PARSED_KEYS[preview.kind]
    linked = {u for row in preview.rows for u in row.get("imv_themes", [])}
    theme_names = dict(Theme.objects.filter(uuid__in=linked).values_list("uuid", "name"))
    used: set[str] = set()
    rows = []
    for row in preview.rows:
        cells: list[tuple[str, bool]] = []
        errors: list[str] = []
        for column in COLUMNS[preview.kind]:
            where = _("rij %(row)s, kolom %(column)s") % {"row": row["rij"], "column": column}
            found = preview.errors.get(where, [])
            if found:
                used.add(where)
                errors.extend(f"{where}: {message}" for message in found)
            cells.append((_display(row.get(keys[column]), theme_names), bool(found)))
        rows.append(PreviewRow(number=row["rij"], cells=cells, errors=errors))
    others = [f"{where}: {m}" for where, msgs in preview.errors.items() if where not in used for m in msgs]
    return rows, others


def _import_page(
    request: HttpRequest,
    page: PlanPage,
    form: ImportForm,
    *,
    preview: ImportPreview | None = None,
    digest: str = "",
    alert: str = "",
    status: int = 200,
) -> HttpResponse:
    rows, file_errors = _preview_rows(preview) if preview else ([], [])
    context = {
        "municipality": page.municipality,
        "plan": page.plan,
        "form": form,
        "kinds": [(kind, label, COLUMNS[kind]) for kind, label in IMPORT_KINDS.items()],
        "preview": preview,
        "preview_label": IMPORT_KINDS.get(preview.kind, "") if preview else "",
        "columns": COLUMNS[preview.kind] if preview else (),
        "rows": rows,
        "bad_rows": sum(1 for r in rows if r.errors),
        "file_errors": file_errors,
        "alert": alert,
        "confirm": ImportConfirmForm(initial={"digest": digest}) if preview and preview.ok and digest else None,
    }
    return render(request, "municipalities/plan/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, gemeente: str, plan_uuid: UUID) -> HttpResponse:
    """Upload and check (POST): the preview lists every row with its errors. Nothing is written here."""
    page = plan_page(request, plan_uuid, write=True)
    form = ImportForm(form_data(request), form_files(request), initial={"soort": request.GET.get("soort", "")})
    if request.method != "POST":
        return _import_page(request, page, form)
    if not form.is_valid():
        return _import_page(request, page, form, status=400)
    upload = form.cleaned_data["bestand"]
    kind = form.cleaned_data["soort"]
    content = upload.read(IMPORT_SESSION_BYTES + 1)
    request.session.pop(_session_key(page), None)
    if getattr(upload, "too_large", False) or len(content) > IMPORT_SESSION_BYTES:  # see portal.uploads
        form.add_error("bestand", _("Het bestand is groter dan 1 MB. Splits het in kleinere bestanden."))
        return _import_page(request, page, form, status=400)
    try:
        preview = import_preview(
            municipality=page.municipality, plan=page.plan, kind=kind, name=upload.name or "", content=content
        )
    except PortalError as exc:
        form.add_error("bestand", exc.message)
        return _import_page(request, page, form, status=exc.status)
    digest = ""
    if preview.ok:
        digest = hashlib.sha256(content).hexdigest()
        request.session[_session_key(page)] = {
            "kind": kind,
            "name": upload.name or "",
            "digest": digest,
            "content": base64.b64encode(content).decode("ascii"),
        }
    return _import_page(request, page, ImportForm(initial={"soort": kind}), preview=preview, digest=digest)


@require_POST
def plan_import_confirm(request: HttpRequest, gemeente: str, plan_uuid: UUID) -> HttpResponse:
    """Write every row of the file that was previewed, or none: the file is checked again first,
    since the plan may have changed since the preview."""
    page = plan_page(request, plan_uuid, write=True)
    confirm = ImportConfirmForm(request.POST)
    stored = request.session.get(_session_key(page))
    if not confirm.is_valid() or not stored or stored.get("digest") != confirm.cleaned_data["digest"]:
        messages.error(
            request,
            _("Er is niets geïmporteerd: de controle is verlopen of hoort bij een ander bestand. Lees het opnieuw in."),
        )
        return HttpResponseRedirect(reverse("plan_import", kwargs={"gemeente": gemeente, "plan_uuid": plan_uuid}))
    request.session.pop(_session_key(page), None)
    kind = stored["kind"]
    form = ImportForm(initial={"soort": kind})
    content = base64.b64decode(stored["content"])
    preview = import_preview(
        municipality=page.municipality, plan=page.plan, kind=kind, name=stored["name"], content=content
    )
    try:
        count = import_apply(
            municipality=page.municipality, plan=page.plan, preview=preview, actor=request_user(request)
        )
    except PortalError:
        alert = _("Er is niets geïmporteerd: het plan is veranderd sinds de controle. Zie de fouten hieronder.")
        return _import_page(request, page, form, preview=preview, alert=alert, status=409)
    messages.success(
        request,
        _("%(count)s rij(en) geïmporteerd: %(what)s.") % {"count": count, "what": str(IMPORT_KINDS[kind]).lower()},
    )
    return HttpResponseRedirect(page.url(IMPORT_ANCHORS[kind]))


@require_GET
def plan_import_template(request: HttpRequest, gemeente: str, plan_uuid: UUID, kind: str) -> HttpResponse:
    """An example file per kind: the columns the import expects and a row or two, separated by ";"
    and with a byte order mark, so that Excel opens it in Dutch settings as it is meant."""
    plan_page(request, plan_uuid, write=True)
    if kind not in COLUMNS:
        raise Http404(_("Er is geen voorbeeldbestand voor “%(kind)s”.") % {"kind": kind})
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS[kind])
    writer.writerows(TEMPLATE_ROWS[kind])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="voorbeeld-{kind}.csv"'
    return response
