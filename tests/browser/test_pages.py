"""The portal in a real browser: log in, open one's own municipality, be refused another's.

Every page visited is checked with axe-core against WCAG 2.1 A and AA.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_axe_violations, axe_violations
from tests.browser.conftest import Credentials

pytestmark = pytest.mark.browser

HEEMSTEDE_PLAN = "Actieplan Integrale Veiligheid Heemstede 2020-2023"
SCREENSHOT = "/tmp/heemstede.png"  # noqa: S108 (a fixed place to look at the page after a run)


def log_in(page: Page, credentials: Credentials, *, password: str | None = None) -> None:
    page.get_by_label("Gebruikersnaam").fill(credentials.username)
    page.get_by_label("Wachtwoord").fill(password or credentials.password)
    page.get_by_role("button", name="Inloggen").click()


def test_heemstede_staff_reads_heemstede_and_is_refused_haarlem(page: Page, live_server_url, heemstede_staff):
    response = page.goto("/inloggen/")
    assert response is not None
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    assert_no_axe_violations(page, "the login page")

    log_in(page, heemstede_staff)
    expect(page).to_have_url(f"{live_server_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Regioportaal Veiligheid")
    expect(page.get_by_text(f"Ingelogd als {heemstede_staff.full_name}")).to_be_visible()
    municipalities = page.get_by_role("table", name="Gemeenten die u kunt openen")
    expect(municipalities.get_by_role("link")).to_have_text(["Heemstede"])
    assert_no_axe_violations(page, "the start page")

    municipalities.get_by_role("link", name="Heemstede").click()
    expect(page).to_have_url(f"{live_server_url}/gemeenten/heemstede/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemeente Heemstede")
    expect(page.get_by_role("heading", name=HEEMSTEDE_PLAN)).to_be_visible()
    expect(page.get_by_text("1. Zorg en veiligheid, 2. Veilige & leefbare wijken")).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert_no_axe_violations(page, "Heemstede's page")

    response = page.goto("/gemeenten/haarlem/")
    assert response is not None
    assert response.status == 403
    expect(page).to_have_title(re.compile(r"^Geen toegang"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(page.get_by_text("U heeft geen toegang tot de gegevens van Haarlem.")).to_be_visible()
    content = page.content()
    assert "Integraal Veiligheidsplan Haarlem" not in content
    assert "Voorbeeld: deze inhoud is verzonnen" not in content
    assert_no_axe_violations(page, "the 403 page")

    response = page.goto("/gemeenten/bestaat-niet/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    assert_no_axe_violations(page, "the 404 page")

    page.get_by_role("link", name=re.compile(r"^Meldingen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")
    assert_no_axe_violations(page, "the messages page")


def test_anonymous_visitor_is_sent_to_login(page: Page, live_server_url):
    page.goto("/gemeenten/heemstede/")

    expect(page).to_have_url(f"{live_server_url}/inloggen/?next=/gemeenten/heemstede/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    assert HEEMSTEDE_PLAN not in page.content()


def test_language_button_shows_login_page_in_english(page: Page):
    page.goto("/inloggen/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title(re.compile(r"^Log in — Regional Safety Portal$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.get_by_role("button", name="Nederlands")).to_be_visible()
    assert_no_axe_violations(page, "the English login page")


def test_wrong_password_shows_dutch_error_on_login_page(page: Page, live_server_url, heemstede_staff):
    page.goto("/inloggen/")

    log_in(page, heemstede_staff, password="niet het goede wachtwoord")

    expect(page).to_have_url(f"{live_server_url}/inloggen/")
    # Django's own Dutch message; it names the field so people know what to check.
    error = page.get_by_role("alert")
    expect(error).to_contain_text("Voer een juiste gebruikersnaam en wachtwoord in.")
    expect(error).to_contain_text("hoofdlettergevoelig")
    expect(page.get_by_label("Gebruikersnaam")).to_have_value(heemstede_staff.username)
    expect(page.get_by_label("Wachtwoord")).to_have_value("")
    assert_no_axe_violations(page, "the login page with an error")


def test_axe_reports_violations_on_a_broken_page(page: Page):
    # Guards the guard: zero violations above must mean axe ran, not that it silently did nothing.
    page.set_content('<html lang="nl"><body><main><img src="data:,"><a href="#"></a></main></body></html>')

    violations = {v["id"] for v in axe_violations(page)}

    assert {"image-alt", "link-name"} <= violations


def test_empty_login_form_marks_both_fields_with_their_error(page: Page):
    page.goto("/inloggen/")

    page.get_by_role("button", name="Inloggen").click()

    for label in ("Gebruikersnaam", "Wachtwoord"):
        field = page.get_by_label(label)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description("Dit veld is vereist.")
    assert_no_axe_violations(page, "the login page with field errors")


def test_new_password_form_describes_the_password_rules(page: Page, password_reset_path):
    page.goto(password_reset_path)

    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw wachtwoord instellen")
    new_password = page.get_by_label("Nieuw wachtwoord", exact=True)
    expect(new_password).to_have_accessible_description(re.compile("minstens 12 tekens lang"))
    assert_no_axe_violations(page, "the new password form")

    new_password.fill("kort")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("anders")
    page.get_by_role("button", name="Wachtwoord opslaan").click()

    confirmation = page.get_by_label("Nieuw wachtwoord bevestigen")
    expect(confirmation).to_have_attribute("aria-invalid", "true")
    expect(confirmation).to_have_accessible_description(re.compile("De twee wachtwoordvelden komen niet overeen"))
    assert_no_axe_violations(page, "the new password form with errors")


def test_unknown_municipality_page_keeps_the_visitors_language_and_session(page: Page, heemstede_staff):
    page.goto("/inloggen/")
    log_in(page, heemstede_staff)
    expect(page.get_by_text(f"Ingelogd als {heemstede_staff.full_name}")).to_be_visible()

    response = page.goto("/gemeenten/bestaat-niet/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_text(f"Ingelogd als {heemstede_staff.full_name}")).to_be_visible()

    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("html")).to_have_attribute("lang", "en")
