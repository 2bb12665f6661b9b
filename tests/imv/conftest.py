"""Fixtures for the IMV consultation: a fresh round on the demo IMV, and people to act in it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile

from imv import services
from imv.clock import db_now
from imv.demo import minimal_pdf
from imv.models import ConsultationRound, ImvCycle, Openbaarheid, Participation, Theme
from tenants.models import Municipality, Role, User
from tests.factories import round_open_for_test


@pytest.fixture
def cycle(db: None) -> ImvCycle:
    return ImvCycle.objects.get(name="IMV 2024-2027")


@pytest.fixture
def adviser(make_user) -> User:
    return make_user(Role.ADVISER)


@pytest.fixture
def heemstede_staff(make_user, heemstede) -> User:
    return make_user(Role.OOV, heemstede)


@pytest.fixture
def consultation(cycle, adviser) -> ConsultationRound:
    return round_open_for_test(actor=adviser, cycle=cycle, label="Testconcept")


@pytest.fixture
def participation_of(consultation):
    def get(municipality: Municipality) -> Participation:
        return Participation.objects.get(round=consultation, municipality=municipality)

    return get


def decision(**overrides: Any) -> services.CouncilDecision:
    values: dict[str, Any] = {
        "decision_date": db_now().date() - timedelta(days=1),
        "case_number": "Z-2023-001",
        "document": ContentFile(minimal_pdf("Raadsbesluit"), name="besluit.pdf"),
        "openbaarheid": Openbaarheid.PUBLIC,
        "woo_category": None,
    }
    values.update(overrides)
    return services.CouncilDecision(**values)


@pytest.fixture
def adopted(participation_of, heemstede, heemstede_staff) -> Participation:
    """Heemstede's participation with its council decision recorded."""
    p = participation_of(heemstede)
    p = services.participation_schedule(
        actor=heemstede_staff, participation=p, committee_date=None, council_date=db_now().date()
    )
    return services.participation_adopt(actor=heemstede_staff, participation=p, decision=decision())


@pytest.fixture
def top_themes(cycle) -> list[Theme]:
    return list(cycle.themes.filter(parent__isnull=True))
