"""A new plan in a real browser: Heemstede's staff open "Nieuw veiligheidsplan" from the municipality's
page, first choose a period that overlaps the running plan (the error at the first year), then the next
four years, land on the new plan, and remove it again after confirming. axe finds nothing on the form,
the form with its error, and the confirmation page.

The server is a separate process, so what the browser adds is committed: this module removes any plan it
left behind, so that other tests see Heemstede's plans as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import Page, expect

from municipalities.models import SafetyPlan
from tenants.models import Municipality
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import Credentials, log_in

pytestmark = pytest.mark.browser

TITLE = "Integraal Veiligheidsplan Heemstede 2028-2031"


@pytest.fixture(scope="module")
def heemstede_plans(django_db_setup: None, django_db_blocker: Any) -> Iterator[set[int]]:
    """Heemstede's plans before the test (by id); afterwards every other plan is removed again.

    Requested before ``page`` so that it is read before Playwright starts (see conftest)."""
    with django_db_blocker.unblock():
        heemstede = Municipality.objects.get(cbs_code="GM0397")
        with schema_context(heemstede.schema_name):
            before = set(SafetyPlan.objects.values_list("pk", flat=True))
    yield before
    with django_db_blocker.unblock(), schema_context(heemstede.schema_name):
        SafetyPlan.objects.exclude(pk__in=before).delete()


def test_heemstede_makes_a_new_plan_and_removes_it(
    heemstede_plans: set[int], page: Page, live_server_url: str, heemstede_staff: Credentials
):
    log_in(page, heemstede_staff)
    page.goto("/gemeenten/heemstede/")
    page.get_by_role("link", name="Nieuw veiligheidsplan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw veiligheidsplan")
    period = page.get_by_role("group", name="Planperiode")
    expect(period.get_by_label("Eerste jaar")).to_have_value("2028")
    expect(period.get_by_label("Laatste jaar")).to_have_value("2031")
    assert_no_axe_violations(page, "the form for a new plan")

    # A period overlapping the running plan: refused, the reason at the first year, nothing saved.
    page.get_by_label("Titel").fill(TITLE)
    period.get_by_label("Eerste jaar").fill("2026")
    page.get_by_role("button", name="Veiligheidsplan aanmaken").click()
    expect(page.get_by_role("alert")).to_contain_text("Het veiligheidsplan is niet opgeslagen.")
    first_year = page.get_by_label("Eerste jaar")
    expect(first_year).to_have_accessible_description(
        "Deze periode overlapt met “Beleidsplan Integrale Veiligheid Heemstede 2024-2027” (2024–2027): een gemeente "
        "heeft voor elk jaar één veiligheidsplan."
    )
    expect(page.get_by_label("Titel")).to_have_value(TITLE)
    assert_no_axe_violations(page, "the form for a new plan with its error")

    # The next four years: the new plan's page.
    first_year.fill("2028")
    page.get_by_role("button", name="Veiligheidsplan aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text(f"Het veiligheidsplan “{TITLE}” is aangemaakt.")).to_be_visible()
    plan_path = page.url.removeprefix(live_server_url)

    # Removing it again, after the question.
    page.goto("/gemeenten/heemstede/")
    page.get_by_role("region", name=TITLE).get_by_role("link", name="Plan verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Wilt u het veiligheidsplan “{TITLE}” verwijderen?")
    assert_no_axe_violations(page, "the confirmation of removing a plan")
    page.get_by_role("button", name="Ja, verwijderen").click()
    expect(page).to_have_url(f"{live_server_url}/gemeenten/heemstede/")
    expect(page.get_by_text(f"Het veiligheidsplan “{TITLE}” is verwijderd.")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_have_count(0)
    gone = page.goto(plan_path)
    assert gone is not None
    assert gone.status == 404
