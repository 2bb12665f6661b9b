"""The council decision, "no opinion" and the region's answer through the API: the same services,
rules, Dutch messages and audit as the round page, each behind the participation's If-Match."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imv.clock import amsterdam_date, db_now
from imv.demo import minimal_pdf
from imv.models import Openbaarheid, Participation, ParticipationStatus, WooCategory
from tenants.models import AuditEvent
from tests.api.test_errors import assert_problem
from tests.factories import react_to_all
from tests.transition_helpers import bring_to, submit

pytestmark = pytest.mark.django_db
S = ParticipationStatus


def url(p: Participation, action: str = "") -> str:
    return f"/api/v1/deelnames/{p.uuid}" + (f"/{action}" if action else "")


def decision_form(**overrides):
    form = {
        "datum": amsterdam_date(db_now()).isoformat(),
        "zaaknummer": "Z-2024-77",
        "document": SimpleUploadedFile("besluit.pdf", minimal_pdf("Raadsbesluit"), content_type="application/pdf"),
        "openbaarheid": Openbaarheid.ACTIVE,
        "wooCategorie": WooCategory.objects.order_by("order").values_list("tooi_uri", flat=True)[0],
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


@pytest.fixture
def staff(staff_of, heemstede):
    return staff_of(heemstede)


@pytest.fixture
def client(api_client_for, staff):
    return api_client_for(staff)


@pytest.fixture
def p(participation_of, heemstede, staff, adviser):
    return bring_to(S.SCHEDULED, participation_of(heemstede), staff, adviser)


def put_decision(client, p, **overrides):
    etag = overrides.pop("etag", None) or client.get(url(p))["ETag"]
    return client.put(url(p, "raadsbesluit"), decision_form(**overrides), format="multipart", HTTP_IF_MATCH=etag)


def test_the_council_decision_with_its_pdf_moves_to_vastgesteld_and_is_audited(client, p):
    response = put_decision(client, p)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == S.ADOPTED
    assert (body["zaaknummer"], body["openbaarheid"]) == ("Z-2024-77", Openbaarheid.ACTIVE)
    assert body["wooCategorie"] == WooCategory.objects.order_by("order").values_list("tooi_uri", flat=True)[0]
    assert response["ETag"] == f'"{body["versie"]}"'
    p.refresh_from_db()
    assert p.decision_document.read().startswith(b"%PDF")
    fields = set(AuditEvent.objects.filter(object_uuid=p.uuid).values_list("field", flat=True))
    assert {"decision_date", "decision_case_number", "openbaarheid", "woo_category", "decision_document"} <= fields


def test_replacing_the_decision_without_a_file_keeps_the_stored_pdf(client, p):
    put_decision(client, p)
    stored = Participation.objects.get(pk=p.pk).decision_document.name

    response = put_decision(client, p, zaaknummer="Z-2024-78", document=None)

    assert response.status_code == 200, response.content
    p.refresh_from_db()
    assert (p.decision_case_number, p.decision_document.name) == ("Z-2024-78", stored)


def test_without_if_match_428_and_stale_412_naming_the_current_etag(client, p):
    old = client.get(url(p))["ETag"]
    missing = client.put(url(p, "raadsbesluit"), decision_form(), format="multipart")
    assert_problem(missing, 428)
    put_decision(client, p)

    stale = put_decision(client, p, zaaknummer="Z-oud", etag=old)

    body = assert_problem(stale, 412)
    assert body["huidigeEtag"] == client.get(url(p))["ETag"]
    assert Participation.objects.get(pk=p.pk).decision_case_number == "Z-2024-77"


def test_a_file_that_is_no_pdf_and_a_future_date_are_400_in_dutch_and_nothing_is_stored(client, p):
    tomorrow = (amsterdam_date(db_now()) + timedelta(days=1)).isoformat()
    not_pdf = SimpleUploadedFile("besluit.pdf", b"geen pdf", content_type="application/pdf")

    refused = put_decision(client, p, document=not_pdf)
    future = put_decision(client, p, datum=tomorrow)

    reasons = {i["name"]: i["reason"] for i in assert_problem(refused, 400)["invalidParams"]}
    assert reasons["document"].startswith("Het bestand is geen PDF.")
    future_reasons = {i["name"]: i["reason"] for i in assert_problem(future, 400)["invalidParams"]}
    assert future_reasons["datum"] == "Een raadsbesluit kan niet in de toekomst liggen."
    p.refresh_from_db()
    assert (p.status, bool(p.decision_document)) == (S.SCHEDULED, False)


def test_json_is_refused_as_415_problem_json(client, p):
    etag = client.get(url(p))["ETag"]
    response = client.put(url(p, "raadsbesluit"), {"zaaknummer": "Z"}, format="json", HTTP_IF_MATCH=etag)
    assert_problem(response, 415)


def test_a_decision_after_submission_is_refused_with_the_reason(client, p, staff, adviser):
    submitted = bring_to(S.SUBMITTED, p, staff, adviser)

    response = put_decision(client, submitted)

    assert assert_problem(response, 409)["detail"].startswith("Trek eerst de zienswijze in")


def test_no_opinion_through_the_api(client, p):
    assert_problem(client.post(url(p, "geen-zienswijze"), {}, format="json"), 428)
    etag = client.get(url(p))["ETag"]

    response = client.post(url(p, "geen-zienswijze"), {"toelichting": "Geen."}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == S.NO_OPINION


def test_the_adviser_answers_once_every_point_has_a_reaction(p, staff, adviser, api_client_for, client):
    submitted = submit(staff, bring_to(S.ADOPTED, p, staff, adviser))
    regional = api_client_for(adviser)
    etag = regional.get(url(submitted))["ETag"]

    open_points = regional.post(url(submitted, "beantwoording"), HTTP_IF_MATCH=etag)
    assert assert_problem(open_points, 409)["detail"].startswith("Schrijf eerst een reactie")
    assert_problem(client.post(url(submitted, "beantwoording"), HTTP_IF_MATCH=etag), 403)
    react_to_all(actor=adviser, opinion=submitted.opinions.get(withdrawn_at__isnull=True))
    etag = regional.get(url(submitted))["ETag"]

    answered = regional.post(url(submitted, "beantwoording"), HTTP_IF_MATCH=etag)

    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == S.ANSWERED
