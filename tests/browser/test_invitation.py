"""Onboarding in a real browser: a coordinator invites a colleague on the people pages, the colleague
follows the link of the e-mail, sets a name and password and lands on the municipality. Every page
visited is checked with axe-core (WCAG 2.1 A and AA)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings
from django_tenants.utils import get_public_schema_name, schema_context
from playwright.sync_api import Page, expect

from imv.models import OutgoingEmail
from tenants.models import AuditEvent, EndedMembership, Invitation, Membership, Municipality, Role, User
from tenants.services import invitation_create
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import Credentials, log_in
from tests.tenants.people_helpers import LINK

pytestmark = pytest.mark.browser

INVITEE = "browser-nieuw@heemstede.example"
COLLEAGUE = "browser-collega@heemstede.example"
PASSWORD = "browser-test uitnodiging 2024"
SCREENSHOT = "/tmp/invitation.png"  # noqa: S108 (a fixed place to look at the pages after a run)
PEOPLE_SCREENSHOT = "/tmp/people.png"  # noqa: S108


@dataclass(frozen=True)
class Onboarding:
    coordinator: Credentials
    link: str  # the absolute link of the invitation e-mail


@pytest.fixture(scope="module")
def onboarding(django_db_setup: None, django_db_blocker: Any, live_server_url: str) -> Iterator[Onboarding]:
    """A committed coordinator of Heemstede, and the link of a committed invitation the coordinator sent.

    Requested before ``page`` so that it is made before Playwright starts (see conftest); removed after
    the module, with the e-mails, so that no other test sees them."""
    coordinator = Credentials(
        username="browser-coordinator", password="browser-test coördinator 2024", full_name="Cora Coördinator"
    )
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        heemstede = Municipality.objects.get(cbs_code="GM0397")
        first, _, last = coordinator.full_name.partition(" ")
        user, _created = User.objects.update_or_create(
            username=coordinator.username,
            defaults={"first_name": first, "last_name": last, "email": "cora@heemstede.example", "is_active": True},
        )
        user.set_password(coordinator.password)
        user.save()
        Membership.objects.get_or_create(user=user, role=Role.COORDINATOR, municipality=heemstede)
        with override_settings(PORTAL_BASE_URL=live_server_url):
            invitation_create(actor=user, email=INVITEE, role=Role.OOV, municipality=heemstede)
        match = LINK.search(OutgoingEmail.objects.get(to=INVITEE).body)
        assert match is not None
        OutgoingEmail.objects.filter(to=INVITEE).delete()  # read: the mail test sends it for real
    yield Onboarding(coordinator, match[0])
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        OutgoingEmail.objects.filter(to__in=[INVITEE, COLLEAGUE]).delete()
        invitations = Invitation.objects.filter(email__in=[INVITEE, COLLEAGUE])
        people = User.objects.filter(email__in=[INVITEE]) | User.objects.filter(pk=user.pk)
        AuditEvent.objects.filter(object_uuid__in=list(invitations.values_list("uuid", flat=True))).delete()
        AuditEvent.objects.filter(actor__in=people).delete()
        invitations.delete()
        EndedMembership.objects.filter(user__in=people).delete()
        Membership.objects.filter(user__in=people).delete()
        people.delete()


def test_the_invitee_follows_the_link_sets_name_and_password_and_lands_on_the_municipality(
    onboarding: Onboarding, page: Page, live_server_url: str
):
    assert onboarding.link.startswith(f"{live_server_url}/uitnodiging/")

    response = page.goto(onboarding.link)

    assert response is not None
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitnodiging aanvaarden")
    expect(
        page.get_by_text("U bent uitgenodigd als medewerker openbare orde en veiligheid van Heemstede.")
    ).to_be_visible()
    assert_no_axe_violations(page, "the invitation page")

    page.get_by_label("Voornaam").fill("Nina")
    page.get_by_label("Achternaam").fill("Nieuw")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord nog een keer").fill("een ander wachtwoord")
    page.get_by_role("button", name="Account maken en rol aanvaarden").click()
    expect(page.get_by_text("De twee wachtwoorden zijn niet gelijk.")).to_be_visible()
    assert_no_axe_violations(page, "the invitation page with an error")

    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord nog een keer").fill(PASSWORD)
    page.get_by_role("button", name="Account maken en rol aanvaarden").click()

    expect(page).to_have_url(f"{live_server_url}/gemeenten/heemstede/")
    expect(page.get_by_text("Ingelogd als Nina Nieuw")).to_be_visible()
    expect(page.get_by_text(f"U logt voortaan in met de gebruikersnaam {INVITEE}.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemeente Heemstede")
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert_no_axe_violations(page, "the municipality after accepting")

    page.goto(onboarding.link)
    expect(page.get_by_text("Deze uitnodiging is al gebruikt.")).to_be_visible()
    assert_no_axe_violations(page, "the used invitation link")


def test_the_coordinator_sees_the_people_and_invites_a_colleague(onboarding: Onboarding, page: Page):
    log_in(page, onboarding.coordinator)
    page.get_by_role("link", name="Mensen en rollen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mensen en rollen")
    people = page.get_by_role("table", name="Gemeente Heemstede")
    expect(people.get_by_role("row", name="Cora Coördinator")).to_contain_text("coördinator")
    assert_no_axe_violations(page, "the list of people")

    page.get_by_role("link", name="Iemand uitnodigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Iemand uitnodigen")
    assert_no_axe_violations(page, "the invitation form")
    page.get_by_label("E-mailadres").fill("cora@heemstede.example")
    page.get_by_label("Rol", exact=True).select_option(Role.COORDINATOR)
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("cora@heemstede.example is al coördinator van gemeente Heemstede.")).to_be_visible()
    assert_no_axe_violations(page, "the invitation form refusing")

    page.get_by_label("E-mailadres").fill(COLLEAGUE)
    page.get_by_label("Rol", exact=True).select_option(Role.GRIFFIE)
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text(f"De uitnodiging is verstuurd naar {COLLEAGUE}.")).to_be_visible()
    expect(page.get_by_role("row", name=COLLEAGUE)).to_contain_text("uitgenodigd")
    page.screenshot(path=PEOPLE_SCREENSHOT, full_page=True)
    assert_no_axe_violations(page, "the list with an open invitation")
