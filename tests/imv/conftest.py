"""Fixtures for the IMV consultation: a fresh round on the demo IMV, and people to act in it; below, the
fixtures that the board, dashboard, round page and reminder tests share."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context

from imv import services
from imv.clock import AMSTERDAM, db_now
from imv.demo import minimal_pdf
from imv.models import ConsultationRound, ImvCycle, Openbaarheid, Participation, Theme, WooCategory
from municipalities.models import SafetyPlan
from municipalities.services import priority_save
from tenants.models import District, Municipality, Role, User
from tests.factories import round_open_for_test
from tests.imv.board_helpers import submit


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
        "woo_category": WooCategory.objects.order_by("order").first(),
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


# --- The adviser's board and the RBOP dashboard ----------------------------------------------
@pytest.fixture
def rbop(make_user):
    return make_user(Role.RBOP)


@pytest.fixture
def bloemendaal_in_noord(noord_holland, bloemendaal):
    """Two districts on the board and the dashboard: the test region holds only Kennemerland municipalities."""
    noord, _ = District.objects.get_or_create(police_unit=noord_holland, name="Noord-Holland Noord")
    Municipality.objects.filter(pk=bloemendaal.pk).update(district=noord)
    return noord


@pytest.fixture
def submitted(adopted, heemstede_staff, top_themes):
    """Heemstede's opinion on the round: supports theme 1, objects to theme 2, and so on."""
    return submit(adopted, heemstede_staff, top_themes)


# --- The RBOP dashboard ---------------------------------------------------------------------
@pytest.fixture
def themes(cycle) -> dict[str, Theme]:
    return {t.name: t for t in cycle.themes.all()}


@pytest.fixture
def heemstede_priorities(heemstede, themes):
    """Heemstede's 2024 plan (real, not an example) gets two priorities on Ondermijning (one of them
    through two of its sub-themes, which counts once) and one on Jeugd en Veiligheid."""
    ondermijning = themes["Ondermijning"]
    subthemes = list(ondermijning.subthemes.all()[:2])
    assert len(subthemes) == 2
    with schema_context(heemstede.schema_name):
        plan = SafetyPlan.objects.get(period_start=2024)
        for title, linked in [
            ("Ondermijning aanpakken", [ondermijning]),
            ("Drugshandel en witwassen", subthemes),
            ("Jeugd op straat", [themes["Jeugd en Veiligheid"]]),
        ]:
            priority_save(
                municipality=heemstede,
                plan=plan,
                title=title,
                field_code="1",
                theme_code="1.1",
                imv_themes=[t.uuid for t in linked],
            )


# --- The municipality's round page ------------------------------------------------------------
@pytest.fixture
def staff_client(client_for, heemstede_staff):
    return client_for(heemstede_staff)


@pytest.fixture
def heemstede_p(participation_of, heemstede) -> Participation:
    return participation_of(heemstede)


@pytest.fixture
def scheduled(heemstede_p, heemstede_staff) -> Participation:
    return services.participation_schedule(
        actor=heemstede_staff, participation=heemstede_p, committee_date=None, council_date=db_now().date()
    )


# --- Reminders ------------------------------------------------------------------------------
@pytest.fixture
def deadline(consultation) -> datetime:
    """Everyone's own deadline: 23:59:59 in Amsterdam, 20 days from now (the RBOP meets in 30)."""
    day = db_now().astimezone(AMSTERDAM).date() + timedelta(days=20)
    moment = datetime.combine(day, time(23, 59, 59), AMSTERDAM)
    ConsultationRound.objects.filter(pk=consultation.pk).update(deadline=moment)
    Participation.objects.filter(round=consultation).update(deadline=moment)
    return moment


@pytest.fixture
def staff(make_user, heemstede, haarlem, bloemendaal) -> dict[str, User]:
    return {
        "heemstede-oov": make_user(Role.OOV, heemstede, email="oov@heemstede.example"),
        "heemstede-griffie": make_user(Role.GRIFFIE, heemstede, email="griffie@heemstede.example"),
        "heemstede-zonder-mail": make_user(Role.OOV, heemstede, email=""),
        "heemstede-uit-dienst": make_user(Role.OOV, heemstede, email="weg@heemstede.example", is_active=False),
        "haarlem-oov": make_user(Role.OOV, haarlem, email="oov@haarlem.example"),
        "bloemendaal-griffie": make_user(Role.GRIFFIE, bloemendaal, email="griffie@bloemendaal.example"),
        "adviseur": make_user(Role.ADVISER, email="adviseur@regio.example"),
    }
