"""The adviser's status board in a real browser: accessible, and live without a reload.

The server is a separate process that sees only committed rows, and the change that the board
must show is made by this process, committed, and announced through the same Redis. Playwright's
sync API keeps an event loop running in the test thread (Django then refuses database calls
there), so every database step runs in a thread of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context
from playwright.sync_api import Page, expect

from imv import services
from imv.clock import db_now
from imv.models import ConsultationRound, DraftVersion, ImvCycle, Participation
from tenants.models import AuditEvent, Membership, PoliceUnit, Role, User
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import Credentials
from tests.browser.test_pages import log_in
from tests.factories import round_open_for_test

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/board.png"  # noqa: S108 (a fixed place to look at the page after a run)
SCREENSHOT_NOT_LIVE = "/tmp/board-niet-live.png"  # noqa: S108


def in_thread[T](blocker: Any, work: Callable[[], T]) -> T:
    """Run a database step in a fresh thread (own connection, autocommit) and return its result."""
    result: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with schema_context(get_public_schema_name()):
                result.append(work())
        except BaseException as exc:  # noqa: BLE001 (re-raised in the test thread below)
            errors.append(exc)
        finally:
            connection.close()

    with blocker.unblock():
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(60)
    if errors:
        raise errors[0]
    return result[0]


@pytest.mark.django_db
def test_board_page_runs_only_its_own_static_script(client, make_user, django_db_blocker):
    """CSP allows scripts from 'self' (and nonce'd ones): the board has no inline script at all.

    Marked django_db on purpose and first in the module: pytest-django sets up the test database
    only when a collected test asks for it, and without one a run of tests/browser alone would
    write to the development database.
    """
    client.force_login(make_user(Role.ADVISER))
    demo = ConsultationRound.objects.get(is_example=True)

    page = client.get(f"/regio/imv/rondes/{demo.uuid}/").content.decode()

    scripts = [chunk.split(">", 1)[0] for chunk in page.split("<script")[1:]]
    assert scripts == [' src="/static/imv/board.js" defer']
    assert client.get("/static/imv/board.js").status_code == 200


@pytest.fixture(scope="session")
def adviser_credentials(django_db_setup: None, django_db_blocker: Any) -> Credentials:
    """A committed adviser of Noord-Holland with a known password."""
    credentials = Credentials(
        username="browser-board-adviseur", password="browser-test adviseur 2024", full_name="Ada Adviseur"
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
            user=user, role=Role.ADVISER, police_unit=PoliceUnit.objects.get(name="Noord-Holland")
        )
    return credentials


@pytest.fixture
def live_round(adviser_credentials: Credentials, django_db_blocker: Any) -> Iterator[ConsultationRound]:
    """A committed round of its own (the demo round stays as other tests expect it), removed afterwards."""

    def make() -> ConsultationRound:
        adviser = User.objects.get(username=adviser_credentials.username)
        cycle = ImvCycle.objects.get(name="IMV 2024-2027")
        return round_open_for_test(actor=adviser, cycle=cycle, label="Browserconcept")

    consultation = in_thread(django_db_blocker, make)
    yield consultation

    def remove() -> None:
        uuids = [consultation.uuid, *Participation.objects.filter(round=consultation).values_list("uuid", flat=True)]
        AuditEvent.objects.filter(object_uuid__in=uuids).delete()
        ConsultationRound.objects.filter(pk=consultation.pk).delete()
        DraftVersion.objects.filter(pk=consultation.draft_version_id).delete()

    in_thread(django_db_blocker, remove)


def schedule(blocker: Any, consultation: ConsultationRound, cbs_code: str, *, in_days: int) -> date:
    """Another person's change, committed: the service announces it to open boards after commit."""

    def work() -> date:
        participation = Participation.objects.get(round=consultation, municipality__cbs_code=cbs_code)
        council_date = db_now().date() + timedelta(days=in_days)
        services.participation_schedule(
            actor=User.objects.get(username="browser-board-adviseur"),
            participation=participation,
            committee_date=None,
            council_date=council_date,
        )
        return council_date

    return in_thread(blocker, work)


def open_board(page: Page, credentials: Credentials, consultation: ConsultationRound) -> None:
    page.goto("/inloggen/")
    log_in(page, credentials)
    page.goto(f"/regio/imv/rondes/{consultation.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Statusbord consultatie IMV 2024-2027")


def row(page: Page, municipality: str) -> Any:
    table = page.get_by_role("table", name="Status van")
    return table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=municipality, exact=True))


