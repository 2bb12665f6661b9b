"""Fixtures for the plan page tests: Heemstede's OOV staff logged in, and all three test municipalities."""

from __future__ import annotations

import pytest
from django.test import Client

from tenants.models import Municipality, Role


@pytest.fixture
def all_three(heemstede, haarlem, bloemendaal) -> list[Municipality]:
    return [heemstede, haarlem, bloemendaal]


@pytest.fixture
def staff(make_user, client_for, heemstede) -> Client:
    return client_for(make_user(Role.OOV, heemstede))
