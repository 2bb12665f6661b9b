"""The Django admin (/beheer/) as a platform administrator sees it: Dutch and axe-clean on every page.

The pages are generated from ``admin.site._registry``: the index, and for every registered model its
change list, its add form (where adding is allowed) and the change form of one row; a model
registered later is covered without touching this file, but needs a row (``admin_rows``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client, RequestFactory
from django.urls import reverse
from django_tenants.utils import get_public_schema_name, schema_context
from playwright.sync_api import Page, expect

from imv.models import OutgoingEmail, Participation, Reminder, ReminderOutcome
from tenants.models import ApiToken, Membership, User
from tenants.services import api_token_create
from tests.browser.axe import axe_violations, format_violations
from tests.browser.conftest import Credentials

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/admin-{}.png"  # noqa: S108 (a fixed place to look at the pages after a run)
UNKNOWN_USERNAME = "browser-niemand"
# English the admin showed before (issue 15) and its like: words that are not Dutch, in any case.
ENGLISH = re.compile(
    r"police unit|municipality|select an option|\btoday\b|yesterday|tomorrow|access attempt|access log|"
    r"access failure|attempted access|failed access|attempt time|ip address|user agent|failed logins|"
    r"\bnot set\b|\baxes\b|clean up|\bcan (?:add|change|delete|view)\b|schema name|is primary|\bdomain\b|"
    r"\bcreated at\b|last used|revoked at|key hash|days before|sent at|\bmanual\b|filter by|\bsearch\b|"
    r"pagination|\blogout\b|\btenants\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AdminPage:
    name: str
    path: str


@pytest.fixture(scope="session")
def platform_admin(django_db_setup: None, django_db_blocker: Any) -> Credentials:
    """A committed superuser (is_staff): the platform administrator."""
    credentials = Credentials(username="browser-beheerder", password="browser-test beheer 2024", full_name="Bea Beheer")
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        first, _, last = credentials.full_name.partition(" ")
        user, _created = User.objects.update_or_create(
            username=credentials.username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_active": True,
                "is_staff": True,
                "is_superuser": True,
            },
        )
        user.set_password(credentials.password)
        user.save()
    return credentials


@pytest.fixture(scope="module")
def admin_pages(
    platform_admin: Credentials, django_db_setup: None, django_db_blocker: Any
) -> Iterator[list[AdminPage]]:
    """Every admin page to visit, with a committed row for each registered model; the rows made here
    are removed after the module. Requested before ``page``: Playwright blocks the database (conftest)."""
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        made = _admin_rows(platform_admin)
        user = User.objects.get(username=platform_admin.username)
        request = RequestFactory().get("/beheer/")
        request.user = user
        pages = [AdminPage("index", reverse("admin:index"))]
        for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
            label = model._meta.label
            info = (model._meta.app_label, model._meta.model_name)
            pages.append(AdminPage(f"{label} list", reverse("admin:{}_{}_changelist".format(*info))))
            if model_admin.has_add_permission(request):
                pages.append(AdminPage(f"{label} add", reverse("admin:{}_{}_add".format(*info))))
            row = model_admin.get_queryset(request).first()
            assert row is not None, f"no {label} to open: make one in _admin_rows"
            pages.append(AdminPage(f"{label} change", reverse("admin:{}_{}_change".format(*info), args=[row.pk])))
            pages.append(AdminPage(f"{label} history", reverse("admin:{}_{}_history".format(*info), args=[row.pk])))
            if model_admin.has_delete_permission(request, row):  # the confirmation page only: GET deletes nothing
                pages.append(AdminPage(f"{label} delete", reverse("admin:{}_{}_delete".format(*info), args=[row.pk])))
        pages.append(AdminPage("password change", reverse("admin:password_change")))
    yield pages
    with django_db_blocker.unblock(), schema_context(get_public_schema_name()):
        for row in made:
            row.delete()
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__in=[UNKNOWN_USERNAME, platform_admin.username]).delete()


def _admin_rows(platform_admin: Credentials) -> list[Any]:
    """A row for each registered model that the demo region leaves empty; returns those it made."""
    made: list[Any] = []
    if not Group.objects.exists():
        group = Group.objects.create(name="Browsertest-groep")
        group.permissions.set(Permission.objects.filter(codename="view_municipality"))
        made.append(group)
    if not ApiToken.objects.exists():
        token, _key = api_token_create(membership=Membership.objects.order_by("pk")[0], name="Browsertest-token")
        made.append(token)
    if not Reminder.objects.exists():
        participation = Participation.objects.order_by("pk").first()
        assert participation is not None
        reminder = Reminder.objects.create(
            participation=participation,
            days_before=14,
            deadline=participation.deadline,
            outcome=ReminderOutcome.SKIPPED,
        )
        made.append(reminder)
    if not OutgoingEmail.objects.exists():
        made.append(OutgoingEmail.objects.create(message_id="<browsertest@regioportaal>", to="a@example.org"))
    # The login protection's rows come from real logins: one refused, one let in.
    client = Client()
    client.post(reverse("login"), {"username": UNKNOWN_USERNAME, "password": "fout"})
    client.post(reverse("login"), {"username": platform_admin.username, "password": platform_admin.password})
    # axes writes failure logs only with AXES_ENABLE_ACCESS_FAILURE_LOG (off here); its admin is there all the same.
    if not AccessFailureLog.objects.exists():
        AccessFailureLog.objects.create(
            username=UNKNOWN_USERNAME, ip_address="127.0.0.1", user_agent="Browsertest", path_info="/inloggen/"
        )
    return made


def test_every_admin_page_is_dutch_and_axe_clean(admin_pages: list[AdminPage], platform_admin: Credentials, page: Page):
    assert any(p.path.startswith("/beheer/axes/accessattempt/") for p in admin_pages)
    problems = _problems(page, AdminPage("login", reverse("admin:login")))  # before logging in
    page.goto("/inloggen/?next=/beheer/")
    page.get_by_label("Gebruikersnaam").fill(platform_admin.username)
    page.get_by_label("Wachtwoord").fill(platform_admin.password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("link", name="Regioportaal Veiligheid — beheer")).to_be_visible()

    for admin_page in admin_pages:
        problems += _problems(page, admin_page)
    assert not problems, "\n".join(problems)


def _problems(page: Page, admin_page: AdminPage) -> list[str]:
    """What is wrong with one page: its status, English on it, axe's WCAG 2.1 AA violations."""
    response = page.goto(admin_page.path)
    assert response is not None
    if response.status != 200:
        return [f"{admin_page.name}: status {response.status}"]
    page.wait_for_load_state("load")  # the date pickers and selectors are made on load
    page.screenshot(path=SCREENSHOTS.format(re.sub(r"\W+", "-", admin_page.name.lower())), full_page=True)
    problems = []
    english = sorted({match.lower() for match in ENGLISH.findall(_texts(page))})
    if english:
        problems.append(f"{admin_page.name} ({admin_page.path}): English {english}")
    violations = axe_violations(page)
    if violations:
        problems.append(f"{admin_page.name} ({admin_page.path}):\n{format_violations(violations)}")
    return problems


def _texts(page: Page) -> str:
    """What a person reads or hears: the visible text and the accessible names given in attributes."""
    names = page.evaluate(
        """() => Array.from(document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]'))
            .map(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder'),
                       e.getAttribute('alt')].filter(Boolean).join(' '))"""
    )
    return page.locator("body").inner_text() + "\n" + "\n".join(names)