def test_board_updates_live_without_reload(page: Page, adviser_credentials, live_round, django_db_blocker):
    open_board(page, adviser_credentials, live_round)
    status = page.get_by_role("status").filter(has_text="Live")
    expect(status).to_contain_text("Live: de tabel werkt zichzelf bij.")
    haarlem = row(page, "Haarlem")
    expect(haarlem).to_contain_text("uitgenodigd")
    expect(haarlem).to_contain_text("nog niet bekend")
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert_no_axe_violations(page, "the status board")
    page.evaluate("() => { window.boardNotReloaded = true; }")

    schedule(django_db_blocker, live_round, "GM0392", in_days=3)

    expect(haarlem).to_contain_text("geagendeerd")
    expect(haarlem).not_to_contain_text("nog niet bekend")
    expect(page.locator('[data-status="geagendeerd"]')).to_contain_text("1")
    expect(status).to_contain_text("Tabel bijgewerkt om")
    assert page.evaluate("() => window.boardNotReloaded === true"), "the page reloaded instead of updating"
    assert_no_axe_violations(page, "the status board after a live update")


def test_board_without_live_connection_says_so_and_refreshes_by_hand(
    page: Page, adviser_credentials, live_round, django_db_blocker
):
    # As when Redis is down: the server accepts the socket and closes it at once (code 1011).
    page.route_web_socket("**/ws/imv/rondes/**", lambda ws: ws.close(code=1011, reason="channel layer unreachable"))
    open_board(page, adviser_credentials, live_round)
    status = page.locator("#board-live-status")
    expect(status).to_contain_text("Niet live — ververs handmatig.")
    refresh = page.get_by_role("link", name="Tabel verversen")
    expect(refresh).to_be_visible()
    assert_no_axe_violations(page, "the status board when not live")
    page.evaluate("() => { window.boardNotReloaded = true; }")

    schedule(django_db_blocker, live_round, "GM0377", in_days=4)
    refresh.click()

    expect(row(page, "Bloemendaal")).to_contain_text("geagendeerd")
    expect(status).to_contain_text("Tabel bijgewerkt om")
    expect(status).to_contain_text("Niet live — ververs handmatig.")
    page.screenshot(path=SCREENSHOT_NOT_LIVE, full_page=True)
    assert page.evaluate("() => window.boardNotReloaded === true")


def test_adviser_pages_pass_axe_also_with_errors(page: Page, adviser_credentials, live_round, django_db_blocker):
    def prepare() -> tuple[str, str, str]:
        participation = Participation.objects.get(round=live_round, municipality__cbs_code="GM0392")
        request = services.extension_request(
            actor=User.objects.get(username=adviser_credentials.username),
            participation=participation,
            reason="De raad vergadert pas na de uiterste datum.",
            requested_deadline=participation.deadline + timedelta(days=7),
        )
        demo = ConsultationRound.objects.get(is_example=True)
        submitted = demo.participations.filter(opinions__isnull=False).first()
        assert submitted is not None
        return str(request.uuid), str(demo.uuid), str(submitted.uuid)

    request_uuid, demo_uuid, submitted_uuid = in_thread(django_db_blocker, prepare)
    open_board(page, adviser_credentials, live_round)
    expect(page.get_by_role("link", name="Beoordeel het verzoek van Haarlem")).to_be_visible()

    page.goto("/regio/imv/")
    expect(page.get_by_role("heading", level=1)).to_have_text("IMV-consultatie")
    assert_no_axe_violations(page, "the IMV overview")

    page.get_by_role("link", name="Consultatieronde openen").click()
    page.get_by_role("button", name="Ronde openen en gemeenten uitnodigen").click()
    expect(page.get_by_label("Uiterste datum zienswijze")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page, "the round form with errors")

    page.goto(f"/regio/imv/uitstelverzoeken/{request_uuid}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitstelverzoek van Haarlem")
    assert_no_axe_violations(page, "an extension request")

    page.goto(f"/regio/imv/rondes/{demo_uuid}/zienswijzen/")
    assert_no_axe_violations(page, "the opinions of the demo round")
    page.goto(f"/regio/imv/rondes/{demo_uuid}/zienswijzen/{submitted_uuid}/")
    page.locator("#reactie-geheel").get_by_role("button", name="Reactie op de zienswijze opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("De reactie is niet opgeslagen.")
    expect(page.locator("#reactie-geheel").get_by_label("Reactie van de regio")).to_have_accessible_description(
        "Dit veld is vereist."
    )
    assert_no_axe_violations(page, "an opinion with a refused reaction")
