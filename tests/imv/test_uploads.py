"""Uploaded PDFs: only real, unencrypted PDFs without JavaScript, within the size limit, are stored."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from imv import services
from imv.clock import db_now
from imv.demo import minimal_pdf
from imv.models import ParticipationStatus
from imv.uploads import pdf_check
from portal.exceptions import PortalError
from tenants.models import AuditEvent
from tests.imv.conftest import decision

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def handmade_pdf(*objects: bytes) -> bytes:
    """A PDF with these object bodies (object 1 is the catalog), a correct xref and trailer."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def object_stream_pdf(hidden: bytes) -> bytes:
    """A PDF 1.5 whose object 4 (the catalog's /OpenAction) sits compressed in an object stream."""
    header = b"4 0 "
    packed = zlib.compress(header + hidden)
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}
    for number, body in enumerate(bodies, start=1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[5] = len(out)
    out += b"5 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        len(header),
        len(packed),
    )
    out += packed + b"\nendstream\nendobj\n"
    offsets[6] = len(out)
    rows = b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")
    for number in (1, 2, 3):
        rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
    rows += b"\x02" + (5).to_bytes(4, "big") + b"\x00\x00"  # object 4: in stream 5, index 0
    for number in (5, 6):
        rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(rows)
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[6]
    return bytes(out)


def one_page(catalog_extra: bytes = b"", page_extra: bytes = b"", *more: bytes) -> bytes:
    return handmade_pdf(
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page_extra + b" >>",
        *more,
    )


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password=user_password, owner_password="eigenaar")
    return written(writer)


