"""Fixtures shared by every test: a real PostgreSQL test database with three municipality schemas.

The test database is made once per run: shared migrations, then Heemstede, Haarlem and
Bloemendaal with their own schemas and demo content (the same code path as `make run`).
Each test runs in a transaction that is rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import setup_databases, teardown_databases
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from imv.models import OutgoingEmail, OutgoingEmailStatus
from portal import settings_test
from tenants.models import Membership, Municipality, PoliceUnit, Role, User
from tenants.services import api_token_create
from tests.live import live_server_url  # noqa: F401 (the real ASGI server: browser and HTTP tests)

TEST_MUNICIPALITIES = ("GM0397", "GM0392", "GM0377")  # Heemstede, Haarlem, Bloemendaal


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    made = None
    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] == settings_test.NO_DATABASE:
            # pytest-django makes the test database only for tests that ask for ``db`` or a django_db
            # mark; the browser tests use committed rows and a server of their own, so run alone they
            # would get none. Make it here, as pytest-django would have.
            made = setup_databases(verbosity=0, interactive=False, aliases={"default": False})
        call_command("load_demo", "--only", ",".join(TEST_MUNICIPALITIES), verbosity=0)
        # The demo's example submissions queued e-mails to the demo adviser: count them as sent, so
        # that a test that sends the mail outbox sees only the e-mail it caused.
        OutgoingEmail.objects.filter(status=OutgoingEmailStatus.PENDING).update(
            status=OutgoingEmailStatus.SENT, sent_at=timezone.now()
        )
    yield
    if made is not None:
        with django_db_blocker.unblock():
            teardown_databases(made, verbosity=0)


@pytest.fixture
def noord_holland(db: None) -> PoliceUnit:
    return PoliceUnit.objects.get(name="Noord-Holland")


@pytest.fixture
def heemstede(db: None) -> Municipality:
    return Municipality.objects.get(cbs_code="GM0397")


@pytest.fixture
def haarlem(db: None) -> Municipality:
    return Municipality.objects.get(cbs_code="GM0392")


@pytest.fixture
def bloemendaal(db: None) -> Municipality:
    return Municipality.objects.get(cbs_code="GM0377")


MakeUser = Callable[..., User]


@pytest.fixture
def make_user(db: None, noord_holland: PoliceUnit) -> MakeUser:
    """make_user(role, municipality=None): a user with one role; regional roles get Noord-Holland."""
    counter = iter(range(10_000))

    def make(role: str | None, municipality: Municipality | None = None, **fields: Any) -> User:
        user = User.objects.create_user(
            username=f"user{next(counter)}-{role}", password="correct horse battery", **fields
        )
        if role in (Role.ADVISER, Role.RBOP):
            Membership.objects.create(user=user, role=role, police_unit=noord_holland)
        elif role is not None:
            Membership.objects.create(user=user, role=role, municipality=municipality)
        return user

    return make


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_client_for() -> Callable[[User], APIClient]:
    """An API client with a bearer token bound to the user's (first) membership."""

    def make(user: User) -> APIClient:
        membership = user.memberships.first()
        assert membership is not None
        _token, key = api_token_create(membership=membership, name=f"test {user.username}")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make


@pytest.fixture
def in_schema() -> Callable[[Municipality], Any]:
    def enter(municipality: Municipality) -> Any:
        return schema_context(municipality.schema_name)

    return enter


@pytest.fixture(autouse=True)
def _public_schema_after_test() -> Iterator[None]:
    yield
    from django.db import connection

    connection.set_schema_to_public()  # type: ignore[attr-defined]
