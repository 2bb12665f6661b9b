"""Reads of a municipality's local plans (IVP) and the page of one plan. Callers are inside the municipality's schema.

The plan's own rows come from the municipality's schema; the IMV themes its priorities link to
and the alignment with the regional plan come from the shared schema (imv.analytics reads the
projection, never another municipality's schema).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from imv.analytics import MunicipalityAlignment, alignment_for_municipality
from imv.models import ImvCycle, Theme
from imv.selectors import cycle_themes
from municipalities.models import (
    Action,
    ImplementationPlan,
    Kpi,
    Milestone,
    ParticipationEvent,
    PlanDecision,
    PlanStep,
    PlanStepKind,
    Principle,
    Priority,
    SafetyPlan,
)
from municipalities.reference import kbv_fields, kbv_themes
from tenants.models import Municipality


def safety_plan_list() -> QuerySet[SafetyPlan]:
    return SafetyPlan.objects.all()


def safety_plan_get(*, plan_uuid: uuid.UUID | str) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(uuid=plan_uuid).first()


def overlapping_cycles(*, municipality: Municipality, plan: SafetyPlan) -> list[ImvCycle]:
    """The IMV cycles of the municipality's police unit whose period overlaps the plan's, oldest first."""
    return list(
        ImvCycle.objects.filter(
            police_unit_id=municipality.police_unit_id,
            period_start__lte=plan.period_end,
            period_end__gte=plan.period_start,
        ).order_by("period_start")
    )


@dataclass(frozen=True)
class ThemeGroup:
    """A top-level IMV theme with its sub-themes, for grouping checkboxes and lists."""

    theme: Theme
    subthemes: list[Theme]


@dataclass(frozen=True)
class CycleThemes:
    cycle: ImvCycle
    groups: list[ThemeGroup]


def imv_theme_choices(
    *, municipality: Municipality, plan: SafetyPlan, linked: list[uuid.UUID] | None = None
) -> list[CycleThemes]:
    """The themes a priority of this plan can serve: those of the unit's IMV cycles overlapping the
    plan's period, plus any cycle a theme already ``linked`` belongs to (so it can be unlinked)."""
    cycles = {c.pk: c for c in overlapping_cycles(municipality=municipality, plan=plan)}
    if linked:
        for cycle in ImvCycle.objects.filter(
            themes__uuid__in=linked, police_unit_id=municipality.police_unit_id
        ).distinct():
            cycles.setdefault(cycle.pk, cycle)
    result = []
    for cycle in sorted(cycles.values(), key=lambda c: c.period_start):
        themes = cycle_themes(cycle=cycle)
        groups = [
            ThemeGroup(theme=t, subthemes=[s for s in themes if s.parent_id == t.pk])
            for t in themes
            if t.parent_id is None
        ]
        result.append(CycleThemes(cycle=cycle, groups=groups))
    return result


# --- The plan page ------------------------------------------------------------------------------
@dataclass(frozen=True)
class StepRow:
    """One of the five steps of the VNG method, with its row when dates have been set."""

    kind: str
    label: str
    step: PlanStep | None


@dataclass(frozen=True)
class KpiRow:
    kpi: Kpi
    values: list[Decimal | None]  # one per year of PriorityView.years


@dataclass(frozen=True)
class PriorityView:
    priority: Priority
    theme_name: str
    imv_themes: list[Theme]
    years: list[int]
    kpis: list[KpiRow]

    @property
    def columns(self) -> int:
        """Columns of the indicator table without the edit column: name, baseline, target, the years."""
        return 3 + len(self.years)


@dataclass(frozen=True)
class FieldGroup:
    """The priorities in one KBV safety field (veiligheidsveld)."""

    code: str
    name: str
    priorities: list[PriorityView]


@dataclass(frozen=True)
class CycleAlignment:
    """The municipality against one IMV, with the figures as whole percentages."""

    cycle: ImvCycle
    alignment: MunicipalityAlignment

    @property
    def coverage_percent(self) -> int | None:
        coverage = self.alignment.coverage
        return None if coverage is None else round(coverage * 100)

    @property
    def fit_percent(self) -> int | None:
        fit = self.alignment.fit
        return None if fit is None else round(fit * 100)


