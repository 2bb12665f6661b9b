"""Each action on the municipality's round page goes through a service and is audited: meeting dates,
declining, the council decision, the draft and its submission, withdrawal, an extension, the region's answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from imv import services
from imv.clock import db_now
from imv.models import Disposition, ExtensionRequest, Openbaarheid, Opinion, ParticipationStatus, Position
from municipalities.models import OpinionDraft
from tenants.models import AuditEvent, Role
from tests.imv.round_page_helpers import audit_count, decision_data, draft_data, draft_version, round_url, state

pytestmark = pytest.mark.django_db


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
    assert AuditEvent.objects.filter(
        object_uuid=opinion.uuid, field="ingediend", new_value="versie 1, op tijd"
    ).exists()
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
    assert (
        "Leg eerst het raadsbesluit vast: bij de status “geagendeerd” kan de zienswijze niet worden ingediend." in body
    )
    assert "Nog niet besloten</textarea>" in body
    assert not Opinion.objects.exists() or not Opinion.objects.filter(participation=scheduled).exists()
    assert draft_version(heemstede, consultation) == version  # the save went back with the refused submit


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
