"""Helpers for the API suites: the three test municipalities and what their schemas hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django_tenants.utils import schema_context

from imv import services
from imv.clock import db_now
from imv.models import (
    ConsultationRound,
    Disposition,
    ExtensionRequest,
    ImvCycle,
    Opinion,
    Participation,
    Position,
    PriorityProjection,
    Theme,
)
from municipalities.models import (
    Action,
    ImplementationPlan,
    Kpi,
    Measurement,
    Milestone,
    OpinionDraft,
    ParticipationEvent,
    PlanDecision,
    PlanStep,
    Principle,
    Priority,
    SafetyPlan,
)
from municipalities.services import MeasurementInput, action_save, kpi_save
from tenants.models import Municipality, Role, User
from tests.factories import round_open_for_test
from tests.imv.conftest import decision

PlanRows = dict[str, dict[str, Any]]


def schema_plans(municipality: Municipality) -> PlanRows:
    """Every plan in the municipality's own schema, by UUID (ids repeat across schemas, UUIDs do not)."""
    with schema_context(municipality.schema_name):
        rows = SafetyPlan.objects.values("uuid", "id", "title", "status", "summary", "updated_at")
        return {str(row["uuid"]): {k: v for k, v in row.items() if k != "uuid"} for row in rows}


@pytest.fixture
def municipalities(heemstede: Municipality, haarlem: Municipality, bloemendaal: Municipality) -> list[Municipality]:
    return [heemstede, haarlem, bloemendaal]


@pytest.fixture
def all_plans(municipalities: list[Municipality]) -> Callable[[], dict[str, PlanRows]]:
    """all_plans(): {cbs_code: {uuid: row}} for the three schemas, read now."""

    def read() -> dict[str, PlanRows]:
        return {m.cbs_code: schema_plans(m) for m in municipalities}

    return read


def plans_url(municipality: Municipality, plan_uuid: str | None = None) -> str:
    url = f"/api/v1/gemeenten/{municipality.cbs_code}/veiligheidsplannen"
    return f"{url}/{plan_uuid}" if plan_uuid else url


def draft_url(municipality: Municipality, consultation: ConsultationRound | str) -> str:
    """The draft zienswijze of a municipality in a round (the round's UUID names it)."""
    round_uuid = consultation if isinstance(consultation, str) else consultation.uuid
    return f"/api/v1/gemeenten/{municipality.cbs_code}/concept-zienswijzen/{round_uuid}"


def schema_drafts(municipality: Municipality) -> dict[str, dict[str, Any]]:
    """Every draft zienswijze in the municipality's own schema, by UUID, with its points."""
    with schema_context(municipality.schema_name):
        return {
            str(draft.uuid): {
                "round": draft.round_id,
                "position": draft.overall_position,
                "text": draft.overall_text,
                "version": draft.version,
                "points": {(p.theme_id, p.position, p.text) for p in draft.points.all()},
            }
            for draft in OpinionDraft.objects.prefetch_related("points")
        }


# --- The IMV consultation (shared schema) ------------------------------------------------------
@pytest.fixture
def cycle(db: None) -> ImvCycle:
    return ImvCycle.objects.get(name="IMV 2024-2027")


@pytest.fixture
def adviser(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADVISER)


@pytest.fixture
def staff_of(make_user: Callable[..., User]) -> Callable[[Municipality], User]:
    """staff_of(municipality): one OOV member of that municipality, the same one on every call."""
    made: dict[str, User] = {}

    def get(municipality: Municipality) -> User:
        if municipality.cbs_code not in made:
            made[municipality.cbs_code] = make_user(Role.OOV, municipality)
        return made[municipality.cbs_code]

    return get


@pytest.fixture
def consultation(cycle: ImvCycle, adviser: User) -> ConsultationRound:
    """A fresh round next to the demo round: deadline in 10 days, RBOP meeting in 30."""
    return round_open_for_test(actor=adviser, cycle=cycle, label="API-testconcept")


@pytest.fixture
def participation_of(consultation: ConsultationRound) -> Callable[[Municipality], Participation]:
    def get(municipality: Municipality) -> Participation:
        return Participation.objects.get(round=consultation, municipality=municipality)

    return get


@pytest.fixture
def top_themes(cycle: ImvCycle) -> list[Theme]:
    return list(cycle.themes.filter(parent__isnull=True))