def javascript_pdf() -> bytes:
    # PdfWriter.add_js was removed in pypdf 7; add_open_action puts the script in the
    # document-level JavaScript name tree, as add_js did.
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_open_action(JavaScript("app.alert('hallo');"))
    return written(writer)


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """A private MEDIA_ROOT, so "nothing stored" is not disturbed by other test runs."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def scheduled(participation_of, heemstede, heemstede_staff):
    participation = participation_of(heemstede)
    return services.participation_schedule(
        actor=heemstede_staff, participation=participation, committee_date=None, council_date=db_now().date()
    )


def refusal(upload) -> PortalError:
    with pytest.raises(PortalError) as info:
        pdf_check(upload)
    assert info.value.errors == {"document": [info.value.message]}
    return info.value


def test_pdf_check_accepts_a_real_pdf_and_rewinds_it():
    upload = SimpleUploadedFile("raadsbesluit.pdf", minimal_pdf("Raadsbesluit"), content_type="application/pdf")
    pdf_check(upload)
    assert upload.read(5) == b"%PDF-"


def test_pdf_check_accepts_a_pdf_written_by_pypdf():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    pdf_check(ContentFile(written(writer), name="besluit.pdf"))


@pytest.mark.parametrize(
    "content",
    [PNG, b"Dit is een tekstbestand met de naam besluit.pdf.\n", b"", b"  %PDF-1.4 begint niet vooraan"],
    ids=["png", "text", "empty", "header-not-at-start"],
)
def test_pdf_check_refuses_a_file_that_is_not_a_pdf(content):
    error = refusal(SimpleUploadedFile("besluit.pdf", content, content_type="application/pdf"))
    assert error.code == "pdf_invalid"
    assert "geen PDF" in error.message


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\nmaar verder niets\n", minimal_pdf("Afgebroken")[:200], b"%PDF-1.7\n" + PNG * 50],
    ids=["header-only", "truncated", "png-behind-header"],
)
def test_pdf_check_refuses_a_pdf_header_without_a_readable_pdf(content):
    error = refusal(ContentFile(content, name="besluit.pdf"))
    assert error.code == "pdf_invalid"
    assert "geen geldige PDF" in error.message


@pytest.mark.parametrize("user_password", ["geheim", ""], ids=["password", "owner-password-only"])
def test_pdf_check_refuses_an_encrypted_pdf(user_password):
    error = refusal(ContentFile(encrypted_pdf(user_password), name="besluit.pdf"))
    assert error.code == "pdf_encrypted"
    assert "beveiligd of versleuteld" in error.message


@pytest.mark.parametrize(
    "content",
    [
        javascript_pdf(),
        one_page(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        one_page(b"/OpenAction 4 0 R", b"", b"<< /S /JavaScript /JS 5 0 R >>", b"<< /Length 0 >>\nstream\n\nendstream"),
        one_page(b"", b"/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >>"),
        # Escaped names (#4A is J, #53 is S) hide from a naive byte search, not from the parser.
        one_page(b"/OpenAction << /S /#4Aava#53cript /J#53 (app.alert(1)) >>"),
        one_page(b"/AcroForm << /Fields [] /XFA 4 0 R >>", b"", b"<< /Length 0 >>\nstream\n\nendstream"),
    ],
    ids=["name-tree", "open-action", "open-action-indirect", "page-aa", "escaped-names", "xfa"],
)
def test_pdf_check_refuses_a_pdf_with_javascript(content):
    error = refusal(ContentFile(content, name="besluit.pdf"))
    assert error.code == "pdf_javascript"
    assert "JavaScript" in error.message


@pytest.mark.parametrize(
    "content",
    [
        one_page(b"/OpenAction << /S /Launch /F (calc.exe) >>"),
        one_page(b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>", b"", b"<< /Type /Filespec >>"),
        one_page(b"", b"/Annots [4 0 R]", b"<< /Type /Annot /Subtype /FileAttachment /FS 5 0 R >>", b"<< >>"),
        one_page(b"", b"/Annots [4 0 R]", b"<< /Type /Annot /Subtype /RichMedia >>"),
        one_page(b"/OpenAction << /S /URI /URI (https://example.org/) >>"),
    ],
    ids=["launch", "embedded-files", "file-attachment", "rich-media", "open-action-uri"],
)
def test_pdf_check_refuses_other_active_content(content):
    error = refusal(ContentFile(content, name="besluit.pdf"))
    assert error.code == "pdf_active_content"
    assert "actieve inhoud" in error.message


@pytest.mark.parametrize(
    "open_action", [b"/OpenAction [3 0 R /Fit]", b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >>"], ids=["dest", "goto"]
)
def test_pdf_check_accepts_a_pdf_that_opens_at_its_first_page(open_action):
    pdf_check(ContentFile(one_page(open_action), name="besluit.pdf"))


def test_pdf_check_refuses_javascript_in_an_object_no_page_refers_to():
    content = one_page(b"", b"", b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>")
    assert refusal(ContentFile(content, name="besluit.pdf")).code == "pdf_javascript"


def test_pdf_check_reads_compressed_object_streams():
    # The script is deflated inside an object stream: no byte search finds it, the parser does.
    harmless = object_stream_pdf(b"<< /S /GoTo /D [3 0 R /Fit] >>")
    pdf_check(ContentFile(harmless, name="besluit.pdf"))
    hidden = object_stream_pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    assert b"JavaScript" not in hidden
    assert refusal(ContentFile(hidden, name="besluit.pdf")).code == "pdf_javascript"


def test_pdf_check_refuses_a_file_over_the_limit(settings):
    content = minimal_pdf("Groot")
    content += b"%" + b"x" * (settings.PORTAL_MAX_UPLOAD_BYTES - len(content)) + b"\n"
    error = refusal(SimpleUploadedFile("besluit.pdf", content, content_type="application/pdf"))
    assert error.code == "upload_too_large"
    assert "groter dan 10 MB" in error.message


def test_pdf_check_accepts_a_file_just_under_the_limit(settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = len(minimal_pdf("Precies")) + 10
    pdf_check(ContentFile(minimal_pdf("Precies"), name="besluit.pdf"))


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\windows\\besluit.pdf", "besluit\x00.pdf", "..", "/etc/besluit.pdf"]
)
def test_pdf_check_refuses_an_unsafe_file_name(name):
    error = refusal(ContentFile(minimal_pdf("Raadsbesluit"), name=name))
    assert error.code == "upload_name"
    assert "bestandsnaam" in error.message


def test_django_strips_folders_from_an_uploaded_name_and_the_stored_name_is_ours(
    media_root, scheduled, heemstede_staff
):
    # A browser upload's name is cut to its last part by Django; the portal stores under a UUID anyway.
    upload = SimpleUploadedFile("../../etc/passwd.pdf", minimal_pdf("Raadsbesluit"), content_type="application/pdf")
    adopted = services.participation_adopt(
        actor=heemstede_staff, participation=scheduled, decision=decision(document=upload)
    )
    stored = Path(adopted.decision_document.path)
    assert stored.is_relative_to(media_root / "gemeenten" / "gm0397" / "raadsbesluiten")
    assert "passwd" not in stored.name
    assert stored.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("besluit.pdf", PNG, content_type="application/pdf"), "pdf_invalid"),
        (ContentFile(b"Gewone tekst, geen PDF.", name="besluit.pdf"), "pdf_invalid"),
        (ContentFile(encrypted_pdf("geheim"), name="besluit.pdf"), "pdf_encrypted"),
        (ContentFile(javascript_pdf(), name="besluit.pdf"), "pdf_javascript"),
        (ContentFile(minimal_pdf("Raadsbesluit"), name="../../etc/passwd.pdf"), "upload_name"),
    ],
    ids=["png", "text", "encrypted", "javascript", "traversal"],
)
def test_participation_adopt_with_a_refused_file_writes_nothing(media_root, scheduled, heemstede_staff, upload, code):
    audit_before = AuditEvent.objects.filter(object_uuid=scheduled.uuid).count()
    with pytest.raises(PortalError) as info:
        services.participation_adopt(actor=heemstede_staff, participation=scheduled, decision=decision(document=upload))
    assert info.value.code == code
    assert "document" in info.value.errors
    scheduled.refresh_from_db()
    assert scheduled.status == ParticipationStatus.SCHEDULED
    assert scheduled.decision_date is None
    assert not scheduled.decision_document
    assert AuditEvent.objects.filter(object_uuid=scheduled.uuid).count() == audit_before
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_participation_adopt_over_the_limit_writes_nothing(settings, media_root, scheduled, heemstede_staff):
    settings.PORTAL_MAX_UPLOAD_BYTES = 100
    version = scheduled.version
    with pytest.raises(PortalError) as info:
        services.participation_adopt(actor=heemstede_staff, participation=scheduled, decision=decision())
    assert info.value.code == "upload_too_large"
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.version) == (ParticipationStatus.SCHEDULED, version)
    assert not list(media_root.rglob("*.pdf"))


def test_an_upload_over_the_cap_never_reaches_the_disk_in_full(
    settings, media_root, staff_client, consultation, scheduled, tmp_path, monkeypatch
):
    """The council decision form with a 6 MB "PDF" and a cap of 1 MB: Django's temporary-file
    handler receives no more than the cap (and one chunk), the page refuses it in Dutch, nothing is stored."""
    from django.core.files import uploadhandler

    from tests.imv.round_page_helpers import decision_data, round_url

    settings.PORTAL_MAX_UPLOAD_BYTES = 2**20
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file, as big ones do
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    written: list[int] = []
    real = uploadhandler.TemporaryFileUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        written.append(len(raw_data))
        return real(self, raw_data, start)

    monkeypatch.setattr(uploadhandler.TemporaryFileUploadHandler, "receive_data_chunk", spy)
    big = ContentFile(b"%PDF-1.4\n" + b"0" * (6 * 2**20), name="besluit.pdf")

    response = staff_client.post(round_url(consultation, action="raadsbesluit/"), decision_data(document=big))

    assert response.status_code == 400
    assert "Het bestand is groter dan 1 MB." in response.content.decode()
    assert sum(written) <= settings.PORTAL_MAX_UPLOAD_BYTES + 64 * 1024  # the cap and at most one chunk
    scheduled.refresh_from_db()
    assert not scheduled.decision_document
