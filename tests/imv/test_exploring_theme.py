"""A theme under exploration ("Zorg en Veiligheid", seed 002) can receive a position, but every list of
positions per theme shows it apart from the adopted themes, labelled "in verkenning"."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from imv import analytics, services
from imv.models import Position, ThemeStatus
from tests.imv.board_helpers import board_url
from tests.imv.round_page_helpers import round_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(adopted, heemstede_staff, cycle):
    exploring = cycle.themes.filter(status=ThemeStatus.EXPLORING, parent__isnull=True).first()
    assert exploring is not None  # the control: the IMV has one (seed 002)
    firm = list(cycle.themes.filter(status=ThemeStatus.ADOPTED, parent__isnull=True).order_by("position")[:2])
    services.opinion_submit(
        actor=heemstede_staff,
        participation=adopted,
        overall_position=Position.SUPPORTS,
        overall_text="",
        points=[services.PointInput(theme=t, position=Position.SUPPORTS, text="") for t in [exploring, *firm]],
    )
    return exploring, firm


def test_positions_per_theme_list_the_exploring_theme_after_the_adopted(mixed, consultation):
    exploring, firm = mixed
    positions = analytics.positions_per_theme(consultation=consultation)
    assert [(p.theme, p.exploring) for p in positions] == [(t.name, False) for t in firm] + [(exploring.name, True)]


def test_the_rbop_pack_and_the_pages_label_it_in_verkenning(mixed, consultation, client_for, adviser, staff_client):
    exploring, _firm = mixed
    pack = client_for(adviser).get(board_url(consultation, "imv:export_pdf"))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.content)).pages)
    assert "In verkenning: nog geen vastgesteld thema van het IMV, apart geteld." in text
    assert f"{exploring.name} (in verkenning)" in " ".join(text.split())
    round_page = staff_client.get(round_url(consultation)).content.decode()
    assert f'{exploring.name} <span class="rp-muted">(in verkenning)</span>' in round_page


def test_its_note_on_the_imv_page_is_dutch(client_for, adviser, cycle):
    """Seed 002: the regional added value is still unclear, explored under the mayor of Alkmaar."""
    page = client_for(adviser).get("/regio/imv/").content.decode()
    assert "verkenning onder leiding van de burgemeester van Alkmaar" in page
    assert "exploration led by" not in page
