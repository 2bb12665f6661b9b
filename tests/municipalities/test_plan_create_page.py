"""The pages for a new plan (/gemeenten/<slug>/veiligheidsplannen/nieuw/) and for removing one
(…/veiligheidsplannen/<uuid>/verwijderen/): the municipality's own staff only, through the same
services as the API, with the service's refusals at the fields and nothing written."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from municipalities.models import PlanDecision, SafetyPlan
from tenants.models import AuditEvent, Role
from tests.municipalities.plan_helpers import plan_2024, plan_url, snapshot, text

pytestmark = pytest.mark.django_db

NEW = "/gemeenten/heemstede/veiligheidsplannen/nieuw/"


def plans_of(municipality) -> dict[int, SafetyPlan]:
    with schema_context(municipality.schema_name):
        return {plan.period_start: plan for plan in SafetyPlan.objects.all()}


def test_municipality_page_offers_a_new_plan_to_its_staff_only(staff, make_user, client_for, heemstede):
    own = text(staff.get("/gemeenten/heemstede/"))
    reader = text(client_for(make_user(Role.RBOP)).get("/gemeenten/heemstede/"))

    assert "Nieuw veiligheidsplan" in own
    assert "Plan verwijderen" in own
    assert "Nieuw veiligheidsplan" not in reader
    assert "Plan verwijderen" not in reader


def test_new_plan_form_suggests_the_four_years_after_the_latest_plan(staff, heemstede):
    response = staff.get(NEW)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="period_start" value="2028"' in page
    assert 'name="period_end" value="2031"' in page
    assert "Planperiode" in text(response)


def test_staff_make_a_new_plan_and_land_on_its_page(staff, heemstede):
    response = staff.post(
        NEW,
        {
            "title": "Integraal Veiligheidsplan Heemstede 2028-2031",
            "period_start": "2028",
            "period_end": "2031",
            "status": "concept",
            "summary": "Samen veilig.",
        },
    )

    plan = plans_of(heemstede)[2028]
    assert response.status_code == 302
    assert response["Location"] == plan_url(heemstede, plan)
    assert (plan.title, plan.period_end, plan.status, plan.summary) == (
        "Integraal Veiligheidsplan Heemstede 2028-2031",
        2031,
        "concept",
        "Samen veilig.",
    )
    page = text(staff.get(response["Location"]))
    assert "Het veiligheidsplan “Integraal Veiligheidsplan Heemstede 2028-2031” is aangemaakt." in page
    made = AuditEvent.objects.select_related("actor").get(object_uuid=plan.uuid, field="aangemaakt")
    assert made.actor is not None
    assert made.actor.username.endswith("oov")


def test_new_plan_overlapping_another_is_refused_at_the_first_year(staff, heemstede, all_three):
    before = snapshot(all_three)

    response = staff.post(NEW, {"title": "Dubbel", "period_start": "2026", "period_end": "2029", "status": "concept"})

    assert response.status_code == 400
    page = text(response)
    assert "Het veiligheidsplan is niet opgeslagen." in page
    assert "Deze periode overlapt met “Beleidsplan Integrale Veiligheid Heemstede 2024-2027” (2024–2027)" in page
    assert 'id="id_period_start_error"' in response.content.decode()
    assert snapshot(all_three) == before


def test_new_plan_with_missing_fields_is_refused_by_the_form(staff, heemstede, all_three):
    before = snapshot(all_three)

    response = staff.post(NEW, {"title": "", "period_start": "twintig", "status": "concept"})

    assert response.status_code == 400
    html = response.content.decode()
    for field in ("title", "period_start", "period_end"):
        assert f'id="id_{field}_error"' in html, field
    assert snapshot(all_three) == before


@pytest.mark.parametrize("who", ["haarlem-staff", Role.ADVISER, Role.RBOP])
def test_nobody_but_own_staff_makes_or_removes_a_plan(who, make_user, client_for, heemstede, haarlem, all_three):
    user = make_user(Role.OOV, haarlem) if who == "haarlem-staff" else make_user(who)
    client = client_for(user)
    remove = plan_url(heemstede, plan_2024(heemstede), "verwijderen/")
    before = snapshot(all_three)

    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"title": "x", "period_start": "2028", "period_end": "2031"}).status_code == 403
    assert client.get(remove).status_code == 403
    assert client.post(remove).status_code == 403
    assert snapshot(all_three) == before


def test_staff_remove_a_plan_in_preparation_after_confirming(staff, heemstede):
    plan = plan_2024(heemstede)
    url = plan_url(heemstede, plan, "verwijderen/")

    question = text(staff.get(url))
    response = staff.post(url)

    assert f"Wilt u het veiligheidsplan “{plan.title}” verwijderen?" in question
    assert "De regio ziet de prioriteiten niet meer in de afstemming." in question
    assert response.status_code == 302
    assert response["Location"] == "/gemeenten/heemstede/"
    assert 2024 not in plans_of(heemstede)
    assert f"Het veiligheidsplan “{plan.title}” is verwijderd." in text(staff.get("/gemeenten/heemstede/"))


def test_a_plan_the_council_adopted_is_kept_and_the_page_says_why(staff, heemstede, all_three):
    adopted = plans_of(heemstede)[2020]
    url = plan_url(heemstede, adopted, "verwijderen/")
    before = snapshot(all_three)

    shown, posted = staff.get(url), staff.post(url)

    assert shown.status_code == 200
    assert posted.status_code == 409
    for response in (shown, posted):
        page = text(response)
        assert "Verwijderen kan niet" in page
        assert "Het veiligheidsplan is vastgesteld en wordt daarom bewaard" in page
        assert "Ja, verwijderen" not in page
    assert snapshot(all_three) == before


def test_a_plan_with_a_council_decision_is_kept(staff, heemstede):
    plan = plan_2024(heemstede)
    with schema_context(heemstede.schema_name):
        PlanDecision.objects.create(plan=plan, date="2024-01-25", case_number="Z-7", openbaarheid="openbaar")

    response = staff.post(plan_url(heemstede, plan, "verwijderen/"))

    assert response.status_code == 409
    assert "Bij het veiligheidsplan is een raadsbesluit vastgelegd" in text(response)
    assert 2024 in plans_of(heemstede)
