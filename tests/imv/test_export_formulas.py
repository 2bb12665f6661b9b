"""No cell of any CSV or XLSX export starts a formula, on any sheet, whatever a user typed.

Every text that reaches an export and that someone can type (the IMV's name, a draft version's
label, theme names, district and municipality names) is set to a formula; then every export of
the board and the dashboard is opened: no XLSX cell is a formula, no cell or CSV field starts
with a formula character unless quoted with an apostrophe.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from imv.models import DraftVersion, ImvCycle, Theme
from tenants.models import District, Municipality
from tests.imv.board_helpers import board_url

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("https://evil.example","klik")', "+SUM(1,2)", "-2+3", "@cmd", "=1+1"]
STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def poisoned(consultation, heemstede, cycle, heemstede_priorities):
    ImvCycle.objects.filter(pk=cycle.pk).update(name=FORMULAS[0])
    DraftVersion.objects.filter(pk=consultation.draft_version_id).update(label=FORMULAS[4])
    for theme, formula in zip(Theme.objects.filter(cycle=cycle, parent__isnull=True), FORMULAS, strict=False):
        Theme.objects.filter(pk=theme.pk).update(name=f"{formula} {theme.pk}")
    District.objects.filter(pk=heemstede.district_id).update(name=FORMULAS[2])
    Municipality.objects.filter(pk=heemstede.pk).update(name=FORMULAS[3])
    return consultation


def _downloads(client, consultation) -> dict[str, bytes]:
    cycle_param = {"imv": str(consultation.cycle.uuid)}
    files = {
        "board.csv": client.get(board_url(consultation, "imv:export_csv")),
        "board.xlsx": client.get(board_url(consultation, "imv:export_xlsx")),
        "coverage.csv": client.get(reverse("imv:dashboard_coverage_csv"), cycle_param),
        "heatmap.csv": client.get(reverse("imv:dashboard_heatmap_csv"), cycle_param),
        "dashboard.xlsx": client.get(reverse("imv:dashboard_xlsx"), cycle_param),
    }
    assert {name: r.status_code for name, r in files.items()} == dict.fromkeys(files, 200)
    return {name: r.content for name, r in files.items()}


def test_no_export_cell_starts_a_formula(client_for, adviser, poisoned):
    files = _downloads(client_for(adviser), poisoned)
    seen_poison = 0
    for name, content in files.items():
        if name.endswith(".csv"):
            for line in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"):
                for field in line:
                    assert not field.startswith(STARTS), (name, field)
                    seen_poison += any(f in field for f in FORMULAS)
            continue
        book = load_workbook(io.BytesIO(content))
        for sheet in book.worksheets:
            for cells in sheet.iter_rows():
                for cell in cells:
                    assert cell.data_type != "f", (name, sheet.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        assert not cell.value.startswith(STARTS), (name, sheet.title, cell.coordinate, cell.value)
                        seen_poison += any(f in cell.value for f in FORMULAS)
    # The control: the poisoned texts did reach the files (quoted), so the checks above looked at them.
    assert seen_poison >= len(files)
