"""The RBOP dashboard in a real browser: an RBOP member finds it, filters it and drills down.

The server is a separate process that sees only committed rows, so the person and the second
district are committed here and removed afterwards; every database step runs in a thread of its
own (Playwright's sync API keeps an event loop running in the test thread).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context
from playwright.sync_api import Page, expect

from tenants.models import District, Membership, Municipality, PoliceUnit, Role, User
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import Credentials
from tests.browser.test_board import in_thread
from tests.browser.test_pages import log_in

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/dashboard.png"  # noqa: S108 (a fixed place to look at the page after a run)
SCREENSHOT_FILTERED = "/tmp/dashboard-kennemerland.png"  # noqa: S108
NOORD = "Noord-Holland Noord"


@pytest.mark.django_db
def test_dashboard_page_runs_only_its_own_static_script(client, make_user):
    """CSP allows scripts from 'self' (and nonce'd ones): the dashboard has no inline script or style.

    Marked django_db on purpose and first in the module: pytest-django sets up the test database
    only when a collected test asks for it, and without one a run of this module alone would
    write to the development database.
    """
    client.force_login(make_user(Role.RBOP))

    page = client.get("/regio/dashboard/").content.decode()

    scripts = [chunk.split(">", 1)[0] for chunk in page.split("<script")[1:]]
    assert scripts == [' src="/static/imv/dashboard.js" defer']
    assert " style=" not in page
    assert client.get("/static/imv/dashboard.js").status_code == 200
    assert client.get("/static/imv/dashboard.css").status_code == 200


@pytest.fixture(scope="session")
def rbop_credentials(django_db_setup: None, django_db_blocker: Any) -> Credentials:
    """A committed RBOP member of Noord-Holland with a known password."""
    credentials = Credentials(
        username="browser-dashboard-rbop", password="browser-test rbop 2024", full_name="Rianne Raadslid"
    )
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        assert str(connection.settings_dict["NAME"]).startswith("test_"), "refusing to write outside a test database"
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


@pytest.fixture
def two_districts(django_db_blocker: Any) -> Iterator[None]:
    """Bloemendaal moved to Noord-Holland Noord for the test (the test region is all Kennemerland)."""

    def move() -> tuple[int | None, bool]:
        unit = PoliceUnit.objects.get(name="Noord-Holland")
        noord, created = District.objects.get_or_create(police_unit=unit, name=NOORD)
        bloemendaal = Municipality.objects.get(cbs_code="GM0377")
        before = bloemendaal.district_id
        Municipality.objects.filter(pk=bloemendaal.pk).update(district=noord)
        return before, created

    before, created = in_thread(django_db_blocker, move)
    yield

    def restore() -> None:
        Municipality.objects.filter(cbs_code="GM0377").update(district_id=before)
        if created:
            District.objects.filter(name=NOORD).delete()

    in_thread(django_db_blocker, restore)


def heatmap_rows(page: Page) -> Any:
    return page.get_by_role("table", name="Aantal gekoppelde lokale prioriteiten").locator("tbody").get_by_role("row")


def test_rbop_member_filters_the_dashboard_and_drills_down(
    rbop_credentials: Credentials, page: Page, live_server_url: str, two_districts: None
):
    page.goto("/inloggen/")
    log_in(page, rbop_credentials)
    page.get_by_role("link", name=re.compile(r"^Dashboard RBOP van politie-eenheid Noord-Holland")).click()

    expect(page).to_have_url(f"{live_server_url}/regio/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard RBOP IMV 2024-2027")
    expect(page.get_by_role("heading", name="Voortgang van de consultatie")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile(r"^Dekking per thema"))).to_be_visible()
    expect(heatmap_rows(page)).to_have_count(3)
    expect(page.locator("svg.rp-map__svg path.rp-map__area")).to_have_count(3)
    expect(page.get_by_text("Bron grenzen: © CBS / Kadaster")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Voorbeeld: de lokale prioriteiten van 2 gemeenten"))).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert_no_axe_violations(page, "the RBOP dashboard")

    # The map shows the theme one chooses; the table beside it says the same in words.
    page.get_by_label("Thema op de kaart").select_option(label="Ondermijning")
    page.get_by_role("button", name="Kaart tonen").click()
    expect(page).to_have_url(re.compile(r"thema=[0-9a-f-]{36}#kaart$"))
    map_table = page.get_by_role("table", name="De kaart als tabel: gemeenten met een prioriteit op Ondermijning")
    expect(map_table).to_be_visible()
    haarlem = map_table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(r"^Haarlem")))
    expect(haarlem).to_contain_text("ja")
    expect(page.locator('svg.rp-map__svg path[data-cbs="GM0392"]')).to_have_class(re.compile(r"rp-map__area--een"))

    # The district filter narrows every figure, and keeps the chosen theme on the map.
    page.get_by_label("District").select_option(label="Kennemerland")
    page.get_by_role("button", name="Filter toepassen").click()
    expect(page).to_have_url(re.compile(r"district=Kennemerland"))
    expect(page.get_by_text("de 2 gemeenten van district Kennemerland")).to_be_visible()
    expect(heatmap_rows(page)).to_have_count(2)
    expect(heatmap_rows(page).get_by_role("rowheader")).to_have_text([re.compile("^Haarlem"), re.compile("^Heemstede")])
    expect(page.locator("svg.rp-map__svg path.rp-map__area")).to_have_count(2)
    # Bloemendaal, outside the district, is drawn uncoloured around it for orientation.
    expect(page.locator("svg.rp-map__svg path.rp-map__context")).to_have_count(1)
    expect(map_table).to_be_visible()
    page.screenshot(path=SCREENSHOT_FILTERED, full_page=True)
    assert_no_axe_violations(page, "the RBOP dashboard filtered to Kennemerland")

    # A click on the map opens the municipality (mouse users); the table links do the same for everyone.
    page.locator('svg.rp-map__svg path[data-cbs="GM0397"]').dispatch_event("click")
    expect(page).to_have_url(f"{live_server_url}/gemeenten/heemstede/")
    page.go_back()
    map_table.get_by_role("link", name="Haarlem").click()
    expect(page).to_have_url(f"{live_server_url}/gemeenten/haarlem/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemeente Haarlem")
    assert_no_axe_violations(page, "Haarlem's page as the RBOP member reads it")
