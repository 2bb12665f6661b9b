"""The pages of a local plan: its own staff write through every form, readers only read, nobody else
sees anything; no page of one municipality shows another's rows; imports are all or nothing."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from imv.demo import minimal_pdf
from imv.models import ImvCycle, Openbaarheid, PriorityProjection, Theme
from municipalities.models import (
    Action,
    ActionStatus,
    ImplementationPlan,
    Kpi,
    Measurement,
    Milestone,
    ParticipationEvent,
    PlanDecision,
    PlanStep,
    Principle,
    Priority,
    SafetyPlan,
)
from municipalities.services import MeasurementInput, kpi_save, priority_save
from tenants.models import Municipality, Role

pytestmark = pytest.mark.django_db

CYBER = "Cybercrime en gedigitaliseerde criminaliteit"
# Typed loosely: mypy's Django plugin would check the "uuid" lookup against the union of all of them.
UUID_MODELS: tuple[type[Any], ...] = (
    SafetyPlan,
    Priority,
    Kpi,
    ImplementationPlan,
    Action,
    PlanStep,
    Milestone,
    Principle,
    ParticipationEvent,
    PlanDecision,
)
PLAN_MODELS: tuple[type[Any], ...] = (*UUID_MODELS, Measurement)


# --- Helpers -------------------------------------------------------------------------------------
def plan_2024(municipality: Municipality) -> SafetyPlan:
    with schema_context(municipality.schema_name):
        return SafetyPlan.objects.get(period_start=2024)


def plan_url(municipality: Municipality, plan: SafetyPlan, rest: str = "") -> str:
    return f"/gemeenten/{municipality.slug}/veiligheidsplannen/{plan.uuid}/{rest}"


def theme(name: str) -> Theme:
    return Theme.objects.get(cycle__name="IMV 2024-2027", name=name)


def snapshot(municipalities: list[Municipality]) -> dict[str, Any]:
    """Every plan row of these schemas, and their shared projection: equal before and after means unchanged."""
    state: dict[str, Any] = {}
    for municipality in municipalities:
        with schema_context(municipality.schema_name):
            for model in PLAN_MODELS:
                rows = list(model._default_manager.order_by("pk").values())
                state[f"{municipality.schema_name}.{model.__name__}"] = [
                    {k: v for k, v in row.items() if k != "updated_at"} for row in rows
                ]
    projection = PriorityProjection.objects.filter(municipality__in=municipalities).order_by("pk")
    state["projection"] = list(projection.values())
    return state


def schema_uuids(municipality: Municipality) -> set[str]:
    """The UUID of every plan row in the municipality's schema."""
    uuids: set[str] = set()
    with schema_context(municipality.schema_name):
        for model in UUID_MODELS:
            uuids |= {str(row["uuid"]) for row in model._default_manager.values("uuid")}
    return uuids


def add_priority(municipality: Municipality, plan: SafetyPlan, title: str, themes: list[Theme]) -> Priority:
    with schema_context(municipality.schema_name):
        return priority_save(
            municipality=municipality,
            plan=plan,
            title=title,
            field_code="5",
            theme_code="5.2",
            imv_themes=[t.uuid for t in themes],
        )


