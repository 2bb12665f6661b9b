"""The RBOP dashboard under /regio/dashboard/: consultation progress, alignment of local priorities
per IMV theme, the heatmap and the region map, with CSV, XLSX and PDF downloads.

Read-only. Readers are the adviser and the RBOP members of the IMV's police unit
(tenants.access.can_compare_unit): the dashboard shows every municipality's priorities side by
side, so municipal staff get 403. The only inputs are GET filters: ``imv`` (the cycle),
``district`` and ``thema`` (the theme the map colours by); an unknown value falls back to the
default rather than showing an empty page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from imv.analytics import COVERAGE_FORMULA
from imv.clock import db_now
from imv.models import ImvCycle, Theme
from imv.selectors.dashboard import MAP_CREDIT, MAP_LEVELS, THEME_RULE, Figures, dashboard_figures, region_map
from imv.views._common import demo_shift, download
from tenants.access import can_compare_unit, regional_unit_ids, request_memberships
from tenants.models import District


def _forbidden() -> PermissionDenied:
    return PermissionDenied(
        _("Het dashboard is alleen te zien voor de adviseur regioburgemeester en de leden van het RBOP.")
    )


@dataclass(frozen=True)
class Selection:
    """What the GET filters chose, each checked against what the viewer may read."""

    cycles: list[ImvCycle]
    cycle: ImvCycle
    districts: list[str]
    district: str

    @property
    def query(self) -> dict[str, str]:
        query = {"imv": str(self.cycle.uuid)}
        if self.district:
            query["district"] = self.district
        return query


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def _cycles(request: HttpRequest) -> list[ImvCycle]:
    """The IMVs of the units where the viewer holds a regional role, newest first; 403 for anyone else."""
    unit_ids = regional_unit_ids(request_memberships(request))
    if not unit_ids:
        raise _forbidden()
    return list(
        ImvCycle.objects.filter(police_unit_id__in=unit_ids)
        .select_related("police_unit")
        .order_by("-period_start", "police_unit__name")
    )


def _selection(request: HttpRequest) -> Selection | None:
    cycles = _cycles(request)
    if not cycles:
        return None
    wanted = _uuid(request.GET.get("imv", ""))
    cycle = next((c for c in cycles if c.uuid == wanted), cycles[0])
    # Never true here (cycles come from the viewer's units); kept so the rule is visibly the one
    # every read of the unit's alignment uses.
    if not can_compare_unit(request_memberships(request), cycle.police_unit_id):
        raise _forbidden()
    districts = list(District.objects.filter(police_unit_id=cycle.police_unit_id).values_list("name", flat=True))
    district = request.GET.get("district", "")
    return Selection(cycles, cycle, districts, district if district in districts else "")


def _map_theme(request: HttpRequest, figures: Figures) -> Theme | None:
    """The theme of ?thema=, else the least covered adopted theme (what the RBOP asks about first)."""
    wanted = _uuid(request.GET.get("thema", ""))
    chosen = next((t for t in figures.themes if t.uuid == wanted), None)
    if chosen is not None:
        return chosen
    least = figures.least_covered
    if least:
        return least[0].theme
    return figures.themes[0] if figures.themes else None


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    selection = _selection(request)
    if selection is None:
        return render(request, "imv/dashboard/dashboard.html", {"selection": None})
    figures = dashboard_figures(cycle=selection.cycle, district=selection.district, now=db_now())
    theme = _map_theme(request, figures)
    region = region_map(figures, theme) if theme is not None else None
    query = selection.query
    if theme is not None:
        query = {**query, "thema": str(theme.uuid)}
    progress = figures.progress
    context: dict[str, Any] = {
        "selection": selection,
        "figures": figures,
        "region": region,
        "map_levels": MAP_LEVELS,
        "map_credit": MAP_CREDIT,
        "theme_rule": _(THEME_RULE),
        "coverage_formula": _(COVERAGE_FORMULA),
        "max_heat": max((max(row.counts, default=0) for row in figures.rows), default=0),
        "query": "?" + urlencode(query),
        "board_query": "?" + urlencode({"district": selection.district}) if selection.district else "",
        "demo": demo_shift(progress.consultation) if progress else None,
    }
    return render(request, "imv/dashboard/dashboard.html", context)


# --- Downloads ------------------------------------------------------------------------------
def _figures(request: HttpRequest) -> Figures:
    selection = _selection(request)
    if selection is None:
        raise Http404(_("Voor uw politie-eenheid is nog geen IMV vastgelegd."))
    return dashboard_figures(cycle=selection.cycle, district=selection.district, now=db_now())


@require_GET
def coverage_csv(request: HttpRequest) -> HttpResponse:
    """Coverage per theme (least covered first) as CSV for Dutch Excel."""
    from imv.exports import dashboard as dashboard_exports  # openpyxl and reportlab load only for a file

    figures = _figures(request)
    return download(
        dashboard_exports.coverage_csv(figures),
        "text/csv; charset=utf-8",
        dashboard_exports.filename(figures, "dekking-per-thema", "csv"),
    )


@require_GET
def heatmap_csv(request: HttpRequest) -> HttpResponse:
    """The heatmap (municipalities × themes) as CSV for Dutch Excel."""
    from imv.exports import dashboard as dashboard_exports  # openpyxl and reportlab load only for a file

    figures = _figures(request)
    return download(
        dashboard_exports.heatmap_csv(figures),
        "text/csv; charset=utf-8",
        dashboard_exports.filename(figures, "heatmap", "csv"),
    )


@require_GET
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    from imv.exports import dashboard as dashboard_exports  # openpyxl and reportlab load only for a file

    figures = _figures(request)
    return download(
        dashboard_exports.dashboard_xlsx(figures),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        dashboard_exports.filename(figures, "dashboard", "xlsx"),
    )


@require_GET
def dashboard_pdf(request: HttpRequest) -> HttpResponse:
    """The board pack of the dashboard: progress, coverage per theme, the heatmap and a map per theme."""
    from imv.exports import dashboard as dashboard_exports  # openpyxl and reportlab load only for a file

    figures = _figures(request)
    return download(
        dashboard_exports.dashboard_pdf(figures),
        "application/pdf",
        dashboard_exports.filename(figures, "bestuurspakket-dashboard", "pdf"),
    )
