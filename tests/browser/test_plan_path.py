"""The local plan in a real browser: Heemstede's staff open the 2024-2027 plan from the municipality's
page, add a priority linked to an IMV theme and see it in the alignment, give it an indicator, and
check an import file whose errors are named by row and column; an RBOP member then finds the new
link in the heatmap of the RBOP dashboard. axe finds nothing on these pages.

The server is a separate process, so what the browser adds is committed: this module removes it
again afterwards, so that other tests see the demo plan as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_tenants.utils import get_public_schema_name, schema_context
from playwright.sync_api import Browser, Page, expect

from municipalities.models import SafetyPlan
from municipalities.services import priority_delete
from tenants.models import Membership, Municipality, PoliceUnit, Role, User
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import Credentials

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp")  # noqa: S108 (a fixed place to look at the pages after a run)
PRIORITY = "Digitale weerbaarheid van inwoners en ondernemers"
CYBER = "3. Cybercrime en gedigitaliseerde criminaliteit"
BAD_IMPORT = "titel;omschrijving;thema;imv_themas\nWoninginbraak;;1.3;\n;;9.9;Bestaat niet\n"


@pytest.fixture(scope="module")
def heemstede_plan(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The path of Heemstede's 2024-2027 plan; afterwards, the priorities the browser added are removed.

    Requested before ``page`` so that it is read before Playwright starts (see conftest)."""
    with django_db_blocker.unblock():
        heemstede = Municipality.objects.get(cbs_code="GM0397")
        with schema_context(heemstede.schema_name):
            plan = SafetyPlan.objects.get(period_start=2024)
            before = set(plan.priorities.values_list("pk", flat=True))
    yield f"/gemeenten/heemstede/veiligheidsplannen/{plan.uuid}/"
    with django_db_blocker.unblock(), schema_context(heemstede.schema_name):
        for priority in plan.priorities.exclude(pk__in=before):
            priority_delete(municipality=heemstede, priority=priority)


@pytest.fixture(scope="module")
def rbop_member(django_db_setup: None, django_db_blocker: Any) -> Credentials:
    """A committed RBOP member of Noord-Holland (read-only everywhere in the unit)."""
    credentials = Credentials(username="browser-rbop", password="browser-test rbop 2024", full_name="Rob Bestuur")
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        first, _, last = credentials.full_name.partition(" ")
        user, _created = User.objects.update_or_create(
            username=credentials.username, defaults={"first_name": first, "last_name": last, "is_active": True}
        )
        user.set_password(credentials.password)
        user.save()
        Membership.objects.get_or_create(
            user=user, role=Role.RBOP, police_unit=PoliceUnit.objects.get(name="Noord-Holland")
        )
    return credentials


def log_in(page: Page, credentials: Credentials) -> None:
    page.goto("/inloggen/")
    main = page.locator("main")
    main.get_by_label("Gebruikersnaam").fill(credentials.username)
    main.get_by_label("Wachtwoord").fill(credentials.password)
    main.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text(f"Ingelogd als {credentials.full_name}")).to_be_visible()


