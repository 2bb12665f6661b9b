"""The council decision's Woo category: present in every database from its first migrate, and required
by the service (not only by the form), so no decision is stored without the category it is filed under."""

from __future__ import annotations

import csv

import pytest

from imv import services
from imv.clock import amsterdam_date, db_now
from imv.models import Participation, ParticipationStatus, WooCategory
from imv.reference import WOO_CSV
from portal.exceptions import PortalError
from tests.imv.conftest import decision

pytestmark = pytest.mark.django_db


def test_every_database_has_the_woo_categories_of_the_reference_file():
    with WOO_CSV.open(encoding="utf-8-sig", newline="") as handle:
        expected = {row["tooi_uri"]: row["label"] for row in csv.DictReader(handle)}
    assert dict(WooCategory.objects.values_list("tooi_uri", "label")) == expected
    assert len(expected) >= 17


def test_a_decision_without_woo_category_is_refused_by_the_service(participation_of, heemstede, heemstede_staff):
    p = services.participation_schedule(
        actor=heemstede_staff,
        participation=participation_of(heemstede),
        committee_date=None,
        council_date=amsterdam_date(db_now()),
    )
    with pytest.raises(PortalError) as info:
        services.participation_adopt(actor=heemstede_staff, participation=p, decision=decision(woo_category=None))
    assert info.value.errors["woo_category"] == ["Kies de Woo-informatiecategorie waaronder het besluit valt."]
    assert Participation.objects.get(pk=p.pk).status == ParticipationStatus.SCHEDULED
