"""Who writes through the plan pages: only the municipality's own staff, through every write address,
and only in its own schema; everyone else gets 403 and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django_tenants.utils import schema_context

from municipalities.models import (
    Action,
    ImplementationPlan,
    Kpi,
    Milestone,
    ParticipationEvent,
    PlanDecision,
    Principle,
    SafetyPlan,
)
from municipalities.services import priority_save
from tenants.models import Municipality, Role
from tests.municipalities.plan_helpers import plan_2024, plan_url, snapshot

pytestmark = pytest.mark.django_db


# --- Writing: who may -----------------------------------------------------------------------------
def write_requests(municipality: Municipality) -> list[tuple[str, dict[str, Any]]]:
    """Every write address of the plan page, with a valid POST for each."""
    plan = plan_2024(municipality)
    with schema_context(municipality.schema_name):
        priority = plan.priorities.first() or priority_save(
            municipality=municipality, plan=plan, title="Te wijzigen", field_code="1", theme_code="1.1", imv_themes=[]
        )
        kpi = Kpi.objects.create(priority=priority, name="Indicator", unit="aantal")
        yearly, _ = ImplementationPlan.objects.get_or_create(plan=plan, year=2025)
        action = Action.objects.create(implementation_plan=yearly, title="Actie", owner="OOV")
        milestone = Milestone.objects.create(plan=plan, title="Mijlpaal", starts_on="2024-01-10")
        principle = Principle.objects.create(plan=plan, title="Uitgangspunt")
        event = ParticipationEvent.objects.create(plan=plan, kind="thematafel", date="2024-02-01")
        decision = PlanDecision.objects.create(plan=plan, date="2024-03-01", case_number="1", openbaarheid="openbaar")
    priority_data = {"title": "Nieuw", "field_code": "1", "theme_code": "1.1"}
    return [
        ("bewerken/", {"title": "Gewijzigd", "status": plan.status, "summary": ""}),
        ("prioriteiten/nieuw/", priority_data),
        (f"prioriteiten/{priority.uuid}/bewerken/", priority_data),
        (f"prioriteiten/{priority.uuid}/indicatoren/nieuw/", {"name": "Nieuw", "unit": "aantal"}),
        (f"indicatoren/{kpi.uuid}/bewerken/", {"name": "Nieuw", "unit": "aantal", "measurement_2024": "3"}),
        (f"indicatoren/{kpi.uuid}/verwijderen/", {}),
        ("uitvoeringsplannen/nieuw/", {"year": "2026"}),
        (f"uitvoeringsplannen/{yearly.uuid}/bewerken/", {"year": "2025", "look_back": "Goed jaar"}),
        (f"uitvoeringsplannen/{yearly.uuid}/acties/nieuw/", {"title": "Nieuw", "owner": "OOV", "status": "gepland"}),
        (f"acties/{action.uuid}/bewerken/", {"title": "Nieuw", "owner": "OOV", "status": "lopend"}),
        (f"acties/{action.uuid}/verwijderen/", {}),
        (f"uitvoeringsplannen/{yearly.uuid}/verwijderen/", {}),
        ("stappen/opstart/bewerken/", {"planned_start": "2024-01-01", "note": "x"}),
        ("mijlpalen/nieuw/", {"title": "Nieuw", "starts_on": "2024-05-01"}),
        (f"mijlpalen/{milestone.uuid}/bewerken/", {"title": "Nieuw", "starts_on": "2024-05-01"}),
        (f"mijlpalen/{milestone.uuid}/verwijderen/", {}),
        ("uitgangspunten/nieuw/", {"title": "Nieuw"}),
        (f"uitgangspunten/{principle.uuid}/bewerken/", {"title": "Nieuw"}),
        (f"uitgangspunten/{principle.uuid}/verwijderen/", {}),
        ("participatie/nieuw/", {"kind": "enquete", "date": "2024-09-01"}),
        (f"participatie/{event.uuid}/bewerken/", {"kind": "enquete", "date": "2024-09-01"}),
        (f"participatie/{event.uuid}/verwijderen/", {}),
        ("raadsbesluiten/nieuw/", {"date": "2024-12-21", "case_number": "2", "openbaarheid": "openbaar"}),
        (
            f"raadsbesluiten/{decision.uuid}/bewerken/",
            {"date": "2024-12-21", "case_number": "2", "openbaarheid": "openbaar"},
        ),
        (f"raadsbesluiten/{decision.uuid}/verwijderen/", {}),
        (f"prioriteiten/{priority.uuid}/verwijderen/", {}),
        ("importeren/", {"soort": "prioriteiten"}),
        ("importeren/bevestigen/", {"digest": "0" * 64}),
    ]


@pytest.mark.parametrize("who", ["haarlem-staff", Role.ADVISER, Role.RBOP, "no-role"])
def test_nobody_but_own_staff_writes_through_any_plan_page(who, make_user, client_for, heemstede, haarlem, all_three):
    if who == "haarlem-staff":
        user = make_user(Role.OOV, haarlem)
    elif who == "no-role":
        user = make_user(None)
    else:
        user = make_user(who)
    client = client_for(user)
    requests = write_requests(heemstede)
    plan = plan_2024(heemstede)
    before = snapshot(all_three)

    for path, data in requests:
        url = plan_url(heemstede, plan, path)
        if not path.endswith("bevestigen/"):
            assert client.get(url).status_code == 403, (who, path)
        assert client.post(url, data).status_code == 403, (who, path)

    assert snapshot(all_three) == before


def test_own_staff_writes_through_every_plan_page_and_only_in_its_own_schema(staff, heemstede, all_three):
    requests = write_requests(heemstede)
    plan = plan_2024(heemstede)
    others = all_three[1:]
    before = snapshot(others)

    for path, data in requests:
        url = plan_url(heemstede, plan, path)
        if not path.startswith("importeren/"):
            assert staff.get(url).status_code == 200, path
            response = staff.post(url, data)
            assert response.status_code == 302, (path, response.content.decode()[:3000])
            assert str(response["Location"]).startswith(plan_url(heemstede, plan)), path

    assert snapshot(others) == before
    with schema_context(heemstede.schema_name):
        assert SafetyPlan.objects.get(pk=plan.pk).title == "Gewijzigd"
        assert plan.steps.get(kind="opstart").note == "x"
        assert plan.participation_events.filter(kind="enquete").count() == 1
        assert plan.implementation_plans.filter(year=2026).exists()
