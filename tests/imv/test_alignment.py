"""Alignment of local priorities with regional themes: figures on a hand-made region, and the
shared-schema projection always equal to what the municipalities' own schemas hold."""

from __future__ import annotations

import uuid

import pytest
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imv.analytics import alignment_by_theme, alignment_for_municipality, heatmap, reconcile_projection
from imv.models import ImvCycle, PriorityProjection, Theme, ThemeStatus
from municipalities.models import Priority, SafetyPlan
from municipalities.services import priority_delete, priority_save, safety_plan_period_set
from portal.exceptions import PortalError

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(noord_holland):
    """IMV 2028-2031 with themes A (sub-themes A1, A2), B, and C under exploration."""
    cycle = ImvCycle.objects.create(police_unit=noord_holland, name="IMV 2028-2031", period_start=2028, period_end=2031)
    a = Theme.objects.create(cycle=cycle, name="A", number=1, position=1)
    a1 = Theme.objects.create(cycle=cycle, parent=a, name="A1", position=2)
    a2 = Theme.objects.create(cycle=cycle, parent=a, name="A2", position=3)
    b = Theme.objects.create(cycle=cycle, name="B", number=2, position=4)
    c = Theme.objects.create(cycle=cycle, name="C", status=ThemeStatus.EXPLORING, position=5)
    return cycle, {"A": a, "A1": a1, "A2": a2, "B": b, "C": c}


def plan_for(municipality, start=2028, end=2031) -> SafetyPlan:
    with schema_context(municipality.schema_name):
        return SafetyPlan.objects.create(title=f"IVP {municipality.name} {start}", period_start=start, period_end=end)


def add(municipality, plan, title, themes, field="1", theme="1.1") -> Priority:
    with schema_context(municipality.schema_name):
        return priority_save(
            municipality=municipality,
            plan=plan,
            title=title,
            field_code=field,
            theme_code=theme,
            imv_themes=[t.uuid for t in themes],
        )


def test_alignment_figures_on_a_hand_made_region(region, heemstede, haarlem, bloemendaal):
    cycle, t = region
    hp, hap = plan_for(heemstede), plan_for(haarlem)
    plan_for(bloemendaal)
    add(heemstede, hp, "Ondermijning lokaal", [t["A1"]])
    add(heemstede, hp, "Jeugd", [t["B"], t["A2"]])
    add(heemstede, hp, "Verkeer", [], field="4", theme="4.1")
    add(haarlem, hap, "Verkenning zorg", [t["C"]], field="X", theme="X.2")

    h = alignment_for_municipality(municipality=heemstede, cycle=cycle)
    assert (h.covered, h.adopted, h.coverage) == (2, 2, 1.0)
    assert (h.linked_priorities, h.priorities) == (2, 3)
    assert h.unlinked_priorities == ["Verkeer"]
    assert h.uncovered_themes == []

    ha = alignment_for_municipality(municipality=haarlem, cycle=cycle)
    assert (ha.covered, ha.adopted, ha.coverage) == (0, 2, 0.0)  # C is not adopted: it does not count
    assert ha.fit == 1.0
    assert [x.name for x in ha.uncovered_themes] == ["A", "B"]

    b = alignment_for_municipality(municipality=bloemendaal, cycle=cycle)
    assert (b.coverage, b.fit) == (0.0, None)

    coverage, considered = alignment_by_theme(cycle=cycle)
    assert considered == 3
    counts = {c.theme.name: [m.name for m in c.municipalities] for c in coverage}
    assert counts == {"A": ["Heemstede"], "B": ["Heemstede"], "C": ["Haarlem"]}

    table = heatmap(cycle=cycle)
    assert table.loc["Heemstede", "A"] == 2  # two priorities on sub-themes of A
    assert table.loc["Heemstede", "B"] == 1
    assert table.loc["Bloemendaal"].sum() == 0


def test_plans_outside_the_imv_period_do_not_count(region, heemstede):
    cycle, t = region
    old = plan_for(heemstede, 2016, 2019)
    add(heemstede, old, "Oud", [t["A"]])
    assert alignment_for_municipality(municipality=heemstede, cycle=cycle).covered == 0


def test_theme_outside_its_field_is_refused_and_nothing_is_written(region, heemstede):
    _cycle, t = region
    plan = plan_for(heemstede)
    with pytest.raises(PortalError) as info:
        add(heemstede, plan, "Fout", [t["A"]], field="1", theme="4.1")
    assert "theme_code" in info.value.errors
    with schema_context(heemstede.schema_name):
        assert not Priority.objects.filter(title="Fout").exists()
    assert not PriorityProjection.objects.filter(title="Fout").exists()


