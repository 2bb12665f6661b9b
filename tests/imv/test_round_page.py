"""The municipality's round page as read, and who may do what on it: only the municipality's own staff
write; the adviser and RBOP read; the draft stays inside the municipality; a closed round offers nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django_tenants.utils import schema_context

from imv.models import ConsultationRound, Participation, Position
from municipalities.models import OpinionDraft
from municipalities.services import opinion_draft_get, opinion_draft_save
from tenants.models import Role
from tests.imv.round_page_helpers import audit_count, decision_data, draft_data, draft_version, round_url, state

pytestmark = pytest.mark.django_db

SECRET = "Geheim concept van Heemstede: de raad twijfelt over thema 2"


# --- Reading -----------------------------------------------------------------------------------
def test_round_page_shows_status_next_step_and_own_deadline(staff_client, consultation, heemstede_p):
    response = staff_client.get(round_url(consultation))

    assert response.status_code == 200
    body = response.content.decode()
    assert "uitgenodigd" in body
    assert "Leg vast wanneer de commissie en de raad het concept bespreken" in body
    assert "nog 10 dagen" in body
    assert 'action="/gemeenten/heemstede/imv/' in body
    assert 'name="idempotency_key"' in body


def test_round_list_and_home_page_link_to_the_round(staff_client, consultation):
    listing = staff_client.get("/gemeenten/heemstede/imv/").content.decode()
    home = staff_client.get("/gemeenten/heemstede/").content.decode()

    assert round_url(consultation) in listing
    assert "Openstaand" in home
    assert round_url(consultation) in home


def test_demo_round_shows_heemstede_scheduled_and_example_label_elsewhere(client_for, make_user, heemstede, haarlem):
    demo = ConsultationRound.objects.get(is_example=True)
    heemstede_page = client_for(make_user(Role.OOV, heemstede)).get(round_url(demo)).content.decode()
    haarlem_page = client_for(make_user(Role.OOV, haarlem)).get(round_url(demo, "haarlem")).content.decode()

    assert "geagendeerd" in heemstede_page
    assert "Voorbeeld: de voortgang van Heemstede" not in heemstede_page
    assert "Voorbeeld: de voortgang van Haarlem in deze ronde is verzonnen" in haarlem_page


# --- Who may do what ---------------------------------------------------------------------------
ACTIONS = ["vergaderdata/", "geen-zienswijze/", "raadsbesluit/", "concept/", "intrekken/", "uitstel/"]


def test_another_municipalitys_staff_gets_403_and_nothing_changes(
    client_for, make_user, haarlem, consultation, scheduled
):
    client = client_for(make_user(Role.OOV, haarlem))
    before, audits = state(scheduled), audit_count(scheduled)

    assert client.get(round_url(consultation)).status_code == 403
    assert client.get(round_url(consultation, action="raadsbesluit.pdf")).status_code == 403
    for action in ACTIONS:
        response = client.post(
            round_url(consultation, action=action),
            {**decision_data(), **draft_data(1, action="indienen"), "committee_date": "2030-01-01"},
        )
        assert response.status_code == 403, action
    assert (state(scheduled), audit_count(scheduled)) == (before, audits)


@pytest.mark.parametrize("role", [Role.ADVISER, Role.RBOP])
def test_adviser_and_rbop_read_without_forms_and_may_not_post(
    role, client_for, make_user, consultation, scheduled, heemstede, heemstede_staff
):
    with schema_context(heemstede.schema_name):
        draft = opinion_draft_get(consultation=consultation)
        opinion_draft_save(
            actor=heemstede_staff,
            draft=draft,
            expected_version=draft.version,
            overall_position=Position.OBJECTS,
            overall_text=SECRET,
            points=[],
        )
    client = client_for(make_user(role))
    before, audits = state(scheduled), audit_count(scheduled)

    page = client.get(round_url(consultation))

    assert page.status_code == 200
    body = page.content.decode()
    assert "geagendeerd" in body
    assert "U leest mee" in body
    assert f"{round_url(consultation)}vergaderdata/" not in body
    assert 'name="idempotency_key"' not in body
    assert SECRET not in body  # the draft is the municipality's own
    for action in ACTIONS:
        response = client.post(round_url(consultation, action=action), {"committee_date": "2030-01-01"})
        assert response.status_code == 403, action
    assert (state(scheduled), audit_count(scheduled)) == (before, audits)


def test_a_haarlem_user_never_sees_heemsteedes_draft_text(
    client_for, make_user, consultation, heemstede, haarlem, heemstede_staff, staff_client
):
    staff_client.post(
        round_url(consultation, action="concept/"),
        draft_data(draft_version(heemstede, consultation), text=SECRET, action="opslaan"),
    )
    assert SECRET in staff_client.get(round_url(consultation)).content.decode()
    client = client_for(make_user(Role.OOV, haarlem))

    pages = [
        "/",
        "/gemeenten/haarlem/",
        "/gemeenten/haarlem/imv/",
        round_url(consultation, "haarlem"),
        "/gemeenten/heemstede/",
        "/gemeenten/heemstede/imv/",
        round_url(consultation),
    ]
    for path in pages:
        response = client.get(path)
        assert SECRET not in response.content.decode(), path
    assert client.get(round_url(consultation)).status_code == 403
    with schema_context(haarlem.schema_name):
        assert not OpinionDraft.objects.filter(overall_text=SECRET).exists()


def test_anonymous_visitor_is_sent_to_login(client, consultation):
    response = client.get(round_url(consultation))

    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


# --- A closed round ----------------------------------------------------------------------------
@pytest.fixture
def closed(consultation, heemstede_p) -> ConsultationRound:
    """The round after its RBOP meeting (moved into the past, deadlines with it)."""
    shift = timedelta(days=60)
    ConsultationRound.objects.filter(pk=consultation.pk).update(
        deadline=F("deadline") - shift, rbop_meeting=F("rbop_meeting") - shift
    )
    Participation.objects.filter(round=consultation).update(deadline=F("deadline") - shift)
    consultation.refresh_from_db()
    return consultation


def test_closed_round_shows_why_and_offers_no_forms(staff_client, closed):
    body = staff_client.get(round_url(closed)).content.decode()

    assert "De consultatieronde is gesloten: het RBOP heeft op" in body
    assert 'name="idempotency_key"' not in body
    assert f"{round_url(closed)}vergaderdata/" not in body


def test_closed_round_refuses_every_action(staff_client, closed, heemstede_p, heemstede):
    before, audits = state(heemstede_p), audit_count(heemstede_p)
    version = draft_version(heemstede, closed)

    schedule = staff_client.post(round_url(closed, action="vergaderdata/"), {"council_date": "2030-01-01"})
    save = staff_client.post(
        round_url(closed, action="concept/"), draft_data(version, text="Te laat bedacht", action="opslaan")
    )
    extension = staff_client.post(
        round_url(closed, action="uitstel/"), {"requested_deadline": "2030-01-01", "reason": "x"}
    )

    for response in (schedule, save, extension):
        assert response.status_code == 409
        assert "De consultatieronde is gesloten" in response.content.decode()
    assert "Te laat bedacht</textarea>" in save.content.decode()  # the text is kept in the refused form
    assert (state(heemstede_p), audit_count(heemstede_p)) == (before, audits)
    assert draft_version(heemstede, closed) == version
