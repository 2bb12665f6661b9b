"""File paths: A's files lie in A's folder, B cannot fetch them by any URL, no name leaves the folder.

Council decisions on the IMV (imv.Participation.decision_document) and on the local plan
(municipalities.PlanDecision.document) are stored as gemeenten/<schema>/raadsbesluiten/<uuid>.pdf;
draft IMV texts as imv/<cycle uuid>/concepten/<uuid>.pdf (a cycle is one police unit's); a backup
of A carries A's folder only. Files are only served through views that check the reader's rights;
MEDIA_ROOT itself is not served at all.
Seen to fail: with decision_document_path writing to a shared "raadsbesluiten/" folder, the
path assertions failed; with imv_decision_document reading the round's decision without the
municipality (Participation by round only), B's staff downloaded A's PDF under B's own address;
without the row check in tenants.backup.restore_plan, an archive restored B's file as its own.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django_tenants.utils import schema_context

from imv.clock import db_now
from imv.demo import minimal_pdf
from imv.models import Openbaarheid, Participation, WooCategory
from municipalities.models import PlanDecision, SafetyPlan
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def pdf(upload_name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(upload_name, minimal_pdf(text), content_type="application/pdf")


@dataclass
class Stored:
    """One municipality's two council decisions, uploaded through its pages, and where to fetch them."""

    municipality: Municipality
    participation: Participation
    plan: SafetyPlan
    decision: PlanDecision
    imv_pdf: bytes
    plan_pdf: bytes

    def urls(self, slug: str | None = None, cbs_code: str | None = None) -> list[str]:
        """The download addresses of both files, under this municipality's address or another's."""
        slug, cbs_code = slug or self.municipality.slug, cbs_code or self.municipality.cbs_code
        round_uuid, plan_uuid, decision_uuid = self.participation.round.uuid, self.plan.uuid, self.decision.uuid
        return [
            f"/gemeenten/{slug}/imv/{round_uuid}/raadsbesluit.pdf",
            f"/gemeenten/{slug}/veiligheidsplannen/{plan_uuid}/raadsbesluiten/{decision_uuid}/raadsbesluit.pdf",
            f"/api/v1/gemeenten/{cbs_code}/veiligheidsplannen/{plan_uuid}/raadsbesluiten/{decision_uuid}/document",
        ]


