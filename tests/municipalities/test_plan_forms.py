"""The plan's forms: priorities with their IMV themes, indicators, actions, yearly plans, milestones and
council decisions with their PDF; each refusal at the field, in Dutch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from imv.demo import minimal_pdf
from imv.models import ImvCycle, Openbaarheid, PriorityProjection
from municipalities.models import Action, ActionStatus, ImplementationPlan, Kpi, Priority
from tenants.models import Role
from tests.municipalities.plan_helpers import CYBER, add_priority, plan_2024, plan_url, text, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_cleanup() -> Iterator[list[str]]:
    """Names of stored files to remove after the test (the rollback does not remove files)."""
    names: list[str] = []
    yield names
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


# --- Writing: the forms -----------------------------------------------------------------------------
def test_staff_adds_a_priority_linked_to_an_imv_theme_and_the_region_sees_it(staff, heemstede):
    plan = plan_2024(heemstede)
    cyber, sub = theme(CYBER), theme("Online bedreiging en intimidatie")

    response = staff.post(
        plan_url(heemstede, plan, "prioriteiten/nieuw/"),
        {
            "title": "Digitale weerbaarheid",
            "description": "Inwoners en ondernemers weerbaar tegen online criminaliteit.",
            "field_code": "5",
            "theme_code": "X.1",
            "imv_themes": [str(cyber.uuid), str(sub.uuid)],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == plan_url(heemstede, plan) + "#prioriteiten"
    with schema_context(heemstede.schema_name):
        priority = Priority.objects.get(title="Digitale weerbaarheid")
    assert set(priority.imv_themes) == {cyber.uuid, sub.uuid}
    assert set(PriorityProjection.objects.get(priority_uuid=priority.uuid).imv_themes) == {cyber.uuid, sub.uuid}
    page = text(staff.get(plan_url(heemstede, plan)))
    assert "De prioriteit “Digitale weerbaarheid” is opgeslagen." in page
    assert "Lokale prioriteit" in page
    assert "Digitale weerbaarheid" in page


def test_priority_form_offers_the_imv_themes_grouped_by_theme(staff, heemstede):
    plan = plan_2024(heemstede)

    body = staff.get(plan_url(heemstede, plan, "prioriteiten/nieuw/")).content.decode()

    assert "Thema's en subthema's van het IMV 2024-2027" in body
    cycle = ImvCycle.objects.get(name="IMV 2024-2027")
    for item in cycle.themes.all():
        assert f'value="{item.uuid}"' in body
    assert '<optgroup label="5. Integriteit en veiligheid">' in body


def test_priority_with_a_theme_of_another_field_is_refused_at_the_field(staff, heemstede):
    plan = plan_2024(heemstede)

    response = staff.post(
        plan_url(heemstede, plan, "prioriteiten/nieuw/"),
        {"title": "Verkeer", "field_code": "1", "theme_code": "4.1"},
    )

    assert response.status_code == 400
    assert "Thema 4.1 hoort niet bij veiligheidsveld 1." in text(response)
    assert "De prioriteit is niet opgeslagen." in text(response)
    with schema_context(heemstede.schema_name):
        assert not Priority.objects.filter(title="Verkeer").exists()


def test_kpi_form_saves_baseline_target_story_and_yearly_values_with_a_decimal_comma(staff, heemstede):
    plan = plan_2024(heemstede)
    priority = add_priority(heemstede, plan, "Ondermijning", [])

    response = staff.post(
        plan_url(heemstede, plan, f"prioriteiten/{priority.uuid}/indicatoren/nieuw/"),
        {
            "name": "Aangiften woninginbraak",
            "unit": "per 1.000 woningen",
            "baseline_value": "3,4",
            "baseline_year": "2022",
            "target_value": "2,5",
            "target_year": "2027",
            "story": "Lage cijfers: kijk naar het verhaal.",
            "measurement_2024": "3,1",
            "measurement_2025": "",
        },
    )

    assert response.status_code == 302
    with schema_context(heemstede.schema_name):
        kpi = Kpi.objects.get(name="Aangiften woninginbraak")
        assert [(m.year, str(m.value)) for m in kpi.measurements.all()] == [(2024, "3.10")]
    assert str(kpi.baseline_value) == "3.40"


def test_kpi_with_a_baseline_but_no_year_is_refused_at_the_field(staff, heemstede):
    plan = plan_2024(heemstede)
    priority = add_priority(heemstede, plan, "Ondermijning", [])

    response = staff.post(
        plan_url(heemstede, plan, f"prioriteiten/{priority.uuid}/indicatoren/nieuw/"),
        {"name": "Meldingen", "unit": "aantal", "baseline_value": "10"},
    )

    assert response.status_code == 400
    assert "Geef bij de nulmeting zowel de waarde als het jaar." in text(response)


def test_action_form_saves_owner_deadline_cost_and_status(staff, heemstede):
    plan = plan_2024(heemstede)
    priority = add_priority(heemstede, plan, "Ondermijning", [])
    with schema_context(heemstede.schema_name):
        yearly = ImplementationPlan.objects.create(plan=plan, year=2025)

    response = staff.post(
        plan_url(heemstede, plan, f"uitvoeringsplannen/{yearly.uuid}/acties/nieuw/"),
        {
            "title": "Bibob-toets horeca",
            "owner": "Team OOV",
            "deadline": "2025-06-30",
            "cost": "1.250,50",
            "status": ActionStatus.RUNNING,
            "priority": str(priority.uuid),
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#uitvoeringsplan-2025")
    with schema_context(heemstede.schema_name):
        action = Action.objects.get(title="Bibob-toets horeca")
    assert (action.owner, str(action.deadline), str(action.cost), action.status, action.priority_id) == (
        "Team OOV",
        "2025-06-30",
        "1250.50",
        "lopend",
        priority.pk,
    )
    page = text(staff.get(plan_url(heemstede, plan)))
    assert "€ 1.250,50" in page


def test_yearly_plan_outside_the_period_is_refused(staff, heemstede):
    plan = plan_2024(heemstede)

    response = staff.post(plan_url(heemstede, plan, "uitvoeringsplannen/nieuw/"), {"year": "2031"})

    assert response.status_code == 400
    with schema_context(heemstede.schema_name):
        assert not plan.implementation_plans.exists()


def test_milestone_ending_before_it_starts_is_refused_at_the_field(staff, heemstede):
    plan = plan_2024(heemstede)

    response = staff.post(
        plan_url(heemstede, plan, "mijlpalen/nieuw/"),
        {"title": "Enquête", "starts_on": "2024-10-31", "ends_on": "2024-09-01"},
    )

    assert response.status_code == 400
    assert "Deze datum ligt voor de begindatum." in text(response)


# --- Council decisions ------------------------------------------------------------------------------
def test_non_pdf_decision_upload_is_refused_with_the_dutch_message(staff, heemstede):
    plan = plan_2024(heemstede)
    fake = SimpleUploadedFile("besluit.pdf", b"MZ not a pdf at all", content_type="application/pdf")

    response = staff.post(
        plan_url(heemstede, plan, "raadsbesluiten/nieuw/"),
        {"date": "2023-12-21", "case_number": "1195848", "openbaarheid": Openbaarheid.ACTIVE, "document": fake},
    )

    assert response.status_code == 400
    assert "Het bestand is geen PDF. Sla het document op als PDF en voeg het opnieuw toe." in text(response)
    with schema_context(heemstede.schema_name):
        assert not plan.decisions.exists()


def test_decision_pdf_is_a_download_for_readers_only(staff, make_user, client_for, heemstede, haarlem, media_cleanup):
    plan = plan_2024(heemstede)
    pdf = SimpleUploadedFile("besluit.pdf", minimal_pdf("Raadsbesluit IVP"), content_type="application/pdf")
    response = staff.post(
        plan_url(heemstede, plan, "raadsbesluiten/nieuw/"),
        {"date": "2023-12-21", "case_number": "1195848", "openbaarheid": Openbaarheid.ACTIVE, "document": pdf},
    )
    assert response.status_code == 302
    with schema_context(heemstede.schema_name):
        decision = plan.decisions.get()
    stored = decision.document.name or ""
    media_cleanup.append(stored)
    assert stored.startswith(f"gemeenten/{heemstede.schema_name}/raadsbesluiten/ivp/")
    url = plan_url(heemstede, plan, f"raadsbesluiten/{decision.uuid}/raadsbesluit.pdf")

    for client in (staff, client_for(make_user(Role.RBOP))):
        download = client.get(url)
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="raadsbesluit-GM0397-1195848.pdf"'
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert client_for(make_user(Role.OOV, haarlem)).get(url).status_code == 403
    assert stored not in staff.get(plan_url(heemstede, plan)).content.decode()
