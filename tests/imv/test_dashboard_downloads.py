"""The RBOP dashboard's downloads (coverage and heatmap CSV, XLSX, the board pack PDF): the same
figures as imv.analytics, following the district filter."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from imv.analytics import alignment_by_theme, heatmap
from imv.exports.dashboard import COVERAGE_HEADERS
from imv.selectors.dashboard import MAP_CREDIT
from tests.imv.dashboard_helpers import NOORD, get

pytestmark = pytest.mark.django_db


# --- Downloads ----------------------------------------------------------------------------
def rows_of(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_coverage_csv_has_a_row_per_theme_least_covered_first(client_for, rbop, cycle, heemstede_priorities):
    response = get(client_for(rbop), "imv:dashboard_coverage_csv")

    rows = rows_of(response)
    coverage, considered = alignment_by_theme(cycle=cycle)
    assert rows[0] == COVERAGE_HEADERS
    assert [(r[0], int(r[2]), int(r[3])) for r in rows[1:]] == [(c.theme.name, c.count, considered) for c in coverage]
    assert [r[5] for r in rows[1:]] == [", ".join(m.name for m in c.municipalities) for c in coverage]
    assert 'filename="dekking-per-thema-imv-2024-2027-' in response["Content-Disposition"]


def test_heatmap_csv_and_xlsx_hold_the_heatmap(client_for, rbop, cycle, heemstede_priorities):
    client = client_for(rbop)
    table = heatmap(cycle=cycle)
    themes = list(table.columns)

    rows = rows_of(get(client, "imv:dashboard_heatmap_csv"))
    assert rows[0][:3] == ["Gemeente", "CBS-code", "District"]
    assert rows[0][3 : 3 + len(themes)] == themes
    assert {r[0]: [int(v) for v in r[3 : 3 + len(themes)]] for r in rows[1:]} == {
        name: [int(v) for v in values] for name, values in table.iterrows()
    }

    response = get(client, "imv:dashboard_xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Dekking per thema", "Heatmap", "Toelichting"]
    sheet = list(book["Heatmap"].values)
    assert list(sheet[0][3 : 3 + len(themes)]) == themes
    assert {r[0]: list(r[3 : 3 + len(themes)]) for r in sheet[1:]} == {
        name: [int(v) for v in values] for name, values in table.iterrows()
    }
    coverage, _ = alignment_by_theme(cycle=cycle)
    assert [(r[0], r[2]) for r in list(book["Dekking per thema"].values)[1:]] == [
        (c.theme.name, c.count) for c in coverage
    ]


def test_downloads_follow_the_district_filter(client_for, rbop, bloemendaal_in_noord):
    response = get(client_for(rbop), "imv:dashboard_heatmap_csv", district=NOORD)

    assert [r[0] for r in rows_of(response)[1:]] == ["Bloemendaal"]
    assert "noord-holland-noord" in response["Content-Disposition"]


def test_board_pack_pdf_names_every_theme_and_credits_the_map(client_for, rbop, cycle, heemstede_priorities):
    response = get(client_for(rbop), "imv:dashboard_pdf")

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    for theme in cycle.themes.filter(parent__isnull=True):
        assert theme.name in text, theme.name
    assert "Bestuurspakket RBOP" in text
    assert "Voortgang van de consultatie" in text
    assert "Heatmap" in text
    assert MAP_CREDIT in text
    assert "Haarlem (voorbeeld)" in text
