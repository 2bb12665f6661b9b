"""The adviser exports every change in a round as CSV (who, when, old → new); RBOP members and
municipal staff cannot."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from imv.exports.audit import AUDIT_HEADERS
from tenants.models import Role
from tests.imv.board_helpers import board_url

pytestmark = pytest.mark.django_db


def test_the_adviser_downloads_the_rounds_changes(client_for, adviser, consultation, adopted, heemstede):
    board = client_for(adviser).get(board_url(consultation)).content.decode()
    assert "Alle wijzigingen in de ronde (CSV)" in board
    response = client_for(adviser).get(board_url(consultation, "imv:export_audit_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == AUDIT_HEADERS
    heemstede_rows = [r for r in rows[1:] if r[2] == "Heemstede"]
    assert ("deelname", "Status", "geagendeerd", "vastgesteld") in {(r[3], r[4], r[5], r[6]) for r in heemstede_rows}
    assert ("deelname", "Zaaknummer raadsbesluit") in {
        (r[3], r[4]) for r in heemstede_rows
    }  # Dutch, not the code's name
    assert any(r[4] == "geopend" for r in rows[1:])  # the round's own opening


@pytest.mark.parametrize("role", [Role.RBOP, Role.OOV])
def test_others_may_not_export_the_changes(client_for, make_user, consultation, heemstede, role):
    user = make_user(role, municipality=heemstede if role == Role.OOV else None)
    assert client_for(user).get(board_url(consultation, "imv:export_audit_csv")).status_code == 403


def test_the_adviser_reads_the_rounds_changes_on_a_page(client_for, adviser, make_user, consultation, adopted):
    page = client_for(adviser).get(reverse("imv:audit", kwargs={"round_uuid": consultation.uuid})).content.decode()
    assert '<h1 class="utrecht-heading-1">Wijzigingen in de ronde</h1>' in page
    assert '<td class="utrecht-table__cell">Heemstede</td>' in page
    assert "Zaaknummer raadsbesluit" in page
    rbop = client_for(make_user(Role.RBOP))
    assert rbop.get(reverse("imv:audit", kwargs={"round_uuid": consultation.uuid})).status_code == 403
