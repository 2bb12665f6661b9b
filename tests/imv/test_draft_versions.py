"""Draft versions of the IMV text: the adviser adds them with a real PDF; every council can read them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imv.demo import minimal_pdf
from imv.models import DraftVersion
from tenants.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "concept.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_adviser_adds_a_draft_version_with_its_pdf(cycle, adviser, client_for):
    response = client_for(adviser).post(
        f"/regio/imv/cycli/{cycle.uuid}/conceptversie-toevoegen/",
        {
            "label": "Concept (100 %)",
            "day": "2023-09-01",
            "change_note": "Definitieve tekst",
            "document": upload(minimal_pdf("Concept")),
        },
    )
    assert response.status_code == 302
    version = DraftVersion.objects.get(label="Concept (100 %)")
    assert str(version.document.name).endswith(".pdf")
    assert AuditEvent.objects.filter(object_uuid=version.uuid, field="toegevoegd").exists()


def test_a_renamed_text_file_is_refused_and_nothing_written(cycle, adviser, client_for):
    response = client_for(adviser).post(
        f"/regio/imv/cycli/{cycle.uuid}/conceptversie-toevoegen/",
        {
            "label": "Nep",
            "day": "2023-09-01",
            "document": upload(b"gewoon tekst"),
        },
    )
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert not DraftVersion.objects.filter(label="Nep").exists()


@pytest.mark.parametrize("role", [Role.RBOP, Role.OOV])
def test_only_the_adviser_adds_versions(cycle, make_user, client_for, heemstede, role):
    user = make_user(role, heemstede if role == Role.OOV else None)
    response = client_for(user).post(
        f"/regio/imv/cycli/{cycle.uuid}/conceptversie-toevoegen/",
        {
            "label": "X",
            "day": "2023-09-01",
            "document": upload(minimal_pdf("X")),
        },
    )
    assert response.status_code == 403
    assert not DraftVersion.objects.filter(label="X").exists()


def test_council_staff_download_the_draft_as_attachment(cycle, heemstede_staff, client_for, make_user):
    version = DraftVersion.objects.filter(cycle=cycle).exclude(document="").first()
    assert version is not None
    response = client_for(heemstede_staff).get(f"/regio/imv/conceptversies/{version.uuid}/document.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
    assert client_for(make_user(None)).get(f"/regio/imv/conceptversies/{version.uuid}/document.pdf").status_code == 403
