"""Helpers for the API suites: the three test municipalities and what their schemas hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django_tenants.utils import schema_context

from imv import services
from imv.clock import db_now
from imv.models import (
    ConsultationRound,
    Disposition,
    DraftVersion,
    ExtensionRequest,
    ImvCycle,
    Opinion,
    Participation,
    Position,
    Theme,
)
from municipalities.models import SafetyPlan
from tenants.models import Municipality, Role, User
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
    draft = DraftVersion.objects.create(cycle=cycle, label="API-testconcept", date=db_now().date())
    now = db_now()
    return services.round_open(
        actor=adviser,
        cycle=cycle,
        draft_version=draft,
        deadline=now + timedelta(days=10),
        rbop_meeting=now + timedelta(days=30),
    )


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
