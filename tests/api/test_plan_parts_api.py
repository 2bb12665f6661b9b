"""…/veiligheidsplannen/{veiligheidsplan_uuid}/participatiemomenten and …/raadsbesluiten: create, read,
change and remove through the services of the plan page, with If-Match on every change, the PDF of a
decision as multipart/form-data through imv.uploads.pdf_check, and the audit."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django_tenants.utils import schema_context

from imv.demo import minimal_pdf
from municipalities.models import ParticipationEvent, PlanDecision, SafetyPlan
from tenants.models import AuditEvent, Role
from tests.api.conftest import etag_of, plans_url, schema_local_rows

PROBLEM = "application/problem+json"


@pytest.fixture
def oov(make_user, heemstede):
    return make_user(Role.OOV, heemstede)


@pytest.fixture
def staff(oov, api_client_for):
    return api_client_for(oov)


@pytest.fixture
def plan_2020(heemstede) -> str:
    with schema_context(heemstede.schema_name):
        return str(SafetyPlan.objects.get(period_start=2020).uuid)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def parts(heemstede, plan_uuid: str, kind: str) -> set[str]:
    rows = schema_local_rows(heemstede)["planonderdelen"]
    return {u for u, row in rows.items() if row["kind"] == kind and row["plan"] == plan_uuid}


def events_url(heemstede, plan_uuid: str, *rest: object) -> str:
    return "/".join([plans_url(heemstede, plan_uuid), "participatiemomenten", *map(str, rest)])


def decisions_url(heemstede, plan_uuid: str, *rest: object) -> str:
    return "/".join([plans_url(heemstede, plan_uuid), "raadsbesluiten", *map(str, rest)])


def pdf(title: str = "Raadsbesluit IVP") -> SimpleUploadedFile:
    return SimpleUploadedFile("besluit.pdf", minimal_pdf(title), content_type="application/pdf")


def multipart(client, method: str, url: str, data: dict, **headers: str):
    return client.generic(method, url, encode_multipart(BOUNDARY, data), MULTIPART_CONTENT, **headers)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


# --- Participation events ------------------------------------------------------------------------
def test_participation_event_lifecycle_through_the_api(staff, oov, heemstede, plan_2020):
    before = parts(heemstede, plan_2020, "participatiemoment")
    created = staff.post(
        events_url(heemstede, plan_2020),
        {"vorm": "thematafel", "datum": "2019-10-01", "deelnemers": "Bewoners en wijkagent"},
        format="json",
    )
    assert created.status_code == 201, created.content
    event_uuid = created.json()["uuid"]
    assert created["Location"] == events_url(heemstede, plan_2020, event_uuid)
    assert created["ETag"] == etag_of(staff, created["Location"])
    assert parts(heemstede, plan_2020, "participatiemoment") == before | {event_uuid}

    changed = staff.patch(
        created["Location"], {"opbrengst": "Meer licht in het park."}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] != created["ETag"]
    with schema_context(heemstede.schema_name):
        stored = ParticipationEvent.objects.get(uuid=event_uuid)
    assert (stored.kind, str(stored.date), stored.participants, stored.outcome) == (
        "thematafel",
        "2019-10-01",
        "Bewoners en wijkagent",
        "Meer licht in het park.",
    )
    listed = staff.get(events_url(heemstede, plan_2020)).json()["results"]
    assert event_uuid in {item["uuid"] for item in listed}

    removed = staff.delete(created["Location"], HTTP_IF_MATCH=changed["ETag"])
    assert removed.status_code == 204
    assert parts(heemstede, plan_2020, "participatiemoment") == before
    fields = set(AuditEvent.objects.filter(object_uuid=event_uuid, actor=oov).values_list("field", flat=True))
    assert {"aangemaakt", "kind", "date", "participants", "outcome", "verwijderd"} <= fields


def test_participation_event_changes_need_the_current_etag(staff, heemstede, plan_2020, all_local_rows):
    [event_uuid] = parts(heemstede, plan_2020, "participatiemoment")
    url = events_url(heemstede, plan_2020, event_uuid)
    stale = etag_of(staff, url)
    assert staff.patch(url, {"opbrengst": "Eerst."}, format="json", HTTP_IF_MATCH=stale).status_code == 200
    before = all_local_rows()

    problem(staff.patch(url, {"opbrengst": "Zonder."}, format="json"), 428)
    problem(staff.patch(url, {"opbrengst": "Oud."}, format="json", HTTP_IF_MATCH=stale), 412)
    problem(staff.delete(url), 428)
    problem(staff.delete(url, HTTP_IF_MATCH=stale), 412)
    assert all_local_rows() == before
    with schema_context(heemstede.schema_name):
        assert ParticipationEvent.objects.get(uuid=event_uuid).outcome == "Eerst."


def test_participation_event_post_names_every_invalid_field_in_dutch(staff, heemstede, plan_2020, all_local_rows):
    before = all_local_rows()

    response = staff.post(
        events_url(heemstede, plan_2020), {"vorm": "picknick", "datum": "1-10-2019", "wie": "iedereen"}, format="json"
    )

    body = problem(response, 400)
    assert {p["name"] for p in body["invalidParams"]} == {"vorm", "datum", "wie"}
    wie = next(p for p in body["invalidParams"] if p["name"] == "wie")
    assert wie["reason"] == "Dit veld bestaat niet of kan niet via de API gewijzigd worden."
    assert all_local_rows() == before


@pytest.mark.parametrize("role", [Role.ADVISER, Role.RBOP])
def test_plan_part_writes_by_regional_readers_are_403(role, make_user, api_client_for, heemstede, plan_2020, media):
    client = api_client_for(make_user(role))
    [event_uuid] = parts(heemstede, plan_2020, "participatiemoment")
    [decision_uuid] = parts(heemstede, plan_2020, "raadsbesluit")
    before = schema_local_rows(heemstede)

    assert client.get(events_url(heemstede, plan_2020, event_uuid)).status_code == 200  # they read it
    problem(
        client.post(events_url(heemstede, plan_2020), {"vorm": "enquete", "datum": "2019-10-01"}, format="json"), 403
    )
    problem(client.patch(events_url(heemstede, plan_2020, event_uuid), {"opbrengst": "x"}, format="json"), 403)
    problem(client.delete(events_url(heemstede, plan_2020, event_uuid)), 403)
    data = {"datum": "2020-05-01", "zaaknummer": "Z-2", "openbaarheid": "openbaar", "document": pdf()}
    problem(multipart(client, "POST", decisions_url(heemstede, plan_2020), data), 403)
    problem(multipart(client, "PATCH", decisions_url(heemstede, plan_2020, decision_uuid), {"zaaknummer": "Z-3"}), 403)
    problem(client.delete(decisions_url(heemstede, plan_2020, decision_uuid)), 403)
    assert schema_local_rows(heemstede) == before
    assert not list(media.rglob("*.pdf"))


def test_plan_parts_of_another_municipality_are_404(staff, make_user, api_client_for, heemstede, haarlem, plan_2020):
    client = api_client_for(make_user(Role.OOV, haarlem))
    [event_uuid] = parts(heemstede, plan_2020, "participatiemoment")
    [decision_uuid] = parts(heemstede, plan_2020, "raadsbesluit")
    before = schema_local_rows(heemstede)
    # Heemstede's own staff find them there.
    assert staff.get(events_url(heemstede, plan_2020, event_uuid)).status_code == 200
    assert staff.get(decisions_url(heemstede, plan_2020, decision_uuid)).status_code == 200

    for municipality in (heemstede, haarlem):  # Heemstede's UUIDs under Haarlem's own path are unknown too
        problem(client.get(events_url(municipality, plan_2020)), 404)
        problem(client.patch(events_url(municipality, plan_2020, event_uuid), {"opbrengst": "x"}, format="json"), 404)
        problem(client.delete(decisions_url(municipality, plan_2020, decision_uuid), HTTP_IF_MATCH='"x"'), 404)
    assert schema_local_rows(heemstede) == before


def test_a_part_under_another_plan_of_the_municipality_is_404(staff, heemstede, plan_2020):
    with schema_context(heemstede.schema_name):
        other = str(SafetyPlan.objects.get(period_start=2024).uuid)
    [event_uuid] = parts(heemstede, plan_2020, "participatiemoment")
    assert staff.get(events_url(heemstede, plan_2020, event_uuid)).status_code == 200

    problem(staff.get(events_url(heemstede, other, event_uuid)), 404)
    problem(staff.get(events_url(heemstede, str(uuid.uuid4()))), 404)


# --- Council decisions ----------------------------------------------------------------------------
def test_decision_post_stores_the_pdf_and_serves_it(staff, oov, heemstede, plan_2020, media):
    data = {"datum": "2020-05-28", "zaaknummer": "Z-560700", "openbaarheid": "actief_openbaar", "document": pdf()}

    created = multipart(staff, "POST", decisions_url(heemstede, plan_2020), data)

    assert created.status_code == 201, created.content
    body = created.json()
    assert created["Location"] == decisions_url(heemstede, plan_2020, body["uuid"])
    assert body["_links"]["document"]["href"] == f"{created['Location']}/document"
    download = staff.get(body["_links"]["document"]["href"])
    assert download["Content-Disposition"] == 'attachment; filename="raadsbesluit-GM0397-Z-560700.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    with schema_context(heemstede.schema_name):
        stored = PlanDecision.objects.get(uuid=body["uuid"])
    name = str(stored.document.name)
    assert name.startswith("gemeenten/gm0397/raadsbesluiten/ivp/")
    assert name.encode() not in created.content
    document = AuditEvent.objects.get(object_uuid=stored.uuid, field="document", actor=oov)
    assert "bytes, sha256 " in document.new_value


def test_decision_patch_replaces_the_pdf_and_removes_the_old_file(
    staff, heemstede, plan_2020, media, django_capture_on_commit_callbacks
):
    data = {"datum": "2020-05-28", "zaaknummer": "Z-1", "openbaarheid": "openbaar", "document": pdf()}
    created = multipart(staff, "POST", decisions_url(heemstede, plan_2020), data)
    with schema_context(heemstede.schema_name):
        old_name = str(PlanDecision.objects.get(uuid=created.json()["uuid"]).document.name)

    with django_capture_on_commit_callbacks(execute=True):  # the old file goes after commit
        changed = multipart(
            staff,
            "PATCH",
            created["Location"],
            {"zaaknummer": "Z-1a", "document": pdf("Gecorrigeerd")},
            HTTP_IF_MATCH=created["ETag"],
        )

    assert changed.status_code == 200, changed.content
    assert changed.json()["zaaknummer"] == "Z-1a"
    with schema_context(heemstede.schema_name):
        new_name = str(PlanDecision.objects.get(uuid=created.json()["uuid"]).document.name)
    assert new_name != old_name
    assert not default_storage.exists(old_name)
    assert default_storage.exists(new_name)


def test_decision_without_a_pdf_keeps_a_document_on_patch(staff, heemstede, plan_2020, media):
    [decision_uuid] = parts(heemstede, plan_2020, "raadsbesluit")
    url = decisions_url(heemstede, plan_2020, decision_uuid)

    changed = multipart(staff, "PATCH", url, {"openbaarheid": "niet_openbaar"}, HTTP_IF_MATCH=etag_of(staff, url))

    assert changed.status_code == 200, changed.content
    assert changed.json()["openbaarheid"] == "niet_openbaar"
    assert "document" not in changed.json()["_links"]


def test_decision_with_a_file_that_is_not_a_pdf_is_refused_in_dutch(staff, heemstede, plan_2020, media):
    before = schema_local_rows(heemstede)
    fake = SimpleUploadedFile("besluit.pdf", b"MZ\x90\x00 geen pdf", content_type="application/pdf")

    response = multipart(
        staff,
        "POST",
        decisions_url(heemstede, plan_2020),
        {"datum": "2020-05-28", "zaaknummer": "Z-9", "openbaarheid": "openbaar", "document": fake},
    )

    body = problem(response, 400)
    assert body["detail"] == "Het raadsbesluit is niet opgeslagen."
    assert [p["name"] for p in body["invalidParams"]] == ["document"]
    assert schema_local_rows(heemstede) == before
    assert not list(media.rglob("*.pdf"))


def test_nul_in_a_decision_field_is_400_naming_it_and_nothing_is_stored(staff, heemstede, plan_2020, media):
    before = schema_local_rows(heemstede)
    data = {"datum": "2020-05-28", "zaaknummer": "Z-2020\x0077", "openbaarheid": "openbaar", "document": pdf()}

    body = problem(multipart(staff, "POST", decisions_url(heemstede, plan_2020), data), 400)

    assert {p["name"]: p["reason"] for p in body["invalidParams"]} == {
        "zaaknummer": "Het teken U+0000 is niet toegestaan."  # api.parsers, as for PUT …/raadsbesluit
    }
    assert schema_local_rows(heemstede) == before
    assert not list(media.rglob("*.pdf"))


def test_decision_post_as_json_is_415(staff, heemstede, plan_2020):
    response = staff.post(
        decisions_url(heemstede, plan_2020),
        {"datum": "2020-05-28", "zaaknummer": "Z-9", "openbaarheid": "openbaar"},
        format="json",
    )

    problem(response, 415)


def test_decision_delete_needs_the_etag_and_removes_the_pdf(
    staff, heemstede, plan_2020, media, django_capture_on_commit_callbacks
):
    data = {"datum": "2020-05-28", "zaaknummer": "Z-2", "openbaarheid": "openbaar", "document": pdf()}
    created = multipart(staff, "POST", decisions_url(heemstede, plan_2020), data)
    with schema_context(heemstede.schema_name):
        name = str(PlanDecision.objects.get(uuid=created.json()["uuid"]).document.name)

    problem(staff.delete(created["Location"]), 428)
    problem(staff.delete(created["Location"], HTTP_IF_MATCH='"verouderd"'), 412)
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after commit
        response = staff.delete(created["Location"], HTTP_IF_MATCH=created["ETag"])

    assert response.status_code == 204
    assert created.json()["uuid"] not in parts(heemstede, plan_2020, "raadsbesluit")
    assert not default_storage.exists(name)
    assert AuditEvent.objects.filter(object_uuid=created.json()["uuid"], field="verwijderd").exists()
