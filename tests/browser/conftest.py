"""Browser fixtures: headless Chromium driving the real ASGI server (live_server_url, tests.live).

The server is a separate process, so it sees only committed rows: the users it logs in are
made once per session outside the per-test transactions (and vanish with the test database).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django_tenants.utils import get_public_schema_name, schema_context
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from imv.clock import db_now
from imv.demo import AMSTERDAM
from imv.models import ConsultationRound, ImvCycle, Opinion, Participation
from municipalities.models import OpinionDraft
from tenants.models import Membership, Municipality, PoliceUnit, Role, User
from tests.factories import round_open_for_test

CHROMIUM = "/usr/bin/chromium"
# The network is closed: without these Chromium waits on outside connections (updates, sync).
# Playwright gives every launch a fresh, temporary profile (--user-data-dir) of its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    full_name: str


@pytest.fixture(scope="session")
def heemstede_staff(django_db_setup: None, django_db_blocker: Any) -> Credentials:
    """A committed user with the OOV role at Heemstede (and nothing else), with a known password."""
    credentials = Credentials(
        username="browser-heemstede-oov", password="browser-test wachtwoord 2024", full_name="Bram Browser"
    )
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        first, _, last = credentials.full_name.partition(" ")
        user, _created = User.objects.update_or_create(
            username=credentials.username, defaults={"first_name": first, "last_name": last, "is_active": True}
        )
        user.set_password(credentials.password)
        user.save()
        Membership.objects.get_or_create(
            user=user, role=Role.OOV, municipality=Municipality.objects.get(cbs_code="GM0397")
        )
    return credentials


@pytest.fixture(scope="session")
def heemstede_griffie(django_db_setup: None, django_db_blocker: Any) -> Credentials:
    """A second committed user at Heemstede (griffie), for two people editing one draft."""
    credentials = Credentials(
        username="browser-heemstede-griffie", password="browser-test griffie 2024", full_name="Greet Griffie"
    )
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        first, _, last = credentials.full_name.partition(" ")
        user, _created = User.objects.update_or_create(
            username=credentials.username, defaults={"first_name": first, "last_name": last, "is_active": True}
        )
        user.set_password(credentials.password)
        user.save()
        Membership.objects.get_or_create(
            user=user, role=Role.GRIFFIE, municipality=Municipality.objects.get(cbs_code="GM0397")
        )
    return credentials


@pytest.fixture(scope="session")
def password_reset_path(django_db_setup: None, django_db_blocker: Any) -> str:
    """The path of a valid "set a new password" link, for a user nobody logs in as (which would void it)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        user, _created = User.objects.update_or_create(
            username="browser-password-reset", defaults={"email": "browser-password-reset@example.org"}
        )
        user.set_password("an old password nobody types")
        user.save()
        return reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )


@pytest.fixture(scope="module")
def playwright_instance(
    heemstede_staff: Credentials, heemstede_griffie: Credentials, password_reset_path: str
) -> Iterator[Playwright]:
    """Playwright's sync API keeps an asyncio loop running in this thread while it is started,
    and Django then refuses synchronous database calls. So it lives per module, and it
    depends on every fixture that writes to the database so that those run before it."""
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    # No skip when Chromium is missing: `make test` installs it, and a browser suite that
    # silently skips tests nothing.
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing; `make chromium` installs it"
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser, live_server_url: str) -> Iterator[BrowserContext]:
    """A fresh browser profile per test (no cookies), asking for Dutch like most of our users."""
    context = browser.new_context(base_url=live_server_url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


# --- A committed round of its own, per module that drives one -------------------------------
@dataclass(frozen=True)
class RoundUnderTest:
    round_uuid: str
    participation_uuid: str
    day_before_yesterday: str  # ISO, in Amsterdam: a safe council and decision date
    adviser: Credentials


@pytest.fixture(scope="module")
def round_under_test(django_db_setup: None, django_db_blocker: Any) -> Iterator[RoundUnderTest]:
    """A committed round on IMV 2024-2027, opened by a committed adviser; removed after the module.

    Requested before ``page`` so that it is made before Playwright starts (see conftest)."""
    adviser = Credentials(username="browser-adviseur", password="browser-test adviseur 2024", full_name="Ada Adviseur")
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        first, _, last = adviser.full_name.partition(" ")
        user, _created = User.objects.update_or_create(
            username=adviser.username, defaults={"first_name": first, "last_name": last, "is_active": True}
        )
        user.set_password(adviser.password)
        user.save()
        Membership.objects.get_or_create(
            user=user, role=Role.ADVISER, police_unit=PoliceUnit.objects.get(name="Noord-Holland")
        )
        now = db_now()
        cycle = ImvCycle.objects.get(name="IMV 2024-2027")
        consultation = round_open_for_test(actor=user, cycle=cycle, label="Browsertestconcept")
        heemstede = Municipality.objects.get(cbs_code="GM0397")
        participation = Participation.objects.get(round=consultation, municipality=heemstede)
        day = (now.astimezone(AMSTERDAM) - timedelta(days=2)).date().isoformat()
    yield RoundUnderTest(str(consultation.uuid), str(participation.uuid), day, adviser)
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        _remove_round(consultation)


def _remove_round(consultation: ConsultationRound) -> None:
    for municipality in Municipality.objects.filter(participations__round=consultation):
        with schema_context(municipality.schema_name):
            OpinionDraft.objects.filter(round_id=consultation.pk).delete()
    for participation in consultation.participations.all():
        if participation.decision_document:
            participation.decision_document.delete(save=False)
    Opinion.objects.filter(participation__round=consultation).delete()
    draft_version = consultation.draft_version
    consultation.delete()
    draft_version.delete()


def log_in(page: Page, credentials: Credentials) -> None:
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(credentials.username)
    page.get_by_label("Wachtwoord").fill(credentials.password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text(f"Ingelogd als {credentials.full_name}")).to_be_visible()