def text(response: Any) -> str:
    """The page's visible text, roughly: tags removed and whitespace folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def all_three(heemstede, haarlem, bloemendaal) -> list[Municipality]:
    return [heemstede, haarlem, bloemendaal]


@pytest.fixture
def staff(make_user, client_for, heemstede) -> Client:
    return client_for(make_user(Role.OOV, heemstede))


@pytest.fixture
def media_cleanup() -> Iterator[list[str]]:
    """Names of stored files to remove after the test (the rollback does not remove files)."""
    names: list[str] = []
    yield names
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


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


# --- Import ----------------------------------------------------------------------------------------
def upload(content: bytes, name: str = "prioriteiten.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_import_preview_names_row_and_column_of_every_error_and_writes_nothing(staff, heemstede, all_three):
    plan = plan_2024(heemstede)
    content = b"titel;omschrijving;thema;imv_themas\nGoed;;1.1;\n;;9.9;Bestaat niet\nGoed;;1.2;\n"
    before = snapshot(all_three)

    response = staff.post(
        plan_url(heemstede, plan, "importeren/"), {"soort": "prioriteiten", "bestand": upload(content)}
    )

    assert response.status_code == 200
    page = text(response)
    assert "2 van de 3 rijen hebben fouten." in page
    assert "Er is niets opgeslagen." in page
    for error in (
        "rij 3, kolom titel: mag niet leeg zijn",
        "rij 3, kolom thema: “9.9” is geen thema van het Kernbeleid Veiligheid",
        "rij 3, kolom imv_themas: “Bestaat niet” is geen IMV-thema",
        "rij 4, kolom titel: prioriteit “Goed” bestaat al",
    ):
        assert error in page
    assert "in orde" in page  # row 2
    assert "importeren/bevestigen/" not in response.content.decode()
    assert snapshot(all_three) == before


def test_valid_import_writes_every_row_after_confirmation(staff, heemstede):
    plan = plan_2024(heemstede)
    content = (
        b"titel;omschrijving;thema;imv_themas\n"
        b"Drugsoverlast;Overlast rond drugs;5.2;Ondermijning\n"
        b'Digitale weerbaarheid;;X.1;"Cybercrime; Online bedreiging en intimidatie"\n'
        b"Jeugdgroepen;;3.1;\n"
    )
    url = plan_url(heemstede, plan, "importeren/")

    preview = staff.post(url, {"soort": "prioriteiten", "bestand": upload(content)})

    assert preview.status_code == 200
    assert "Alle 3 rijen zijn in orde. Er is nog niets opgeslagen" in text(preview)
    with schema_context(heemstede.schema_name):
        assert not plan.priorities.exists()
    digest = hashlib.sha256(content).hexdigest()
    assert f'value="{digest}"' in preview.content.decode()

    done = staff.post(plan_url(heemstede, plan, "importeren/bevestigen/"), {"digest": digest})

    assert done.status_code == 302
    assert done["Location"] == plan_url(heemstede, plan) + "#prioriteiten"
    with schema_context(heemstede.schema_name):
        titles = set(plan.priorities.values_list("title", flat=True))
        digital = plan.priorities.get(title="Digitale weerbaarheid")
    assert titles == {"Drugsoverlast", "Digitale weerbaarheid", "Jeugdgroepen"}
    assert set(digital.imv_themes) == {theme("Cybercrime").uuid, theme("Online bedreiging en intimidatie").uuid}
    assert PriorityProjection.objects.filter(plan_uuid=plan.uuid).count() == 3
    # The stored file is gone: confirming twice writes nothing more.
    again = staff.post(plan_url(heemstede, plan, "importeren/bevestigen/"), {"digest": digest})
    assert again.status_code == 302
    with schema_context(heemstede.schema_name):
        assert plan.priorities.count() == 3


def test_confirming_another_file_than_the_one_previewed_writes_nothing(staff, heemstede):
    plan = plan_2024(heemstede)
    content = b"titel;thema\nDrugsoverlast;5.2\n"
    staff.post(plan_url(heemstede, plan, "importeren/"), {"soort": "prioriteiten", "bestand": upload(content)})

    response = staff.post(
        plan_url(heemstede, plan, "importeren/bevestigen/"), {"digest": hashlib.sha256(b"other").hexdigest()}
    )

    assert response.status_code == 302
    assert response["Location"] == plan_url(heemstede, plan, "importeren/")
    with schema_context(heemstede.schema_name):
        assert not plan.priorities.exists()


def test_import_confirmed_after_the_plan_changed_shows_the_new_errors_and_writes_nothing(staff, heemstede):
    plan = plan_2024(heemstede)
    content = b"titel;thema\nDrugsoverlast;5.2\nJeugdgroepen;3.1\n"
    staff.post(plan_url(heemstede, plan, "importeren/"), {"soort": "prioriteiten", "bestand": upload(content)})
    add_priority(heemstede, plan, "Jeugdgroepen", [])  # someone else adds one meanwhile

    response = staff.post(
        plan_url(heemstede, plan, "importeren/bevestigen/"), {"digest": hashlib.sha256(content).hexdigest()}
    )

    assert response.status_code == 409
    assert "rij 3, kolom titel: prioriteit “Jeugdgroepen” bestaat al" in text(response)
    with schema_context(heemstede.schema_name):
        assert not plan.priorities.filter(title="Drugsoverlast").exists()


def test_unreadable_or_too_large_import_is_refused_at_the_file_field(staff, heemstede):
    plan = plan_2024(heemstede)
    url = plan_url(heemstede, plan, "importeren/")

    unreadable = staff.post(url, {"soort": "prioriteiten", "bestand": upload(b"\x00\x01", "p.xlsx")})
    too_large = staff.post(url, {"soort": "prioriteiten", "bestand": upload(b"titel;thema\n" + b"x" * 1_100_000)})

    assert "Dit is geen leesbaar Excel-bestand (.xlsx)." in text(unreadable)
    assert "Het bestand is groter dan 1 MB." in text(too_large)


@pytest.mark.parametrize("kind", ["prioriteiten", "indicatoren", "acties"])
def test_template_csv_per_kind_has_the_columns_the_import_expects(staff, heemstede, kind):
    from municipalities.services import COLUMNS

    response = staff.get(plan_url(heemstede, plan_2024(heemstede), f"importeren/voorbeeld-{kind}.csv"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="voorbeeld-{kind}.csv"'
    first_line = response.content.decode("utf-8-sig").splitlines()[0]
    assert first_line.split(";") == list(COLUMNS[kind])


def test_import_template_round_trips_through_the_preview(staff, heemstede):
    plan = plan_2024(heemstede)
    template = staff.get(plan_url(heemstede, plan, "importeren/voorbeeld-prioriteiten.csv")).content

    response = staff.post(
        plan_url(heemstede, plan, "importeren/"), {"soort": "prioriteiten", "bestand": upload(template)}
    )

    assert "Alle 2 rijen zijn in orde." in text(response)


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