@dataclass
class PlanDetail:
    """Everything the plan page shows, read in a fixed number of queries."""

    plan: SafetyPlan
    steps: list[StepRow]
    fields: list[FieldGroup]
    priority_count: int
    implementation_plans: list[ImplementationPlan]
    milestones: list[Milestone]
    principles: list[Principle]
    events: list[ParticipationEvent]
    decisions: list[PlanDecision]
    alignments: list[CycleAlignment]
    free_years: list[int] = field(default_factory=list)  # years of the period without a yearly plan


def theme_order(theme: Theme) -> tuple[int, int, int]:
    """The IMV's own order: a theme, then its sub-themes (the parent must be loaded)."""
    if theme.parent is None:
        return (theme.position, 0, 0)
    return (theme.parent.position, 1, theme.position)


def _priorities(plan: SafetyPlan) -> QuerySet[Priority]:
    return plan.priorities.prefetch_related(Prefetch("kpis", queryset=Kpi.objects.prefetch_related("measurements")))


def _priority_view(priority: Priority, themes: dict[uuid.UUID, Theme], plan: SafetyPlan) -> PriorityView:
    kpis = list(priority.kpis.all())
    measured = {m.year for k in kpis for m in k.measurements.all()}
    years = sorted(set(range(plan.period_start, plan.period_end + 1)) | measured)
    rows = []
    for kpi in kpis:
        by_year = {m.year: m.value for m in kpi.measurements.all()}
        rows.append(KpiRow(kpi=kpi, values=[by_year.get(year) for year in years]))
    kbv = kbv_themes().get(priority.theme_code)
    return PriorityView(
        priority=priority,
        theme_name=f"{kbv.code} {kbv.name}" if kbv else priority.theme_code,
        imv_themes=sorted((themes[u] for u in priority.imv_themes if u in themes), key=theme_order),
        years=years,
        kpis=rows,
    )


def _alignment(municipality: Municipality, cycle: ImvCycle) -> CycleAlignment:
    alignment = alignment_for_municipality(municipality=municipality, cycle=cycle)
    parents = {t.pk: t for t in cycle.themes.all()}
    for link in alignment.links:
        for theme in link["themes"]:
            theme.parent = parents.get(theme.parent_id) if theme.parent_id else None
        link["themes"] = sorted(link["themes"], key=theme_order)
    return CycleAlignment(cycle=cycle, alignment=alignment)


def plan_detail(*, municipality: Municipality, plan: SafetyPlan) -> PlanDetail:
    """The plan with its steps, priorities by safety field (with IMV themes and indicators), yearly plans
    with actions, and the alignment with every IMV of the unit that overlaps the plan's period."""
    steps = {s.kind: s for s in plan.steps.all()}
    priorities = list(_priorities(plan))
    linked = {u for p in priorities for u in p.imv_themes}
    themes = {t.uuid: t for t in Theme.objects.filter(uuid__in=linked).select_related("parent", "cycle")}
    names = kbv_fields()
    fields = []
    for code, name in [*names.items(), ("", _("Zonder bekend veiligheidsveld"))]:
        in_field = [
            _priority_view(p, themes, plan)
            for p in priorities
            if p.field_code == code or (not code and p.field_code not in names)
        ]
        if in_field:
            fields.append(FieldGroup(code=code, name=name, priorities=in_field))
    implementation_plans = list(
        plan.implementation_plans.prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("priority"))
        )
    )
    used = {i.year for i in implementation_plans}
    return PlanDetail(
        plan=plan,
        steps=[StepRow(kind, str(label), steps.get(kind)) for kind, label in PlanStepKind.choices],
        fields=fields,
        priority_count=len(priorities),
        implementation_plans=implementation_plans,
        milestones=list(plan.milestones.all()),
        principles=list(plan.principles.all()),
        events=list(plan.participation_events.all()),
        decisions=list(plan.decisions.all()),
        alignments=[
            _alignment(municipality, cycle) for cycle in overlapping_cycles(municipality=municipality, plan=plan)
        ],
        free_years=[y for y in range(plan.period_start, plan.period_end + 1) if y not in used],
    )
