"""Every write of a municipality's plan is audited (tenants.audit.audit_row through
municipalities.services._audit): who, when, old and new value of each changed field, a part's
removal too; through the services the pages and the API share, and through the pages with the
signed-in person."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from imv.demo import minimal_pdf
from imv.models import Openbaarheid
from municipalities.models import Action, ActionStatus, ImplementationPlan
from municipalities.services import (
    MeasurementInput,
    action_save,
    implementation_plan_delete,
    implementation_plan_save,
    kpi_save,
    participation_event_delete,
    participation_event_save,
    plan_decision_save,
    priority_save,
)
from tenants.models import AuditEvent, Role
from tests.municipalities.plan_helpers import plan_2024, plan_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def oov(make_user, heemstede):
    return make_user(Role.OOV, heemstede)


def changes(row_uuid) -> dict[str, list[tuple[str, str]]]:
    """field → [(old, new), …] of the audit rows of one row, oldest first."""
    found: dict[str, list[tuple[str, str]]] = {}
    for event in AuditEvent.objects.filter(object_uuid=row_uuid).order_by("pk"):
        found.setdefault(event.field, []).append((event.old_value, event.new_value))
    return found


def test_action_changes_are_audited_field_by_field_and_an_unchanged_save_writes_nothing(heemstede, oov):
    plan = plan_2024(heemstede)
    with schema_context(heemstede.schema_name):
        yearly = implementation_plan_save(municipality=heemstede, plan=plan, year=2025, actor=oov)
        priority = priority_save(
            municipality=heemstede, plan=plan, title="Ondermijning", field_code="5", theme_code="5.2", imv_themes=[]
        )

        def save(action: Action | None, **changed: Any) -> Action:
            values: dict[str, Any] = {"title": "Wijkschouw", "owner": "Team OOV", "deadline": date(2025, 6, 1)}
            return action_save(
                municipality=heemstede, implementation_plan=yearly, action=action, actor=oov, **{**values, **changed}
            )

        action = save(None, cost=Decimal("2500"))
        made = AuditEvent.objects.count()
        # The same values again, the amount as the database gives it back (2500.00): no change, no row.
        action.refresh_from_db()
        assert str(action.cost) == "2500.00"
        save(action, cost=action.cost)
        assert AuditEvent.objects.count() == made
        save(action, cost=None, status=ActionStatus.RUNNING, priority=priority)

    audited = changes(action.uuid)
    assert audited["aangemaakt"] == [("", "Wijkschouw")]
    assert audited["cost"] == [("", "2500"), ("2500", "")]
    assert audited["status"] == [("", "gepland"), ("gepland", "lopend")]
    assert audited["priority"] == [("", str(priority.uuid))]  # by UUID: ids repeat in every schema
    assert audited["implementation_plan"] == [("", str(yearly.uuid))]
    events = AuditEvent.objects.filter(object_uuid=action.uuid)
    assert {(e.object_type, e.actor_id, e.municipality_id) for e in events} == {("actie", oov.pk, heemstede.pk)}


def test_yearly_values_of_an_indicator_are_audited_per_year(heemstede, oov):
    plan = plan_2024(heemstede)
    with schema_context(heemstede.schema_name):
        priority = priority_save(
            municipality=heemstede, plan=plan, title="Inbraak", field_code="1", theme_code="1.3", imv_themes=[]
        )
        values = {"municipality": heemstede, "priority": priority, "name": "Inbraken", "unit": "aantal", "actor": oov}
        kpi = kpi_save(
            **values, measurements=[MeasurementInput(2024, Decimal(40)), MeasurementInput(2025, Decimal(38))]
        )
        kpi_save(**values, kpi=kpi, measurements=[MeasurementInput(2024, Decimal("40.00"))])
        kpi_save(**values, kpi=kpi, story="Meer aangiften door de buurtapp.")  # None keeps the yearly values

    audited = changes(kpi.uuid)
    assert audited["meting 2024"] == [("", "40")]  # 40.00 is the same value
    assert audited["meting 2025"] == [("", "38"), ("38", "")]
    assert audited["story"] == [("", "Meer aangiften door de buurtapp.")]
    assert AuditEvent.objects.get(object_uuid=kpi.uuid, field="aangemaakt").object_type == "indicator"


def test_a_council_decisions_pdf_is_audited_by_size_and_sha256(heemstede, oov, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first, second = minimal_pdf("Raadsbesluit"), minimal_pdf("Raadsbesluit, gecorrigeerd")
    plan = plan_2024(heemstede)
    with schema_context(heemstede.schema_name):
        decision = plan_decision_save(
            municipality=heemstede,
            plan=plan,
            date=date(2024, 1, 25),
            case_number="Z-1",
            openbaarheid=Openbaarheid.PUBLIC,
            document=SimpleUploadedFile("besluit.pdf", first, content_type="application/pdf"),
            actor=oov,
        )
        plan_decision_save(
            municipality=heemstede,
            plan=plan,
            decision=decision,
            date=date(2024, 1, 25),
            case_number="Z-1",
            openbaarheid=Openbaarheid.PUBLIC,
            document=SimpleUploadedFile("besluit.pdf", second, content_type="application/pdf"),
            actor=oov,
        )

    [(none, made), (old, new)] = changes(decision.uuid)["document"]
    assert none == ""
    assert f"{len(first)} bytes, sha256 {hashlib.sha256(first).hexdigest()}" in made
    assert old == made
    assert f"{len(second)} bytes, sha256 {hashlib.sha256(second).hexdigest()}" in new


def test_removing_a_yearly_plan_audits_the_removal_of_its_actions(heemstede, oov):
    plan = plan_2024(heemstede)
    with schema_context(heemstede.schema_name):
        yearly = ImplementationPlan.objects.create(plan=plan, year=2026, look_back="Goed jaar.")
        action = action_save(municipality=heemstede, implementation_plan=yearly, title="Actie", owner="OOV")
        implementation_plan_delete(municipality=heemstede, implementation_plan=yearly, actor=oov)

    assert changes(yearly.uuid)["verwijderd"] == [(str(yearly), "")]
    assert changes(yearly.uuid)["look_back"] == [("Goed jaar.", "")]
    assert changes(action.uuid)["verwijderd"] == [("Actie", "")]
    assert AuditEvent.objects.get(object_uuid=action.uuid, field="verwijderd").actor == oov


def test_participation_events_are_audited_when_made_changed_and_removed(heemstede, oov):
    plan = plan_2024(heemstede)
    with schema_context(heemstede.schema_name):
        fields = {"municipality": heemstede, "plan": plan, "kind": "enquete", "actor": oov}
        event = participation_event_save(**fields, date=date(2023, 9, 1))
        participation_event_save(**fields, event=event, date=date(2023, 9, 8), outcome="Meer verlichting.")
        participation_event_delete(municipality=heemstede, event=event, actor=oov)

    audited = changes(event.uuid)
    assert audited["date"] == [("", "2023-09-01"), ("2023-09-01", "2023-09-08"), ("2023-09-08", "")]
    assert audited["outcome"] == [("", "Meer verlichting."), ("Meer verlichting.", "")]  # "" at first: no row
    assert audited["aangemaakt"] == [("", "enquête 2023-09-01")]
    assert audited["verwijderd"] == [("enquête 2023-09-08", "")]


def test_plan_pages_audit_with_the_signed_in_person(make_user, client_for, heemstede):
    user = make_user(Role.GRIFFIE, heemstede)
    plan = plan_2024(heemstede)

    response = client_for(user).post(
        plan_url(heemstede, plan, "participatie/nieuw/"), {"kind": "thematafel", "date": "2023-10-02"}
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="participatiemoment", field="aangemaakt", municipality=heemstede)
    assert (event.actor, event.actor_label) == (user, user.get_full_name() or user.username)
    response = client_for(user).post(plan_url(heemstede, plan, "bewerken/"), {"title": "Nieuw", "status": "concept"})
    assert response.status_code == 302
    assert changes(plan.uuid)["title"] == [(plan.title, "Nieuw")]
    assert AuditEvent.objects.get(object_uuid=plan.uuid, field="status").actor == user