def adopt(participation: Participation, actor: User) -> Participation:
    """Walk a participation through the services to vastgesteld (ready to submit)."""
    participation = services.participation_schedule(
        actor=actor, participation=participation, committee_date=None, council_date=db_now().date()
    )
    return services.participation_adopt(actor=actor, participation=participation, decision=decision())


def opinion_body(participation: Participation, themes: list[Theme], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "deelname": str(participation.uuid),
        "standpunt": Position.SUPPORTS_WITH_REMARKS,
        "toelichting": "De raad steunt het concept, met twee kanttekeningen.",
        "standpunten": [
            {"thema": str(t.uuid), "standpunt": Position.SUPPORTS, "toelichting": f"Eens met {t.name}."} for t in themes
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def busy_round(consultation, participation_of, staff_of, adviser, top_themes, heemstede, haarlem, bloemendaal):
    """The fresh round with something of every kind for every municipality.

    Heemstede and Bloemendaal have submitted (Bloemendaal's answered by the region with a reaction),
    Haarlem is scheduled and has asked for more time.
    """
    for municipality in (heemstede, bloemendaal):
        participation = adopt(participation_of(municipality), staff_of(municipality))
        opinion = services.opinion_submit(
            actor=staff_of(municipality),
            participation=participation,
            overall_position=Position.SUPPORTS,
            overall_text=f"Zienswijze van {municipality.name}.",
            points=[services.PointInput(theme=t, position=Position.SUPPORTS, text="") for t in top_themes],
        )
    services.reaction_set(
        actor=adviser, opinion=opinion, point=None, disposition=Disposition.ADOPTED, explanation="Overgenomen."
    )
    haarlem_participation = services.participation_schedule(
        actor=staff_of(haarlem),
        participation=participation_of(haarlem),
        committee_date=None,
        council_date=db_now().date() + timedelta(days=20),
    )
    services.extension_request(
        actor=staff_of(haarlem),
        participation=haarlem_participation,
        reason="De raad vergadert pas na de uiterste datum.",
        requested_deadline=haarlem_participation.deadline + timedelta(days=14),
    )
    return consultation


ImvRows = dict[str, dict[str, dict[str, Any]]]


def imv_rows() -> ImvRows:
    """Every participation, opinion and extension request (all rounds), by UUID, with its municipality."""
    participations = Participation.objects.values(
        "uuid", "municipality__cbs_code", "status", "committee_date", "council_date", "deadline", "version"
    )
    opinions = Opinion.objects.values(
        "uuid", "participation__municipality__cbs_code", "number", "overall_position", "withdrawn_at"
    )
    extensions = ExtensionRequest.objects.values(
        "uuid", "participation__municipality__cbs_code", "status", "decided_at", "granted_deadline"
    )
    return {
        "deelnames": _by_uuid(participations, "municipality__cbs_code"),
        "zienswijzen": _by_uuid(opinions, "participation__municipality__cbs_code"),
        "uitstelverzoeken": _by_uuid(extensions, "participation__municipality__cbs_code"),
    }


def _by_uuid(rows: Any, cbs_field: str) -> dict[str, dict[str, Any]]:
    return {str(row["uuid"]): {**{k: v for k, v in row.items() if k != "uuid"}, "cbs": row[cbs_field]} for row in rows}


def changed_rows(before: ImvRows, after: ImvRows) -> set[tuple[str, str, str]]:
    """(kind, cbs code, uuid) of every row that was added, removed or changed."""
    changed = set()
    for kind in before:
        for key in before[kind].keys() | after[kind].keys():
            old, new = before[kind].get(key), after[kind].get(key)
            if old != new:
                changed.add((kind, (old or new or {})["cbs"], key))
    return changed


# --- A municipality's own plan: priorities, indicators, yearly plans, actions -------------------
LocalRows = dict[str, dict[str, dict[str, Any]]]
LOCAL_KINDS = ("veiligheidsplannen", "planonderdelen", "prioriteiten", "indicatoren", "uitvoeringsplannen", "acties")


def schema_local_rows(municipality: Municipality) -> LocalRows:
    """Everything of the local plan in the municipality's schema: {kind: {uuid: row}}.

    Compared before and after a request, this shows any change in this schema; the UUIDs are what
    API answers are checked against (ids repeat across schemas, UUIDs never do).
    """
    with schema_context(municipality.schema_name):
        parts: dict[str, dict[str, Any]] = {}
        for name, model in (
            ("planstap", PlanStep),
            ("mijlpaal", Milestone),
            ("uitgangspunt", Principle),
            ("participatiemoment", ParticipationEvent),
            ("raadsbesluit", PlanDecision),
        ):
            for row in model._default_manager.values("uuid", "plan__uuid"):
                parts[str(row["uuid"])] = {"kind": name, "plan": str(row["plan__uuid"])}
        kpis = _rows(
            Kpi.objects.values(
                "uuid",
                "name",
                "unit",
                "baseline_value",
                "baseline_year",
                "target_value",
                "target_year",
                "story",
                "priority__uuid",
            )
        )
        for measurement in Measurement.objects.values("kpi__uuid", "year", "value"):
            kpis[str(measurement["kpi__uuid"])].setdefault("metingen", set()).add(
                (measurement["year"], measurement["value"])
            )
        return {
            "veiligheidsplannen": _rows(
                SafetyPlan.objects.values("uuid", "title", "status", "summary", "period_start", "updated_at")
            ),
            "planonderdelen": parts,
            "prioriteiten": _rows(
                Priority.objects.values(
                    "uuid", "title", "description", "field_code", "theme_code", "imv_themes", "plan__uuid", "position"
                )
            ),
            "indicatoren": kpis,
            "uitvoeringsplannen": _rows(ImplementationPlan.objects.values("uuid", "year", "look_back", "plan__uuid")),
            "acties": _rows(
                Action.objects.values(
                    "uuid",
                    "title",
                    "owner",
                    "deadline",
                    "cost",
                    "status",
                    "priority__uuid",
                    "implementation_plan__uuid",
                )
            ),
        }


def _rows(values: Any) -> dict[str, dict[str, Any]]:
    return {str(row["uuid"]): {k: v for k, v in row.items() if k != "uuid"} for row in values}


def projection_rows() -> dict[str, dict[str, Any]]:
    """The shared-schema projection of every priority, by priority UUID, with its municipality's CBS code."""
    rows = PriorityProjection.objects.values(
        "priority_uuid",
        "municipality__cbs_code",
        "plan_uuid",
        "title",
        "field_code",
        "theme_code",
        "imv_themes",
        "plan_period_start",
        "plan_period_end",
        "is_example",
    )
    return {str(row["priority_uuid"]): {k: v for k, v in row.items() if k != "priority_uuid"} for row in rows}


@pytest.fixture
def all_local_rows(municipalities: list[Municipality]) -> Callable[[], dict[str, LocalRows]]:
    """all_local_rows(): {cbs_code: {kind: {uuid: row}}} for the three schemas, read now."""

    def read() -> dict[str, LocalRows]:
        return {m.cbs_code: schema_local_rows(m) for m in municipalities}

    return read


@pytest.fixture
def local_content(municipalities: list[Municipality]) -> None:
    """Indicators, a yearly plan and actions in every test schema, written through the services.

    The demo gives every municipality plans and priorities but none of these.
    """
    for municipality in municipalities:
        with schema_context(municipality.schema_name):
            for plan in SafetyPlan.objects.order_by("period_start"):
                priorities = list(plan.priorities.all())
                for priority in priorities[:2]:
                    kpi_save(
                        municipality=municipality,
                        priority=priority,
                        name=f"Aangiften {priority.title} ({municipality.name})",
                        unit="aantal",
                        baseline_value=Decimal(120),
                        baseline_year=plan.period_start - 1,
                        target_value=Decimal(100),
                        target_year=plan.period_end,
                        story="Lage cijfers zeggen niet alles.",
                        measurements=[MeasurementInput(plan.period_start, Decimal("115.5"))],
                    )
                yearly = ImplementationPlan.objects.create(plan=plan, year=plan.period_start, look_back="")
                served: list[Priority | None] = [*priorities[:1], None]
                for n, served_priority in enumerate(served):
                    action_save(
                        municipality=municipality,
                        implementation_plan=yearly,
                        title=f"Actie {n + 1} van {municipality.name} {plan.period_start}",
                        owner="Team OOV",
                        deadline=date(plan.period_start, 6 + n, 1),
                        cost=Decimal("2500.00") if n == 0 else None,
                        priority=served_priority,
                    )


def local_url(municipality: Municipality, *parts: object) -> str:
    return "/".join([f"/api/v1/gemeenten/{municipality.cbs_code}", *(str(p) for p in parts)])


def etag_of(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content)
    return str(response["ETag"])
