"""Fixtures of the people tests: a coordinator of Heemstede, the adviser of Noord-Holland, a platform
administrator, and a coordinator of Haarlem, each with a name and an e-mail address."""

from __future__ import annotations

import pytest

from tenants.models import Municipality, PoliceUnit, Role, User
from tests.conftest import MakeUser


@pytest.fixture
def coordinator(make_user: MakeUser, heemstede: Municipality) -> User:
    return make_user(Role.COORDINATOR, heemstede, first_name="Cora", last_name="Coördinator", email="cora@heemstede.nl")


@pytest.fixture
def haarlem_coordinator(make_user: MakeUser, haarlem: Municipality) -> User:
    return make_user(Role.COORDINATOR, haarlem, first_name="Harm", last_name="Haarlem", email="harm@haarlem.nl")


@pytest.fixture
def adviser(make_user: MakeUser) -> User:
    return make_user(Role.ADVISER, first_name="Ada", last_name="Adviseur", email="ada@politie.example")


@pytest.fixture
def platform_admin(db: None) -> User:
    return User.objects.create_user(
        username="platformbeheer",
        password="correct horse battery",
        first_name="Bea",
        last_name="Beheer",
        email="bea@regioportaal.example",
        is_staff=True,
    )


@pytest.fixture
def utrecht(db: None) -> PoliceUnit:
    return PoliceUnit.objects.create(name="Midden-Nederland", slug="midden-nederland")


@pytest.fixture
def utrecht_city(utrecht: PoliceUnit) -> Municipality:
    """Utrecht, of another police unit: a row only (bulk_create makes no schema; the people rules need none)."""
    (municipality,) = Municipality.objects.bulk_create(
        [Municipality(schema_name="gm0344", cbs_code="GM0344", name="Utrecht", police_unit=utrecht)]
    )
    return municipality
