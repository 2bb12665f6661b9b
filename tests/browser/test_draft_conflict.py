"""One draft, two tabs, in a real browser: the stale tab is refused, shown what the other tab saved,
keeps its own input, and saving again keeps both. Once with one user in two tabs (two browser
contexts with the same login), once with two colleagues who changed the same field."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import Credentials, RoundUnderTest, log_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp")  # noqa: S108 (a fixed place to look at the pages after a run)


def open_draft(
    browser: Browser, live_server_url: str, who: Credentials, round_path: str
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=live_server_url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, who)
    page.goto(round_path)
    expect(page.get_by_role("heading", name="Concept-zienswijze")).to_be_visible()
    return context, page


def overall_text(page: Page):
    return page.get_by_role("group", name="De zienswijze als geheel").get_by_label("Toelichting", exact=True)


def test_one_user_in_two_tabs_keeps_both_tabs_work(
    round_under_test: RoundUnderTest, browser: Browser, live_server_url: str, heemstede_staff: Credentials
):
    round_path = f"/gemeenten/heemstede/imv/{round_under_test.round_uuid}/"
    context_a, tab_a = open_draft(browser, live_server_url, heemstede_staff, round_path)
    context_b, tab_b = open_draft(browser, live_server_url, heemstede_staff, round_path)

    # Tab A saves a position on a theme.
    theme_a = tab_a.get_by_role("group", name="1. Ondermijning")
    theme_a.get_by_role("group", name="Standpunt").first.get_by_label("heeft bezwaar").check()
    tab_a.get_by_role("button", name="Concept opslaan").click()
    expect(tab_a.get_by_text("Het concept is opgeslagen (versie")).to_be_visible()

    # Tab B, still showing the old version, saves a text change: refused, and shown what A changed.
    overall_text(tab_b).fill("De tekst uit tab B.")
    tab_b.get_by_role("button", name="Concept opslaan").click()
    expect(tab_b.get_by_text("heeft het concept intussen gewijzigd")).to_be_visible()
    conflict = tab_b.get_by_role("region", name="Wat er intussen is gewijzigd")
    expect(conflict).to_contain_text("Standpunt bij “Ondermijning”")
    expect(conflict).to_contain_text("Opgeslagen door Bram Browser")
    expect(conflict).to_contain_text("heeft bezwaar")
    expect(overall_text(tab_b)).to_have_value("De tekst uit tab B.")  # B's input is kept
    tab_b.screenshot(path=str(SCREENSHOTS / "draft-conflict-two-tabs.png"), full_page=True)
    assert_no_axe_violations(tab_b, "the round page with a draft conflict")

    # Saving again in tab B keeps A's position and adds B's text.
    tab_b.get_by_role("button", name="Concept opslaan").click()
    expect(tab_b.get_by_text("Het concept is opgeslagen (versie")).to_be_visible()
    tab_a.reload()
    theme_a = tab_a.get_by_role("group", name="1. Ondermijning")
    expect(theme_a.get_by_role("group", name="Standpunt").first.get_by_label("heeft bezwaar")).to_be_checked()
    expect(overall_text(tab_a)).to_have_value("De tekst uit tab B.")
    context_a.close()
    context_b.close()


def test_two_colleagues_who_changed_the_same_field_choose_which_stays(
    round_under_test: RoundUnderTest,
    browser: Browser,
    live_server_url: str,
    heemstede_staff: Credentials,
    heemstede_griffie: Credentials,
):
    round_path = f"/gemeenten/heemstede/imv/{round_under_test.round_uuid}/"
    context_a, griffie = open_draft(browser, live_server_url, heemstede_griffie, round_path)
    context_b, staff = open_draft(browser, live_server_url, heemstede_staff, round_path)

    overall_text(griffie).fill("De griffie schrijft dit.")
    griffie.get_by_role("button", name="Concept opslaan").click()
    expect(griffie.get_by_text("Het concept is opgeslagen (versie")).to_be_visible()

    overall_text(staff).fill("OOV schrijft iets anders.")
    staff.get_by_role("button", name="Concept opslaan").click()
    conflict = staff.get_by_role("region", name="Wat er intussen is gewijzigd")
    expect(conflict).to_contain_text("Opgeslagen door Greet Griffie")
    expect(conflict).to_contain_text("De griffie schrijft dit.")
    expect(conflict).to_contain_text("OOV schrijft iets anders.")
    choice = conflict.get_by_role("group", name="Toelichting bij de zienswijze als geheel: welke versie blijft?")

    staff.get_by_role("button", name="Concept opslaan").click()  # no choice made: asked again
    expect(staff.get_by_text("Kies welke versie blijft: de uwe of de opgeslagen.")).to_be_visible()
    assert_no_axe_violations(staff, "the round page asking which version stays")
    choice = staff.get_by_role("region", name="Wat er intussen is gewijzigd").get_by_role(
        "group", name="Toelichting bij de zienswijze als geheel: welke versie blijft?"
    )
    choice.get_by_label("De opgeslagen versie").check()
    overall_text(staff).fill("OOV schrijft iets anders.")  # the form kept it; the choice decides
    staff.get_by_role("button", name="Concept opslaan").click()
    expect(staff.get_by_text("Het concept is opgeslagen (versie")).to_be_visible()
    expect(overall_text(staff)).to_have_value("De griffie schrijft dit.")
    griffie.reload()
    expect(overall_text(griffie)).to_have_value("De griffie schrijft dit.")
    context_a.close()
    context_b.close()