def test_write_in_the_wrong_schema_is_refused(region, heemstede, haarlem):
    _cycle, _t = region
    plan = plan_for(heemstede)
    with schema_context(haarlem.schema_name), pytest.raises(RuntimeError):
        priority_save(municipality=heemstede, plan=plan, title="X", field_code="1", theme_code="1.1", imv_themes=[])


def test_reconciliation_finds_a_tampered_projection(region, heemstede):
    _cycle, t = region
    plan = plan_for(heemstede)
    priority = add(heemstede, plan, "Echt", [t["A"]])
    assert reconcile_projection() == []
    PriorityProjection.objects.filter(priority_uuid=priority.uuid).update(title="Vervalst")
    PriorityProjection.objects.create(
        municipality=heemstede,
        priority_uuid=uuid.uuid4(),
        plan_uuid=plan.uuid,
        plan_period_start=2028,
        plan_period_end=2031,
        title="Spook",
        field_code="1",
        theme_code="1.1",
    )
    problems = sorted(d.problem for d in reconcile_projection())
    assert problems == ["staat in de projectie maar niet in de gemeente", "wijkt af van de gemeente"]


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["add", "change", "delete", "period"]),
        st.integers(min_value=0, max_value=2),  # which municipality
        st.integers(min_value=0, max_value=10),  # which priority / plan (modulo what exists)
        st.lists(st.sampled_from(["A", "A1", "A2", "B", "C"]), max_size=3),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_projection_equals_the_schemas_after_any_changes(region, heemstede, haarlem, bloemendaal, operations):
    from django.db import transaction

    _cycle, t = region
    municipalities = [heemstede, haarlem, bloemendaal]
    sid = transaction.savepoint_create()  # each example starts from the same state
    try:
        plans = [plan_for(m) for m in municipalities]
        for op, mi, n, names in operations:
            m, plan = municipalities[mi], plans[mi]
            themes = [t[x] for x in names]
            with schema_context(m.schema_name):
                existing = list(Priority.objects.order_by("pk"))
                if op == "add" or not existing:
                    priority_save(
                        municipality=m,
                        plan=plan,
                        title=f"P{n}",
                        field_code="1",
                        theme_code="1.1",
                        imv_themes=[x.uuid for x in themes],
                    )
                elif op == "change":
                    p = existing[n % len(existing)]
                    priority_save(
                        municipality=m,
                        plan=plan,
                        priority=p,
                        title=f"Q{n}",
                        field_code="3",
                        theme_code="3.2",
                        imv_themes=[x.uuid for x in themes],
                    )
                elif op == "delete":
                    priority_delete(municipality=m, priority=existing[n % len(existing)])
                else:
                    plans[mi] = safety_plan_period_set(municipality=m, plan=plan, start=2028 + n % 2, end=2031 + n % 2)
        assert reconcile_projection(batch_size=2) == []
        for m in municipalities:
            with schema_context(m.schema_name):
                local = {p.uuid: (p.title, sorted(p.imv_themes)) for p in Priority.objects.all()}
            shared = {
                p.priority_uuid: (p.title, sorted(p.imv_themes))
                for p in PriorityProjection.objects.filter(municipality=m)
            }
            assert local == shared
    finally:
        transaction.savepoint_rollback(sid)


def test_reconcile_command_reports_differences_and_fails(heemstede, capsys):
    from django.core.management import CommandError, call_command

    call_command("reconcile_projection", "--batch-size", "2")
    assert "Projectie klopt" in capsys.readouterr().out
    PriorityProjection.objects.filter(municipality=heemstede).update(title="Vervalst")
    with pytest.raises(CommandError, match="verschil"):
        call_command("reconcile_projection")
    assert "wijkt af van de gemeente" in capsys.readouterr().out


def test_heemstede_demo_carries_its_real_priorities_and_principles(heemstede):
    with schema_context(heemstede.schema_name):
        plan = SafetyPlan.objects.get(period_start=2020)
        assert [p.title for p in plan.priorities.all()] == [
            "Zorg en veiligheid",
            "Veilige & leefbare wijken",
            "Ondermijning",
        ]
        assert [p.title for p in plan.principles.all()] == [
            "Actieve wederkerigheid",
            "Persoonsgericht werken aan veiligheid",
            "Van repressief naar preventief",
            "Slagvaardige overheid",
        ]
        new = SafetyPlan.objects.get(period_start=2024)
        assert new.milestones.filter(starts_on="2023-12-21", title__startswith="Raad").exists()
        assert not plan.is_example