def test_heemstede_adds_a_priority_on_an_imv_theme_and_sees_it_aligned(
    heemstede_plan: str,
    rbop_member: Credentials,
    page: Page,
    browser: Browser,
    live_server_url: str,
    heemstede_staff: Credentials,
    tmp_path: Path,
):
    # From the municipality's page to the plan.
    log_in(page, heemstede_staff)
    page.goto("/gemeenten/heemstede/")
    page.get_by_role("link", name="Beleidsplan Integrale Veiligheid Heemstede 2024-2027", exact=True).click()
    expect(page).to_have_url(f"{live_server_url}{heemstede_plan}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beleidsplan Integrale Veiligheid Heemstede 2024-2027")
    milestones = page.locator("ol.rp-steps")
    expect(milestones).to_contain_text("19 september 2023")
    expect(milestones).to_contain_text("Raad: vaststelling van het beleidsplan")
    alignment = page.get_by_role("region", name="Tegen het IMV 2024-2027")
    expect(alignment).to_contain_text("0 van 4 vastgestelde regionale thema's hebben een lokale prioriteit")
    assert_no_axe_violations(page, "the plan page before")

    # A new priority in safety field 5, on the IMV's cybercrime theme.
    page.get_by_role("link", name="Prioriteit toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prioriteit toevoegen")
    page.get_by_label("Prioriteit", exact=True).fill(PRIORITY)
    page.get_by_label("Omschrijving").fill("Voorlichting over phishing en online oplichting, samen met de wijkagent.")
    page.get_by_label("Veiligheidsveld").select_option("5")
    page.get_by_label("Thema", exact=True).select_option("X.1")
    themes = page.get_by_role("group", name="IMV-thema's die deze prioriteit dient")
    themes.get_by_label(CYBER).check()
    themes.get_by_label("Online bedreiging en intimidatie").check()
    assert_no_axe_violations(page, "the priority form")
    page.get_by_role("button", name="Prioriteit opslaan").click()

    # Back on the plan: the priority in its field, with its IMV themes, and in the alignment.
    expect(page).to_have_url(f"{live_server_url}{heemstede_plan}#prioriteiten")
    expect(page.get_by_text(f"De prioriteit “{PRIORITY}” is opgeslagen.")).to_be_visible()
    card = page.get_by_role("article", name=PRIORITY)
    expect(card).to_contain_text("X.1 Gedigitaliseerde criminaliteit (cyber)")
    expect(card).to_contain_text("Cybercrime en gedigitaliseerde criminaliteit")
    expect(card).to_contain_text("Online bedreiging en intimidatie")
    expect(page.get_by_role("heading", name="5. Integriteit en veiligheid")).to_be_visible()
    alignment = page.get_by_role("region", name="Tegen het IMV 2024-2027")
    expect(alignment).to_contain_text("1 van 4 vastgestelde regionale thema's hebben een lokale prioriteit")
    expect(alignment).to_contain_text("= 1 ÷ 4")
    links = alignment.get_by_role("table", name="Koppelingen: lokale prioriteit en IMV-thema's")
    expect(links.get_by_role("row", name=PRIORITY)).to_contain_text("Cybercrime en gedigitaliseerde criminaliteit")
    uncovered = alignment.locator("ul").first
    expect(uncovered).not_to_contain_text("Cybercrime")
    expect(uncovered).to_contain_text("Ondermijning")

    # An indicator with a baseline, a target, a yearly value and the story behind the numbers.
    card.get_by_role("link", name="Indicator toevoegen").click()
    page.get_by_label("Indicator", exact=True).fill("Inwoners die slachtoffer werden van online oplichting")
    page.get_by_label("Eenheid").fill("% van de inwoners")
    baseline, target = page.get_by_role("group", name="Nulmeting"), page.get_by_role("group", name="Streefwaarde")
    baseline.get_by_label("Waarde").fill("4,5")
    baseline.get_by_label("Jaar").fill("2023")
    target.get_by_label("Waarde").fill("3")
    target.get_by_label("Jaar").fill("2027")
    page.get_by_label("Meting 2024").fill("4,1")
    page.get_by_label("Het verhaal achter de cijfers").fill(
        "Meer aangiften kan ook betekenen dat inwoners online oplichting beter herkennen."
    )
    assert_no_axe_violations(page, "the indicator form")
    page.get_by_role("button", name="Indicator opslaan").click()
    expect(page.get_by_text("De indicator is opgeslagen.")).to_be_visible()
    indicators = page.get_by_role("table", name=f"Indicatoren van “{PRIORITY}”")
    expect(indicators).to_contain_text("4,5 (2023)")
    expect(indicators).to_contain_text("4,1")
    expect(indicators).to_contain_text("Het verhaal achter de cijfers: Meer aangiften")
    assert_no_axe_violations(page, "the plan page with the new priority")
    page.screenshot(path=SCREENSHOTS / "plan-heemstede-2024.png", full_page=True)

    # An import file with errors: every row in the preview, errors by row and column, nothing saved.
    page.get_by_role("link", name="Prioriteiten, indicatoren of acties importeren (CSV of Excel)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importeren uit CSV of Excel")
    assert_no_axe_violations(page, "the import page")
    bad = tmp_path / "prioriteiten.csv"
    bad.write_text(BAD_IMPORT, encoding="utf-8")
    page.get_by_label("Wat importeert u?").select_option("prioriteiten")
    page.get_by_label("Bestand (CSV of XLSX)").set_input_files(bad)
    page.get_by_role("button", name="Controleren").click()
    preview = page.get_by_role("table", name="2 rijen uit het bestand")
    rows = preview.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("in orde")
    expect(rows.nth(1)).to_contain_text("rij 3, kolom titel: mag niet leeg zijn")
    expect(rows.nth(1)).to_contain_text("rij 3, kolom imv_themas: “Bestaat niet” is geen IMV-thema")
    expect(page.get_by_role("alert")).to_contain_text("Er is niets opgeslagen.")
    expect(page.get_by_role("button", name="Alle 2 rijen importeren")).to_have_count(0)
    assert_no_axe_violations(page, "the import preview")
    page.screenshot(path=SCREENSHOTS / "plan-import-preview.png", full_page=True)

    # An RBOP member reads the same plan without forms, and finds the new link in the dashboard's heatmap.
    rbop_context = browser.new_context(
        base_url=live_server_url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    rbop = rbop_context.new_page()
    log_in(rbop, rbop_member)
    rbop.goto(heemstede_plan)
    expect(rbop.get_by_text("U leest mee: alleen medewerkers van Heemstede wijzigen dit plan.")).to_be_visible()
    expect(rbop.get_by_role("article", name=PRIORITY)).to_contain_text("Cybercrime en gedigitaliseerde criminaliteit")
    expect(rbop.get_by_role("link", name="Prioriteit toevoegen")).to_have_count(0)
    rbop.goto("/regio/dashboard/")
    heatmap = rbop.get_by_role("table", name="Aantal gekoppelde lokale prioriteiten per gemeente en IMV-thema")
    header = heatmap.locator("thead th")
    cyber_column = [text.strip() for text in header.all_inner_texts()].index(CYBER)
    heemstede_row = heatmap.locator('tr[data-cbs="GM0397"]')
    expect(heemstede_row.locator("th, td").nth(cyber_column)).to_have_text("1")
    expect(heemstede_row).to_contain_text("1 van 4")
    rbop_context.close()
