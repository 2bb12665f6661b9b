"""The round path in a real browser: Heemstede's staff schedule, draft, record the council decision
with a PDF and submit; the adviser's open board shows it without a reload, and the adviser answers.

The server is a separate process, so this module opens its own committed round (round_under_test in
the conftest, removed afterwards) instead of moving the demo round, which other tests read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from imv.demo import minimal_pdf
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import Credentials, RoundUnderTest, log_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp")  # noqa: S108 (a fixed place to look at the pages after a run)
OVERALL_TEXT = "De raad steunt het concept, met kanttekeningen bij de aanpak van ondermijning."
THEME_TEXT = "Te weinig aandacht voor de weerbaarheid van jongeren."
ANSWER_TEXT = "De regio neemt de kanttekeningen over in het uitvoeringsprogramma."


def test_heemstede_drafts_decides_and_submits_and_the_adviser_sees_it_live_and_answers(
    round_under_test: RoundUnderTest,
    page: Page,
    browser: Browser,
    live_server_url: str,
    heemstede_staff: Credentials,
    tmp_path: Path,
):
    rut = round_under_test
    round_path = f"/gemeenten/heemstede/imv/{rut.round_uuid}/"
    status = page.locator("#status")

    # From the municipality's home page to the round page.
    log_in(page, heemstede_staff)
    page.goto("/gemeenten/heemstede/")
    openstaand = page.get_by_role("region", name="Openstaand")
    openstaand.locator(f'a[href="{round_path}"]').click()
    expect(page).to_have_url(f"{live_server_url}{round_path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zienswijze op het IMV 2024-2027")
    expect(status).to_contain_text("uitgenodigd")
    expect(status).to_contain_text("nog 10 dagen")
    assert_no_axe_violations(page, "the round page, invited")

    # The adviser's board is open meanwhile, listening for changes.
    adviser_context = browser.new_context(base_url=live_server_url, locale="nl-NL")
    board = adviser_context.new_page()
    log_in(board, rut.adviser)
    board.goto(f"/regio/imv/rondes/{rut.round_uuid}/")
    expect(board.locator("#board-live-status")).to_contain_text("Live")
    heemstede_row = board.locator('tr[data-cbs="GM0397"]')
    expect(heemstede_row).to_contain_text("uitgenodigd")
    board.evaluate("() => { window.notReloaded = true; }")

    # Meeting dates: geagendeerd.
    page.get_by_label("Raadsvergadering").fill(rut.day_before_yesterday)
    page.get_by_role("button", name="Vergaderdata opslaan").click()
    expect(page.get_by_text("De vergaderdata zijn opgeslagen.")).to_be_visible()
    expect(status).to_contain_text("geagendeerd")

    # The draft: the overall position and one theme, saved (still private to Heemstede).
    overall = page.get_by_role("group", name="De zienswijze als geheel")
    overall.get_by_label("steunt met kanttekeningen").check()
    overall.get_by_label("Toelichting").fill(OVERALL_TEXT)
    theme = page.get_by_role("group", name="1. Ondermijning")
    theme.get_by_role("group", name="Standpunt").first.get_by_label("heeft bezwaar").check()
    theme.get_by_label("Toelichting").first.fill(THEME_TEXT)
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.get_by_text("Het concept is opgeslagen (versie 2).")).to_be_visible()
    expect(page.get_by_role("group", name="De zienswijze als geheel").get_by_label("Toelichting")).to_have_value(
        OVERALL_TEXT
    )
    expect(page.get_by_role("button", name="Opslaan en indienen bij de regio")).to_have_count(0)

    # The council decision with its PDF: vastgesteld. A non-PDF is refused first, in Dutch.
    not_a_pdf = tmp_path / "besluit.pdf"
    not_a_pdf.write_bytes(b"Dit is geen PDF maar een tekstbestand.")
    pdf = tmp_path / "raadsbesluit-heemstede.pdf"
    pdf.write_bytes(minimal_pdf("Raadsbesluit zienswijze IMV Heemstede"))
    decision = page.locator("#raadsbesluit")
    decision.get_by_label("Datum raadsbesluit").fill(rut.day_before_yesterday)
    decision.get_by_label("Zaaknummer").fill("1234567")
    decision.get_by_label("Raadsbesluit (PDF)").set_input_files(not_a_pdf)
    decision.get_by_label("Openbaarheid").select_option(label="actief openbaar")
    decision.get_by_role("button", name="Raadsbesluit opslaan").click()
    expect(page.locator("#raadsbesluit")).to_contain_text("Het bestand is geen PDF.")
    expect(status).to_contain_text("geagendeerd")
    assert_no_axe_violations(page, "the round page with a refused upload")
    decision = page.locator("#raadsbesluit")
    expect(decision.get_by_label("Zaaknummer")).to_have_value("1234567")
    decision.get_by_label("Raadsbesluit (PDF)").set_input_files(pdf)
    decision.get_by_role("button", name="Raadsbesluit opslaan").click()
    expect(page.get_by_text("Het raadsbesluit is opgeslagen.")).to_be_visible()
    expect(status).to_contain_text("vastgesteld")
    expect(page.get_by_role("link", name="Raadsbesluit downloaden (PDF)")).to_be_visible()

    # Submit: the draft as saved goes to the region; status ingediend.
    page.get_by_role("button", name="Opslaan en indienen bij de regio").click()
    expect(page.get_by_text("De zienswijze is ingediend bij de regio (versie 1).")).to_be_visible()
    expect(status).to_contain_text("ingediend")
    expect(status).to_contain_text("op tijd ingediend")
    versions = page.locator("#versies")
    expect(versions).to_contain_text(THEME_TEXT)
    expect(versions).to_contain_text("steunt met kanttekeningen")
    history = page.get_by_role("table", name="Alle wijzigingen, nieuwste eerst")
    expect(history).to_contain_text("Zienswijze ingediend")
    expect(history).to_contain_text("vastgesteld")
    page.screenshot(path=str(SCREENSHOTS / "round-submitted.png"), full_page=True)
    assert_no_axe_violations(page, "the round page, submitted")

    # The adviser's board followed without a reload.
    expect(heemstede_row).to_contain_text("ingediend")
    assert board.evaluate("() => window.notReloaded === true"), "the board reloaded instead of updating live"

    # The adviser answers; Heemstede reads the answer.
    board.goto(f"/regio/imv/rondes/{rut.round_uuid}/zienswijzen/{rut.participation_uuid}/")
    whole = board.locator("#reactie-geheel")
    whole.get_by_label("Verwerking").select_option(label="overgenomen")
    whole.get_by_label("Reactie van de regio").fill(ANSWER_TEXT)
    whole.get_by_role("button", name="Reactie op de zienswijze opslaan").click()
    expect(board.get_by_text("De reactie is opgeslagen.")).to_be_visible()
    board.get_by_role("button", name="Markeer als beantwoord").click()
    expect(board.get_by_text("Nog zonder reactie:").first).to_be_visible()  # the theme's point is still open
    point = board.locator("section.rp-point:not(#reactie-geheel)").first
    point.get_by_label("Verwerking").select_option(label="overgenomen")
    point.get_by_label("Reactie van de regio").fill(ANSWER_TEXT)
    point.get_by_role("button", name="opslaan").click()
    expect(board.get_by_text("De reactie is opgeslagen.")).to_be_visible()
    board.get_by_role("button", name="Markeer als beantwoord").click()
    expect(board.get_by_text("De reactie is naar Heemstede gestuurd")).to_be_visible()

    # The adviser reads Heemstede's round page: no forms, no private draft.
    board.goto(round_path)
    expect(board.locator("#status")).to_contain_text("beantwoord")
    expect(board.get_by_text("U leest mee")).to_be_visible()
    expect(board.locator("main form")).to_have_count(0)
    expect(board.locator("#zienswijze")).to_have_count(0)
    board.screenshot(path=str(SCREENSHOTS / "round-adviser.png"), full_page=True)
    assert_no_axe_violations(board, "the round page read by the adviser")
    adviser_context.close()

    page.reload()
    expect(status).to_contain_text("beantwoord")
    answer = page.locator("#antwoord")
    expect(answer).to_contain_text(ANSWER_TEXT)
    expect(answer).to_contain_text("overgenomen")
    expect(page.get_by_role("button", name=re.compile("intrekken"))).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "round-answered.png"), full_page=True)
    assert_no_axe_violations(page, "the round page, answered")
