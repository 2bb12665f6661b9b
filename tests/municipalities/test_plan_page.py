"""The plan page as read: steps, milestones, priorities and the alignment with its formula; readers
get no form; no page of one municipality shows another's rows; the queries do not grow with the plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from municipalities.models import Action, ImplementationPlan, SafetyPlan
from municipalities.services import MeasurementInput, kpi_save
from tenants.models import Role
from tests.municipalities.plan_helpers import CYBER, add_priority, plan_2024, plan_url, schema_uuids, text, theme

pytestmark = pytest.mark.django_db


# --- Reading -------------------------------------------------------------------------------------
def test_plan_page_shows_steps_milestones_and_alignment_with_its_formula(staff, heemstede):
    plan = plan_2024(heemstede)

    response = staff.get(plan_url(heemstede, plan))

    assert response.status_code == 200
    page = text(response)
    assert "Beleidsplan Integrale Veiligheid Heemstede 2024-2027" in page
    assert "in voorbereiding" in page
    for step in ("1. opstart", "2. veiligheidsanalyse", "3. prioritering", "4. opstellen IVP", "5. uitvoeringsplan"):
        assert step in page
    for milestone in ("19 september 2023", "4 december 2023", "21 december 2023", "Enquête onder inwoners"):
        assert milestone in page
    assert "Tegen het IMV 2024-2027" in page
    assert "dekking = aantal vastgestelde regionale thema's met minstens één gekoppelde lokale prioriteit" in page
    assert "aansluiting = aantal lokale prioriteiten gekoppeld aan minstens één IMV-thema" in page
    assert "Voorbeeld: verzonnen" not in page  # Heemstede's plan is real


def test_priorities_are_grouped_by_safety_field_with_kpis_and_the_alignment_follows(staff, heemstede):
    plan = plan_2024(heemstede)
    priority = add_priority(heemstede, plan, "Ondermijning in Heemstede", [theme("Ondermijning")])
    with schema_context(heemstede.schema_name):
        kpi_save(
            municipality=heemstede,
            priority=priority,
            name="Meldingen ondermijning",
            unit="aantal per jaar",
            baseline_value=Decimal(12),
            baseline_year=2023,
            target_value=Decimal(20),
            target_year=2027,
            story="Meer meldingen betekent hier meer alertheid, niet meer criminaliteit.",
            measurements=[MeasurementInput(year=2024, value=Decimal(15))],
        )

    page = text(staff.get(plan_url(heemstede, plan)))

    assert "5. Integriteit en veiligheid" in page
    assert "5.2 Georganiseerde criminaliteit / ondermijning" in page
    assert "Meldingen ondermijning (aantal per jaar)" in page
    assert "Het verhaal achter de cijfers: Meer meldingen betekent hier meer alertheid" in page
    assert "1 van 4 vastgestelde regionale thema's hebben een lokale prioriteit" in page
    assert "= 1 ÷ 4" in page
    assert "Cybercrime en gedigitaliseerde criminaliteit" in page  # a regional theme still uncovered


def test_example_plan_says_it_is_invented(make_user, client_for, haarlem):
    client = client_for(make_user(Role.OOV, haarlem))

    page = text(client.get(plan_url(haarlem, plan_2024(haarlem))))

    assert "Voorbeeld: verzonnen." in page


@pytest.mark.parametrize("role", [Role.ADVISER, Role.RBOP])
def test_adviser_and_rbop_read_the_plan_without_any_form(make_user, client_for, heemstede, role):
    client = client_for(make_user(role))
    plan = plan_2024(heemstede)
    add_priority(heemstede, plan, "Ondermijning in Heemstede", [theme("Ondermijning")])

    response = client.get(plan_url(heemstede, plan))

    assert response.status_code == 200
    body = response.content.decode()
    assert "U leest mee: alleen medewerkers van Heemstede wijzigen dit plan." in text(response)
    assert "Ondermijning in Heemstede" in body
    assert "/bewerken/" not in body
    assert "/nieuw/" not in body
    assert "/verwijderen/" not in body
    assert "<form" not in body.split('id="main"')[1]


def test_home_page_links_each_plan_to_its_page(staff, heemstede):
    response = staff.get(f"/gemeenten/{heemstede.slug}/")

    body = response.content.decode()
    with schema_context(heemstede.schema_name):
        for plan in SafetyPlan.objects.all():
            assert f'href="{plan_url(heemstede, plan)}"' in body


def test_haarlem_plan_page_never_shows_heemstede_uuids(make_user, client_for, heemstede, haarlem, all_three):
    heemstede_plan = plan_2024(heemstede)
    # A Heemstede priority on the same IMV themes as Haarlem's, so the pages have something to confuse.
    add_priority(heemstede, heemstede_plan, "Cybercrime Heemstede", [theme(CYBER), theme("Ondermijning")])
    forbidden = schema_uuids(heemstede) | schema_uuids(all_three[2])
    haarlem_plan = plan_2024(haarlem)
    for client in (client_for(make_user(Role.OOV, haarlem)), client_for(make_user(Role.ADVISER))):
        for path in ("", "importeren/", "prioriteiten/nieuw/"):
            response = client.get(plan_url(haarlem, haarlem_plan, path))
            body = response.content.decode()
            assert response.status_code in (200, 403)
            leaked = [u for u in forbidden if u in body]
            assert not leaked, (path, leaked)
            assert "Cybercrime Heemstede" not in body


def test_another_municipalitys_plan_is_not_found_under_own_address(staff, heemstede, haarlem):
    haarlem_plan = plan_2024(haarlem)

    assert staff.get(plan_url(heemstede, haarlem_plan)).status_code == 404
    assert staff.post(plan_url(heemstede, haarlem_plan, "prioriteiten/nieuw/"), {"title": "x"}).status_code == 404


def test_plan_page_queries_do_not_grow_with_priorities_indicators_and_actions(staff, heemstede):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = plan_2024(heemstede)
    url = plan_url(heemstede, plan)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert staff.get(url).status_code == 200
        return len(context.captured_queries)

    def add(n: int) -> None:
        priority = add_priority(heemstede, plan, f"Prioriteit {n}", [theme("Ondermijning"), theme(CYBER)])
        with schema_context(heemstede.schema_name):
            kpi_save(
                municipality=heemstede,
                priority=priority,
                name=f"Indicator {n}",
                unit="aantal",
                measurements=[MeasurementInput(year=y, value=Decimal(n)) for y in (2024, 2025)],
            )
            yearly, _ = ImplementationPlan.objects.get_or_create(plan=plan, year=2024 + n % 3)
            Action.objects.create(implementation_plan=yearly, priority=priority, title=f"Actie {n}", owner="OOV")

    add(1)
    small = queries()
    for n in range(2, 8):
        add(n)
    assert queries() == small