def upload_decisions(client: Client, municipality: Municipality, consultation, upload_name: str = "besluit.pdf"):
    """As the municipality's staff, through its pages: schedule and adopt with a PDF, and a plan decision."""
    base = f"/gemeenten/{municipality.slug}"
    imv_pdf = pdf(upload_name, f"Raadsbesluit IMV {municipality.name}")
    plan_pdf = pdf(upload_name, f"Raadsbesluit IVP {municipality.name}")
    round_url = f"{base}/imv/{consultation.uuid}"
    assert client.post(f"{round_url}/vergaderdata/", {"council_date": db_now().date().isoformat()}).status_code == 302
    adopted = client.post(
        f"{round_url}/raadsbesluit/",
        {
            "decision_date": (db_now().date() - timedelta(days=1)).isoformat(),
            "case_number": "Z-1",
            "document": imv_pdf,
            "openbaarheid": Openbaarheid.ACTIVE,
            "woo_category": WooCategory.objects.order_by("order").values_list("pk", flat=True).first(),
        },
    )
    assert adopted.status_code == 302, adopted.content
    with schema_context(municipality.schema_name):
        plan = SafetyPlan.objects.order_by("period_start").first()
    assert plan is not None
    created = client.post(
        f"{base}/veiligheidsplannen/{plan.uuid}/raadsbesluiten/nieuw/",
        {"date": "2023-12-21", "case_number": "Z-2", "openbaarheid": Openbaarheid.ACTIVE, "document": plan_pdf},
    )
    assert created.status_code == 302, created.content
    with schema_context(municipality.schema_name):
        decision = plan.decisions.exclude(document="").get(case_number="Z-2")
    imv_pdf.seek(0)
    plan_pdf.seek(0)
    return Stored(
        municipality=municipality,
        participation=Participation.objects.select_related("round").get(round=consultation, municipality=municipality),
        plan=plan,
        decision=decision,
        imv_pdf=imv_pdf.read(),
        plan_pdf=plan_pdf.read(),
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def stored(media_root, consultation, staff_of, client_for, heemstede, haarlem) -> dict[str, Stored]:
    """A's (Heemstede's) and then B's (Haarlem's) decisions, each uploaded by its own staff."""
    return {m.cbs_code: upload_decisions(client_for(staff_of(m)), m, consultation) for m in (heemstede, haarlem)}


def test_each_municipalitys_files_lie_in_its_own_folder(stored, media_root):
    for own in stored.values():
        folder = media_root / "gemeenten" / own.municipality.schema_name / "raadsbesluiten"
        for field in (own.participation.decision_document, own.decision.document):
            assert (field.name or "").startswith(f"gemeenten/{own.municipality.schema_name}/raadsbesluiten/")
            assert Path(field.path).resolve().is_relative_to(folder)
        assert Path(own.participation.decision_document.path).read_bytes() == own.imv_pdf
        assert Path(own.decision.document.path).read_bytes() == own.plan_pdf


def test_b_cannot_download_as_files_by_any_address(stored, staff_of, client_for, api_client_for):
    for own, other in ((stored["GM0397"], stored["GM0392"]), (stored["GM0392"], stored["GM0397"])):
        own_page, own_api = client_for(staff_of(own.municipality)), api_client_for(staff_of(own.municipality))
        other_page, other_api = client_for(staff_of(other.municipality)), api_client_for(staff_of(other.municipality))
        secrets = {own.imv_pdf, own.plan_pdf}

        # The positive control: A's own staff get A's files at these addresses.
        for url, expected in zip(own.urls(), (own.imv_pdf, own.plan_pdf, own.plan_pdf), strict=True):
            client = own_api if url.startswith("/api/") else own_page
            response = client.get(url)
            assert response.status_code == 200, url
            assert body(response) == expected, url

        # B at A's addresses: refused. B with A's uuids under B's own address: not found, except
        # the IMV decision, whose address names only the (shared) round: there B gets B's own.
        bs_own_imv_decision = other.urls()[0]
        for url in own.urls() + own.urls(slug=other.municipality.slug, cbs_code=other.municipality.cbs_code):
            client = other_api if url.startswith("/api/") else other_page
            response = client.get(url)
            content = body(response)
            assert content not in secrets, url
            if url == bs_own_imv_decision:
                assert (response.status_code, content) == (200, other.imv_pdf)
            else:
                assert response.status_code in (403, 404), url

        # The storage is not served: the stored name is no address.
        for field in (own.participation.decision_document, own.decision.document):
            assert other_page.get(f"/media/{field.name}").status_code == 404
            assert other_page.get(f"/{field.name}").status_code == 404


def test_an_uploaded_name_never_leaves_the_municipalitys_folder(
    media_root, consultation, staff_of, client_for, heemstede, haarlem
):
    for own, other in ((heemstede, haarlem), (haarlem, heemstede)):
        hostile = f"../../{other.schema_name}/raadsbesluiten/overschreven.pdf"
        upload_decisions(client_for(staff_of(own)), own, consultation, upload_name=hostile)
    files = [p.resolve() for p in media_root.rglob("*") if p.is_file()]
    assert len(files) == 4
    for municipality in (heemstede, haarlem):
        folder = (media_root / "gemeenten" / municipality.schema_name / "raadsbesluiten").resolve()
        assert len([p for p in files if p.is_relative_to(folder)]) == 2  # its IMV and its plan decision
    assert not [p for p in files if "overschreven" in p.name]


def test_a_draft_imv_text_is_the_units_and_refused_to_another_units_adviser(
    media_root, cycle, adviser, other_unit, staff_of, client_for, heemstede, haarlem
):
    response = client_for(adviser).post(
        f"/regio/imv/cycli/{cycle.uuid}/conceptversie-toevoegen/",
        {
            "label": "Concept 95 %",
            "day": "2023-06-15",
            "document": pdf("../../concept.pdf", "Concept IMV 95"),
            "change_note": "",
        },
    )
    assert response.status_code == 302, response.content
    version = cycle.draft_versions.get(label="Concept 95 %")
    assert (version.document.name or "").startswith(f"imv/{cycle.uuid}/concepten/")
    assert Path(version.document.path).resolve().is_relative_to(media_root / "imv" / str(cycle.uuid))
    url = f"/regio/imv/conceptversies/{version.uuid}/document.pdf"
    for reader in (staff_of(heemstede), staff_of(haarlem), adviser):
        assert client_for(reader).get(url).status_code == 200
    refused = client_for(other_unit.adviser).get(url)
    assert refused.status_code == 403
    assert b"Concept IMV 95" not in body(refused)


def test_a_backup_of_a_carries_as_folder_only(stored, tmp_path):
    for own, other in ((stored["GM0397"], stored["GM0392"]), (stored["GM0392"], stored["GM0397"])):
        archive = tmp_path / f"{own.municipality.cbs_code}.zip"
        call_command(
            "export_municipality", "--cbs-code", own.municipality.cbs_code, "--output", str(archive), verbosity=0
        )
        with zipfile.ZipFile(archive) as zipped:
            media = [name for name in zipped.namelist() if name.startswith("media/")]
            contents = {zipped.read(name) for name in media}
        assert media
        assert all(name.startswith(f"media/gemeenten/{own.municipality.schema_name}/") for name in media)
        assert own.plan_pdf in contents
        assert other.plan_pdf not in contents


def test_a_restored_archive_cannot_point_its_rows_at_bs_file(stored, tmp_path):
    """An archive "of Nergenshuizen" made from A's, hashes made to match, whose decision row names B's file."""
    a, b = stored["GM0397"], stored["GM0392"]
    source, crafted = tmp_path / "a.zip", tmp_path / "nergenshuizen.zip"
    call_command("export_municipality", "--cbs-code", "GM0397", "--output", str(source), verbosity=0)
    a_name, b_name = a.decision.document.name or "", b.decision.document.name or ""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(crafted, "w") as new:
        manifest = json.loads(old.read("manifest.json"))
        manifest["municipality"].update(cbs_code="GM9999", schema_name="gm9999", name="Nergenshuizen")
        manifest["municipality"]["uuid"] = "00000000-0000-4000-8000-000000009999"
        manifest["domains"] = [{"domain": "nergenshuizen", "is_primary": True}]
        manifest["files"] = {n.replace("/gm0397/", "/gm9999/"): d for n, d in manifest["files"].items()}
        for member in old.namelist():
            content = old.read(member)
            if member.startswith("data/"):
                content = content.replace(a_name.encode(), b_name.encode())  # the one row aimed at B
                content = content.replace(b"gemeenten/gm0397/", b"gemeenten/gm9999/")
                next(t for t in manifest["tables"] if t["member"] == member)["sha256"] = hashlib.sha256(
                    content
                ).hexdigest()
            if member.startswith("media/"):
                member = member.replace("/gm0397/", "/gm9999/")
            if member != "manifest.json":
                new.writestr(member, content)
        new.writestr("manifest.json", json.dumps(manifest))

    with pytest.raises(CommandError, match=re.escape(b_name)):
        call_command("restore_municipality", str(crafted), "--commit", verbosity=0)
    assert not Municipality.objects.filter(cbs_code="GM9999").exists()
