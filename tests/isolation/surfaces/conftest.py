"""Fixtures for the surface tests: the staff of A (Heemstede) and B (Haarlem) with e-mail, a round
that is the only open one, and a second police unit with its own adviser and round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from imv.clock import db_now
from imv.models import ConsultationRound, ImvCycle
from tenants.models import Membership, Municipality, PoliceUnit, Role, User
from tests.factories import round_open_for_test


@dataclass
class Side:
    """One municipality of the test and two of its staff, one OOV and one griffie."""

    municipality: Municipality
    oov: User
    griffie: User

    @property
    def emails(self) -> set[str]:
        return {self.oov.email, self.griffie.email}


def side(make_user, municipality: Municipality) -> Side:
    code = municipality.cbs_code.lower()
    return Side(
        municipality=municipality,
        oov=make_user(Role.OOV, municipality, email=f"oov@{code}.example"),
        griffie=make_user(Role.GRIFFIE, municipality, email=f"griffie@{code}.example"),
    )


@pytest.fixture
def side_a(make_user, heemstede) -> Side:
    return side(make_user, heemstede)


@pytest.fixture
def side_b(make_user, haarlem) -> Side:
    return side(make_user, haarlem)


@pytest.fixture
def only_round(consultation) -> ConsultationRound:
    """The test's round, with every other round (the demo's) closed, so only it sends reminders."""
    past = db_now() - timedelta(days=30)
    ConsultationRound.objects.exclude(pk=consultation.pk).update(deadline=past, rbop_meeting=past + timedelta(days=1))
    return consultation


@dataclass
class OtherUnit:
    """A second police unit: its adviser and an open round of its own IMV (no municipalities needed)."""

    unit: PoliceUnit
    adviser: User
    round: ConsultationRound


@pytest.fixture
def other_unit(db: None) -> OtherUnit:
    unit, _created = PoliceUnit.objects.get_or_create(name="Oost-Nederland", defaults={"slug": "oost-nederland"})
    adviser = User.objects.create_user(username="adviseur-oost", password="correct horse battery")
    Membership.objects.create(user=adviser, role=Role.ADVISER, police_unit=unit)
    cycle = ImvCycle.objects.create(
        police_unit=unit, name="IMV Oost-Nederland 2024-2027", period_start=2024, period_end=2027
    )
    consultation = round_open_for_test(actor=adviser, cycle=cycle, label="Concept Oost")
    return OtherUnit(unit=unit, adviser=adviser, round=consultation)
