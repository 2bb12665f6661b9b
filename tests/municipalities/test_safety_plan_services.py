"""municipalities.services: making a plan (its period rules) and removing one (only while it is not the
council's), each audited with the person who did it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from imv.models import PriorityProjection
from municipalities.models import PlanDecision, PlanStatus, SafetyPlan
from municipalities.services import (
    MeasurementInput,
    kpi_save,
    priority_save,
    safety_plan_create,
    safety_plan_delete,
    safety_plan_delete_refusal,
)
from portal.exceptions import PortalError
from tenants.models import AuditEvent, Role
from tests.municipalities.plan_helpers import plan_2024, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def oov(make_user, heemstede):
    return make_user(Role.OOV, heemstede)


def create(heemstede, actor, **values):
    fields = {"title": "Integraal Veiligheidsplan 2028-2031", "period_start": 2028, "period_end": 2031, **values}
    with schema_context(heemstede.schema_name):
        return safety_plan_create(municipality=heemstede, actor=actor, **fields)


def refused(heemstede, actor, **values) -> dict[str, list[str]]:
    before = snapshot([heemstede])
    audit = AuditEvent.objects.count()
    with pytest.raises(PortalError) as caught:
        create(heemstede, actor, **values)
    assert caught.value.message == "Het veiligheidsplan is niet opgeslagen."
    assert snapshot([heemstede]) == before
    assert AuditEvent.objects.count() == audit
    return caught.value.errors


def test_safety_plan_create_stores_the_plan_and_audits_every_value(heemstede, oov):
    plan = create(heemstede, oov, title="  Integraal Veiligheidsplan 2028-2031 ", summary="Vier jaar veilig.")

    with schema_context(heemstede.schema_name):
        stored = SafetyPlan.objects.get(uuid=plan.uuid)
    assert (stored.title, stored.period_start, stored.period_end) == ("Integraal Veiligheidsplan 2028-2031", 2028, 2031)
    assert (stored.status, stored.summary, stored.is_example) == (PlanStatus.IN_PREPARATION, "Vier jaar veilig.", False)
    rows = {e.field: e for e in AuditEvent.objects.filter(object_uuid=plan.uuid)}
    assert set(rows) == {"aangemaakt", "title", "period_start", "period_end", "status", "summary", "is_example"}
    assert rows["aangemaakt"].new_value == "Integraal Veiligheidsplan 2028-2031"
    assert (rows["period_start"].old_value, rows["period_start"].new_value) == ("", "2028")
    assert all(
        e.actor == oov and e.municipality == heemstede and e.object_type == "veiligheidsplan" for e in rows.values()
    )


@pytest.mark.parametrize(
    ("start", "end", "field", "reason"),
    [
        (2031, 2028, "period_end", "Het laatste jaar ligt voor het eerste jaar."),
        (2028, 2034, "period_end", "Een plan beslaat één tot zes jaar, het laatste jaar na het eerste."),
        (1989, 1992, "period_start", "Een jaartal tussen 1990 en 2100."),
        (2099, 2101, "period_end", "Een jaartal tussen 1990 en 2100."),
    ],
)
def test_safety_plan_create_refuses_a_period_that_is_not_one_to_six_years(heemstede, oov, start, end, field, reason):
    errors = refused(heemstede, oov, period_start=start, period_end=end)

    assert errors == {field: [reason]}


@pytest.mark.parametrize(
    ("start", "end"), [(2027, 2030), (2022, 2025), (2024, 2027), (2021, 2022), (2019, 2020), (2023, 2024)]
)
def test_safety_plan_create_refuses_a_period_overlapping_another_plan(heemstede, oov, start, end):
    errors = refused(heemstede, oov, period_start=start, period_end=end)

    [reason] = errors["period_start"]
    assert reason.startswith("Deze periode overlapt met “")
    assert "een gemeente heeft voor elk jaar één veiligheidsplan" in reason


def test_safety_plan_create_allows_the_period_right_after_the_last_plan_and_a_six_year_one(heemstede, oov):
    create(heemstede, oov, period_start=2028, period_end=2033)
    create(heemstede, oov, title="Oud plan", period_start=2014, period_end=2019)

    with schema_context(heemstede.schema_name):
        assert sorted(SafetyPlan.objects.values_list("period_start", "period_end")) == [
            (2014, 2019),
            (2020, 2023),
            (2024, 2027),
            (2028, 2033),
        ]


def test_safety_plan_create_overlap_is_per_municipality(haarlem):
    # Haarlem's own plan runs 2024-2027; Heemstede's plans do not count for Haarlem.
    with schema_context(haarlem.schema_name):
        plan = safety_plan_create(
            municipality=haarlem, actor=None, title="Haarlem 2020-2023", period_start=2020, period_end=2023
        )
    assert AuditEvent.objects.get(object_uuid=plan.uuid, field="aangemaakt").actor_label == "systeem"


def test_safety_plan_create_names_every_broken_rule_at_once(heemstede, oov):
    errors = refused(heemstede, oov, title=" ", status="gesloopt", period_start=2031, period_end=2028)

    assert set(errors) == {"title", "status", "period_end"}


def test_safety_plan_create_refuses_outside_the_municipalitys_schema(heemstede, haarlem, oov):
    with schema_context(haarlem.schema_name), pytest.raises(RuntimeError):
        safety_plan_create(municipality=heemstede, actor=oov, title="x", period_start=2028, period_end=2031)


def test_safety_plan_delete_removes_the_plan_its_parts_and_their_projection(heemstede, oov):
    plan = plan_2024(heemstede)
    with schema_context(heemstede.schema_name):
        priority = priority_save(
            municipality=heemstede, plan=plan, title="Ondermijning", field_code="5", theme_code="5.2", imv_themes=[]
        )
        kpi = kpi_save(
            municipality=heemstede,
            priority=priority,
            name="Meldingen",
            unit="aantal",
            measurements=[MeasurementInput(year=2024, value=Decimal(12))],
        )
        priorities = set(plan.priorities.values_list("uuid", flat=True))
        milestones = set(plan.milestones.values_list("uuid", flat=True))
        assert PriorityProjection.objects.filter(priority_uuid__in=priorities).exists()

        safety_plan_delete(municipality=heemstede, actor=oov, plan=plan)

        assert not SafetyPlan.objects.filter(uuid=plan.uuid).exists()
        assert SafetyPlan.objects.filter(period_start=2020).exists()
    assert not PriorityProjection.objects.filter(priority_uuid__in=priorities).exists()
    removed = AuditEvent.objects.filter(field="verwijderd", actor=oov, municipality=heemstede)
    assert removed.get(object_uuid=plan.uuid).old_value == plan.title
    assert set(removed.values_list("object_uuid", flat=True)) >= {plan.uuid, kpi.uuid, *priorities, *milestones}
    assert AuditEvent.objects.filter(object_uuid=kpi.uuid, field="meting 2024", old_value="12", new_value="").exists()


@pytest.mark.parametrize("status", [PlanStatus.ADOPTED, PlanStatus.EXPIRED])
def test_safety_plan_delete_keeps_an_adopted_or_expired_plan(heemstede, oov, status):
    plan = plan_2024(heemstede)
    with schema_context(heemstede.schema_name):
        SafetyPlan.objects.filter(pk=plan.pk).update(status=status)
        plan.refresh_from_db()
    before = snapshot([heemstede])

    with schema_context(heemstede.schema_name), pytest.raises(PortalError) as caught:
        safety_plan_delete(municipality=heemstede, actor=oov, plan=plan)

    assert (caught.value.status, caught.value.code) == (409, "plan_kept")
    assert caught.value.message.startswith(f"Het veiligheidsplan is {PlanStatus(status).label} en wordt daarom bewaard")
    assert snapshot([heemstede]) == before
    assert not AuditEvent.objects.filter(object_uuid=plan.uuid).exists()


def test_safety_plan_delete_keeps_a_plan_with_a_council_decision(heemstede, oov):
    plan = plan_2024(heemstede)
    with schema_context(heemstede.schema_name):
        assert safety_plan_delete_refusal(plan) is None
        PlanDecision.objects.create(plan=plan, date="2024-01-25", case_number="Z-1", openbaarheid="openbaar")
        reason = safety_plan_delete_refusal(plan)
        with pytest.raises(PortalError) as caught:
            safety_plan_delete(municipality=heemstede, actor=oov, plan=plan)
        assert SafetyPlan.objects.filter(pk=plan.pk).exists()

    assert reason == caught.value.message
    assert reason == (
        "Bij het veiligheidsplan is een raadsbesluit vastgelegd; het plan wordt daarom bewaard. Was het raadsbesluit "
        "een vergissing, verwijder dat dan eerst."
    )
