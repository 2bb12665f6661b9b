"""The board's exports: the CSV and XLSX status files and the RBOP board pack (PDF), and what they hold."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from imv import analytics, services
from imv.demo import AMSTERDAM
from imv.models import Disposition, Participation, Position
from tests.imv.board_helpers import board_url

pytestmark = pytest.mark.django_db


# --- Exports ------------------------------------------------------------------------------
def test_csv_export_has_one_row_per_municipality_of_the_round(client_for, adviser, consultation, adopted):
    response = client_for(adviser).get(board_url(consultation, "imv:export_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="statusbord-imv-2024-2027-')
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    expected = set(consultation.participations.values_list("municipality__name", flat=True))
    assert {row["Gemeente"] for row in rows} == expected
    assert len(rows) == len(expected)
    heemstede = next(row for row in rows if row["Gemeente"] == "Heemstede")
    assert heemstede["Status"] == "vastgesteld"
    assert heemstede["CBS-code"] == "GM0397"
    assert heemstede["Te laat"] == "nee"


def test_csv_export_follows_the_district_filter(client_for, adviser, consultation, bloemendaal_in_noord):
    response = client_for(adviser).get(board_url(consultation, "imv:export_csv"), {"district": "Noord-Holland Noord"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows] == ["Gemeente", "Bloemendaal"]
    assert "noord-holland-noord" in response["Content-Disposition"]


def test_xlsx_export_opens_with_openpyxl(client_for, adviser, consultation, adopted):
    response = client_for(adviser).get(board_url(consultation, "imv:export_xlsx"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Statusbord", "Per status", "Ronde"]
    sheet = book["Statusbord"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[0] == "Gemeente"
    assert header[3] == "Status"
    assert len(rows) == consultation.participations.count()
    heemstede = next(row for row in rows if row[0] == "Heemstede")
    assert heemstede[3] == "vastgesteld"
    assert isinstance(heemstede[4], datetime)  # a real date in Excel, not text
    counts = {row[0]: row[1] for row in book["Per status"].iter_rows(min_row=2, values_only=True)}
    assert counts["vastgesteld"] == 1


def test_board_pack_pdf_holds_progress_positions_and_the_reactienota(client_for, adviser, consultation, submitted):
    point = submitted.points.select_related("theme").order_by("pk").first()
    services.reaction_set(
        actor=adviser,
        opinion=submitted,
        point=point,
        disposition=Disposition.ADOPTED,
        explanation="Overgenomen in 4.2.",
    )

    response = client_for(adviser).get(board_url(consultation, "imv:export_pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Bestuurspakket RBOP — IMV 2024-2027" in flat
    assert consultation.draft_version.label in flat
    assert "1. Voortgang van de consultatie" in flat
    assert "2. Standpunten per thema" in flat
    assert "3. Reactienota" in flat
    assert point.theme.name in flat
    assert "Overgenomen in 4.2." in flat
    assert "heeft bezwaar" in flat
    # Every municipality's own deadline with its minute, in Amsterdam time, as on the board.
    deadline = Participation.objects.get(pk=submitted.participation_id).deadline.astimezone(AMSTERDAM)
    assert f"{submitted.participation.municipality.name} Kennemerland ingediend {deadline:%d-%m-%Y %H:%M}" in flat


def test_board_pack_counts_positions_per_theme_from_current_opinions_only(
    adviser, consultation, submitted, heemstede_staff, top_themes
):

    positions = {t.theme: t for t in analytics.positions_per_theme(consultation=consultation)}
    first, second = top_themes[0], top_themes[1]
    assert positions[first.name].counts[Position.SUPPORTS] == 1
    assert positions[second.name].counts[Position.OBJECTS] == 1
    assert positions[second.name].municipalities[Position.OBJECTS] == ["Heemstede"]

    services.opinion_withdraw(actor=heemstede_staff, participation=submitted.participation)

    assert analytics.positions_per_theme(consultation=consultation) == []


def test_exports_carry_the_council_decision_with_openbaarheid_and_woo_category(
    client_for, adviser, consultation, adopted
):
    response = client_for(adviser).get(board_url(consultation, "imv:export_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    heemstede = next(row for row in rows if row["Gemeente"] == "Heemstede")
    adopted.refresh_from_db()
    assert heemstede["Zaaknummer"] == adopted.decision_case_number
    assert heemstede["Datum raadsbesluit"] == adopted.decision_date.isoformat()
    assert heemstede["Openbaarheid"] == adopted.get_openbaarheid_display()
    assert adopted.woo_category is not None
    assert heemstede["Woo-categorie"] == adopted.woo_category.label
    book = load_workbook(io.BytesIO(client_for(adviser).get(board_url(consultation, "imv:export_xlsx")).content))
    header = [cell.value for cell in book["Statusbord"][1]]
    assert {"Datum raadsbesluit", "Zaaknummer", "Openbaarheid", "Woo-categorie"} <= set(header)
