"""The municipality's round page: every action goes through a service and is audited; only the
municipality's own staff write; the adviser and RBOP read; the draft stays inside the municipality."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django_tenants.utils import schema_context

from imv import services
from imv.clock import db_now
from imv.demo import minimal_pdf
from imv.models import (
    ConsultationRound,
    Disposition,
    ExtensionRequest,
    Openbaarheid,
    Opinion,
    Participation,
    ParticipationStatus,
    Position,
    WooCategory,
)
from municipalities.models import OpinionDraft
from municipalities.services import opinion_draft_get, opinion_draft_save
from tenants.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

SECRET = "Geheim concept van Heemstede: de raad twijfelt over thema 2"


def round_url(consultation: ConsultationRound, slug: str = "heemstede", action: str = "") -> str:
    return f"/gemeenten/{slug}/imv/{consultation.uuid}/{action}"


def state(participation: Participation) -> tuple[Any, ...]:
    p = Participation.objects.get(pk=participation.pk)
    return (p.status, p.version, p.committee_date, p.council_date, p.decision_date, bool(p.decision_document))


def audit_count(participation: Participation) -> int:
    return AuditEvent.objects.filter(municipality_id=participation.municipality_id).count()


def draft_version(municipality, consultation) -> int:
    with schema_context(municipality.schema_name):
        return opinion_draft_get(consultation=consultation).version


def draft_data(version: int, *, position: str = Position.SUPPORTS, text: str = "", key: str = "", **extra):
    return {"version": version, "idempotency_key": key, "overall_position": position, "overall_text": text, **extra}


def decision_data(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "decision_date": (db_now().date() - timedelta(days=1)).isoformat(),
        "case_number": "Z-2023-123",
        "document": SimpleUploadedFile("besluit.pdf", minimal_pdf("Raadsbesluit"), content_type="application/pdf"),
        "openbaarheid": Openbaarheid.ACTIVE,
        "woo_category": WooCategory.objects.order_by("order").values_list("pk", flat=True).first(),
    }
    values.update(overrides)
    return values


@pytest.fixture
def staff_client(client_for, heemstede_staff):
    return client_for(heemstede_staff)


@pytest.fixture
def heemstede_p(participation_of, heemstede) -> Participation:
    return participation_of(heemstede)


@pytest.fixture
def scheduled(heemstede_p, heemstede_staff) -> Participation:
    return services.participation_schedule(
        actor=heemstede_staff, participation=heemstede_p, committee_date=None, council_date=db_now().date()
    )


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


# --- Each action through the page -------------------------------------------------------------
def test_schedule_through_the_page_moves_status_and_is_audited(
    staff_client, consultation, heemstede_p, heemstede_staff
):
    committee = db_now().date() + timedelta(days=2)
    council = committee + timedelta(days=5)

    response = staff_client.post(
        round_url(consultation, action="vergaderdata/"),
        {"committee_date": committee.isoformat(), "council_date": council.isoformat()},
    )

    assert response.status_code == 302
    heemstede_p.refresh_from_db()
    assert (heemstede_p.status, heemstede_p.committee_date, heemstede_p.council_date) == (
        ParticipationStatus.SCHEDULED,
        committee,
        council,
    )
    event = AuditEvent.objects.get(object_uuid=heemstede_p.uuid, field="status")
    assert (event.actor, event.old_value, event.new_value) == (heemstede_staff, "uitgenodigd", "geagendeerd")
    page = staff_client.get(round_url(consultation)).content.decode()
    assert "De vergaderdata zijn opgeslagen" in page
    assert "Commissievergadering" in page
    assert heemstede_staff.username in page  # who, in the history


def test_schedule_without_dates_shows_the_field_error_and_writes_nothing(staff_client, consultation, heemstede_p):
    before, audits = state(heemstede_p), audit_count(heemstede_p)

    response = staff_client.post(round_url(consultation, action="vergaderdata/"), {})

    assert response.status_code == 400
    body = response.content.decode()
    assert "Vul de datum van de commissie- of raadsvergadering in." in body
    assert "verplicht als er geen commissiedatum is" in body
    assert (state(heemstede_p), audit_count(heemstede_p)) == (before, audits)


def test_decline_through_the_page_is_audited_with_its_note(staff_client, consultation, heemstede_p):
    response = staff_client.post(round_url(consultation, action="geen-zienswijze/"), {"note": "Raad ziet af"})

    assert response.status_code == 302
    heemstede_p.refresh_from_db()
    assert heemstede_p.status == ParticipationStatus.NO_OPINION
    assert AuditEvent.objects.filter(object_uuid=heemstede_p.uuid, new_value="geen_zienswijze", note="Raad ziet af")


def test_council_decision_with_pdf_through_the_page(staff_client, consultation, scheduled):
    response = staff_client.post(round_url(consultation, action="raadsbesluit/"), decision_data())

    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.status == ParticipationStatus.ADOPTED
    assert scheduled.decision_case_number == "Z-2023-123"
    assert scheduled.openbaarheid == Openbaarheid.ACTIVE
    assert scheduled.decision_document.name.endswith(".pdf")
    assert AuditEvent.objects.filter(object_uuid=scheduled.uuid, field="decision_date").exists()
    download = staff_client.get(round_url(consultation, action="raadsbesluit.pdf"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_non_pdf_upload_shows_the_dutch_error_and_writes_nothing(staff_client, consultation, scheduled):
    before, audits = state(scheduled), audit_count(scheduled)
    fake = SimpleUploadedFile("besluit.pdf", b"Dit is een Word-document", content_type="application/pdf")

    response = staff_client.post(round_url(consultation, action="raadsbesluit/"), decision_data(document=fake))

    assert response.status_code == 400
    body = response.content.decode()
    assert "Het bestand is geen PDF. Sla het document op als PDF en voeg het opnieuw toe." in body
    assert "Het raadsbesluit is niet opgeslagen." in body
    assert 'accept="application/pdf' in body
    assert (state(scheduled), audit_count(scheduled)) == (before, audits)


def test_draft_save_and_submit_through_the_page(staff_client, consultation, adopted, heemstede, top_themes):
    theme = top_themes[0]
    data = draft_data(
        draft_version(heemstede, consultation),
        position=Position.SUPPORTS_WITH_REMARKS,
        text="De raad steunt het concept.",
        **{f"position_{theme.uuid.hex}": Position.OBJECTS, f"text_{theme.uuid.hex}": "Te weinig aandacht."},
    )

    saved = staff_client.post(round_url(consultation, action="concept/"), {**data, "action": "opslaan"})

    assert saved.status_code == 302
    assert saved["Location"].endswith("#zienswijze")
    assert not Opinion.objects.filter(participation=adopted).exists()
    with schema_context(heemstede.schema_name):
        draft = OpinionDraft.objects.get(round=consultation)
        assert (draft.overall_text, draft.points.get(theme=theme).position) == (
            "De raad steunt het concept.",
            Position.OBJECTS,
        )
    submitted = staff_client.post(
        round_url(consultation, action="concept/"),
        {**data, "version": draft.version, "idempotency_key": "render-1", "action": "indienen"},
    )

    assert submitted.status_code == 302
    opinion = Opinion.objects.get(participation=adopted)
    assert (opinion.number, opinion.overall_position) == (1, Position.SUPPORTS_WITH_REMARKS)
    assert opinion.points.get().text == "Te weinig aandacht."
    adopted.refresh_from_db()
    assert adopted.status == ParticipationStatus.SUBMITTED
    assert AuditEvent.objects.filter(object_uuid=opinion.uuid, field="ingediend", new_value="versie 1").exists()
    page = staff_client.get(round_url(consultation)).content.decode()
    assert "De zienswijze is ingediend bij de regio (versie 1)." in page
    assert "Te weinig aandacht." in page


def test_a_double_click_on_submit_submits_once(staff_client, consultation, adopted, heemstede):
    data = draft_data(draft_version(heemstede, consultation), key="one-render", action="indienen")

    first = staff_client.post(round_url(consultation, action="concept/"), data)
    second = staff_client.post(round_url(consultation, action="concept/"), data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert Opinion.objects.filter(participation=adopted).count() == 1


def test_submit_before_the_council_decision_is_refused_and_keeps_the_text(
    staff_client, consultation, scheduled, heemstede
):
    version = draft_version(heemstede, consultation)
    data = draft_data(version, text="Nog niet besloten", key="k", action="indienen")

    response = staff_client.post(round_url(consultation, action="concept/"), data)

    assert response.status_code == 409
    body = response.content.decode()
    assert "Van “geagendeerd” kan een deelname niet naar “ingediend”." in body
    assert "Nog niet besloten</textarea>" in body
    assert not Opinion.objects.exists() or not Opinion.objects.filter(participation=scheduled).exists()
    assert draft_version(heemstede, consultation) == version  # the save went back with the refused submit


def test_stale_draft_save_shows_the_412_message_and_does_not_overwrite(
    staff_client, consultation, heemstede_p, heemstede, make_user
):
    griffie = make_user(Role.GRIFFIE, heemstede, first_name="Greet", last_name="Griffie")
    seen = draft_version(heemstede, consultation)
    with schema_context(heemstede.schema_name):
        opinion_draft_save(
            actor=griffie,
            draft=opinion_draft_get(consultation=consultation),
            expected_version=seen,
            overall_position=Position.SUPPORTS,
            overall_text="Tekst van de griffie",
            points=[],
        )

    response = staff_client.post(
        round_url(consultation, action="concept/"),
        draft_data(seen, position=Position.OBJECTS, text="Mijn eigen tekst", action="opslaan"),
    )

    assert response.status_code == 412
    body = response.content.decode()
    assert "Greet Griffie heeft het concept intussen gewijzigd. Uw wijzigingen zijn niet opgeslagen" in body
    assert "Mijn eigen tekst</textarea>" in body  # kept in the form, as typed
    assert "[&#x27;" not in body
    assert "Tekst van de griffie" in body  # shown for comparison
    assert f'name="version" value="{seen + 1}"' in body  # saving again replaces it knowingly
    with schema_context(heemstede.schema_name):
        assert OpinionDraft.objects.get(round=consultation).overall_text == "Tekst van de griffie"


def test_withdraw_and_resubmit_through_the_page_keeps_every_version(staff_client, consultation, adopted, heemstede):
    url = round_url(consultation, action="concept/")
    staff_client.post(url, draft_data(draft_version(heemstede, consultation), key="a", action="indienen"))

    withdrawn = staff_client.post(round_url(consultation, action="intrekken/"))

    assert withdrawn.status_code == 302
    adopted.refresh_from_db()
    assert adopted.status == ParticipationStatus.ADOPTED
    first = Opinion.objects.get(participation=adopted, number=1)
    assert first.withdrawn_at is not None
    assert AuditEvent.objects.filter(object_uuid=first.uuid, field="ingetrokken").exists()
    staff_client.post(
        url, draft_data(draft_version(heemstede, consultation), position=Position.OBJECTS, key="b", action="indienen")
    )
    assert list(Opinion.objects.filter(participation=adopted).values_list("number", "withdrawn_at")) == [
        (1, first.withdrawn_at),
        (2, None),
    ]
    page = staff_client.get(round_url(consultation)).content.decode()
    assert "Versie 2" in page
    assert "Versie 1, ingediend op" in page
    assert "ingetrokken op" in page


def test_extension_request_through_the_page_and_its_state(staff_client, consultation, heemstede_p, adviser):
    wanted = (heemstede_p.deadline + timedelta(days=7)).date()

    response = staff_client.post(
        round_url(consultation, action="uitstel/"),
        {"requested_deadline": wanted.isoformat(), "reason": "De raad vergadert later."},
    )

    assert response.status_code == 302
    request = ExtensionRequest.objects.get(participation=heemstede_p)
    assert request.reason == "De raad vergadert later."
    assert AuditEvent.objects.filter(object_uuid=request.uuid, field="status", new_value="aangevraagd").exists()
    page = staff_client.get(round_url(consultation)).content.decode()
    assert "aangevraagd" in page
    assert "Er loopt al een uitstelverzoek" in page
    services.extension_decide(actor=adviser, request=request, grant=True)
    page = staff_client.get(round_url(consultation)).content.decode()
    assert "toegekend" in page
    assert "Uitstel gekregen" in page


def test_extension_request_after_the_rbop_meeting_date_shows_the_field_error(staff_client, consultation, heemstede_p):
    too_late = (consultation.rbop_meeting + timedelta(days=1)).date()

    response = staff_client.post(
        round_url(consultation, action="uitstel/"), {"requested_deadline": too_late.isoformat(), "reason": "x"}
    )

    assert response.status_code == 400
    assert "De gevraagde datum ligt niet vóór de RBOP-vergadering." in response.content.decode()
    assert not ExtensionRequest.objects.filter(participation=heemstede_p).exists()


def test_the_regions_answer_is_shown_to_the_municipality(
    staff_client, consultation, adopted, heemstede, adviser, client_for, make_user, haarlem
):
    staff_client.post(
        round_url(consultation, action="concept/"),
        draft_data(draft_version(heemstede, consultation), key="x", action="indienen"),
    )
    opinion = Opinion.objects.get(participation=adopted)
    services.reaction_set(
        actor=adviser,
        opinion=opinion,
        point=None,
        disposition=Disposition.PARTLY,
        explanation="Wij nemen dit deels over in het IMV.",
    )
    before = staff_client.get(round_url(consultation)).content.decode()
    services.participation_answer(actor=adviser, participation=adopted)

    page = staff_client.get(round_url(consultation)).content.decode()
    haarlem_page = client_for(make_user(Role.OOV, haarlem)).get(round_url(consultation, "haarlem")).content.decode()

    assert "Wij nemen dit deels over" not in before  # not until the region sends it
    assert "Wij nemen dit deels over in het IMV." in page
    assert "deels overgenomen" in page
    assert "Wij nemen dit deels over" not in haarlem_page


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
