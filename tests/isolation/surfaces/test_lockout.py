"""Login lockout: A's failed logins lock A's account, never B's staff behind the same address.

django-axes counts failures per username (portal.settings, AXES_LOCKOUT_PARAMETERS), not per
address: the staff of several municipalities share a town hall's or a shared service centre's
NAT address. Seen to fail: with the earlier ["ip_address", "username"] (either parameter locks),
B's login from A's address is refused with 429; with [["username", "ip_address"]] only, A's
account opens again from a second address, so brute force on it is not bounded.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tenants.models import Municipality, Role, User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # make_user's
TOWN_HALL = "192.0.2.10"  # one NAT address for the staff of both municipalities
ELSEWHERE = "198.51.100.7"


def log_in(user: User, password: str, address: str) -> tuple[int, str | None]:
    """One login attempt from an address: the status (302 in, 200 refused, 429 locked) and who is signed in."""
    client = Client(REMOTE_ADDR=address)
    response = client.post("/inloggen/", {"username": user.username, "password": password})
    return response.status_code, client.session.get("_auth_user_id")


@pytest.mark.parametrize(("a", "b"), [("heemstede", "haarlem"), ("haarlem", "heemstede")])
def test_failures_for_a_lock_as_account_and_b_staff_at_the_same_address_still_log_in(
    request, make_user, a, b, caplog, settings
):
    municipality_a: Municipality = request.getfixturevalue(a)
    municipality_b: Municipality = request.getfixturevalue(b)
    user_a = make_user(Role.OOV, municipality_a)
    user_b = make_user(Role.OOV, municipality_b)

    with caplog.at_level("WARNING", logger="portal.security"):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert log_in(user_a, "fout", TOWN_HALL) == (200, None)
        assert log_in(user_a, "fout", TOWN_HALL) == (429, None)  # the tenth locks

        # A's account is locked, also with the right password, from any address: bounded brute force.
        for address in (TOWN_HALL, ELSEWHERE):
            assert log_in(user_a, PASSWORD, address) == (429, None), address

    events = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert events, "the lockout is not logged as a security event"
    assert all(e.startswith("login_locked_out ") for e in events)
    assert all(f"username={user_a.username}" in e for e in events)
    assert f"ip={TOWN_HALL}" in events[0]

    # B's staff, behind the same address, are not touched by A's failures.
    assert log_in(user_b, PASSWORD, TOWN_HALL) == (302, str(user_b.pk))


def test_bs_own_failures_next_to_as_lockout_do_not_lock_b(make_user, heemstede, haarlem, settings):
    user_a = make_user(Role.OOV, heemstede)
    user_b = make_user(Role.GRIFFIE, haarlem)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(user_a, "fout", TOWN_HALL)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(user_b, "fout", TOWN_HALL) == (200, None)
    assert log_in(user_b, PASSWORD, TOWN_HALL) == (302, str(user_b.pk))
    assert log_in(user_a, PASSWORD, TOWN_HALL) == (429, None)
