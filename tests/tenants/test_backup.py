"""Backing up one municipality and restoring it into a fresh database, every row and file intact."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg.conninfo import make_conninfo
from psycopg.rows import dict_row

from imv.models import ConsultationRound, Theme
from municipalities.models import Kpi, Measurement, OpinionDraft, OpinionDraftPoint, PlanDecision, Priority
from tenants.backup import tenant_models
from tenants.models import Municipality, User

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% raadsbesluit Heemstede\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def heemstede_archive(heemstede: Municipality, in_schema: Any, media_root: Path, tmp_path: Path) -> Path:
    """Heemstede's demo plan plus a decision PDF and a KPI with measurements, exported to a zip."""
    with in_schema(heemstede):
        decision = PlanDecision.objects.first()
        assert decision is not None
        decision.document.save("Besluit raad.pdf", ContentFile(PDF))
        priority = Priority.objects.first()
        assert priority is not None
        kpi = Kpi.objects.create(
            priority=priority,
            name="Woninginbraken",
            unit="aantal",
            baseline_value=Decimal("112.00"),
            baseline_year=2023,
            target_value=Decimal("90.50"),
            target_year=2027,
            story="Daling na de buurtpreventie-app.",
        )
        Measurement.objects.create(kpi=kpi, year=2024, value=Decimal("104.00"))
        Measurement.objects.create(kpi=kpi, year=2025, value=Decimal("97.25"))
        # A draft zienswijze points at shared rows (round, theme, user) that a fresh database lacks.
        consultation = ConsultationRound.objects.first()
        assert consultation is not None
        draft, _created = OpinionDraft.objects.update_or_create(
            round=consultation,
            defaults={
                "overall_position": "eens",
                "overall_text": "Wij steunen het IMV.",
                "updated_by": User.objects.first(),
            },
        )
        theme = Theme.objects.filter(cycle=consultation.cycle).first()
        assert theme is not None
        OpinionDraftPoint.objects.update_or_create(draft=draft, theme=theme, defaults={"position": "eens"})
    archive = tmp_path / "heemstede.zip"
    call_command("export_municipality", "--cbs-code", "GM0397", "--output", str(archive), verbosity=0)
    return archive


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def rows_here(schema: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every tenant table of a schema in the test database, as dicts."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with connection.cursor() as cursor:
        for model in tenant_models():
            cursor.execute(f'SELECT * FROM "{schema}"."{model._meta.db_table}" ORDER BY id')  # noqa: S608
            columns = [c.name for c in cursor.description]
            tables[model._meta.db_table] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return tables


def rows_there(conninfo: str, schema: str) -> dict[str, list[dict[str, Any]]]:
    # Row-level security lets a plain connection see no municipality's rows: this one reads them on purpose.
    with psycopg.connect(conninfo, row_factory=dict_row, options="-c portal.tenant=*") as conn:
        return {
            model._meta.db_table: conn.execute(
                f'SELECT * FROM "{schema}"."{model._meta.db_table}" ORDER BY id'  # noqa: S608
            ).fetchall()
            for model in tenant_models()
        }


def sequence_value(conninfo: str, table: str) -> int:
    with psycopg.connect(conninfo) as conn:
        found = conn.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table]).fetchone()
        assert found is not None
        value = conn.execute(f"SELECT last_value FROM {found[0]}").fetchone()  # noqa: S608
        assert value is not None
        return int(value[0])


@pytest.fixture
def fresh_database() -> Any:
    """A new, empty database on the same server; dropped afterwards."""
    url = os.environ["DATABASE_URL"]
    name = f"test_backup_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_conninfo(url, dbname=name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(conninfo: str, media: Path, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": conninfo,
        "PORTAL_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_MEDIA_ROOT": str(media),
        "PORTAL_DATA_DIR": str(data),
    }
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_restore_into_fresh_database_keeps_every_row_and_file(
    heemstede_archive: Path, media_root: Path, fresh_database: str, tmp_path: Path
) -> None:
    target_media = tmp_path / "restored-media"
    data = tmp_path / "data"
    migrate = manage(fresh_database, target_media, data, "migrate_schemas", "--shared", "--verbosity", "0")
    assert migrate.returncode == 0, migrate.stderr

    dry = manage(fresh_database, target_media, data, "restore_municipality", str(heemstede_archive))
    assert dry.returncode == 0, dry.stderr
    assert "Zou aanmaken" in dry.stdout
    assert "Er is niets geschreven" in dry.stdout
    with psycopg.connect(fresh_database) as conn:
        assert conn.execute("SELECT count(*) FROM tenants_municipality").fetchone() == (0,)
        assert conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'gm0397'").fetchone() is None
    assert not target_media.exists()

    restore = manage(fresh_database, target_media, data, "restore_municipality", str(heemstede_archive), "--commit")
    assert restore.returncode == 0, restore.stderr
    assert "Heemstede hersteld" in restore.stdout

    source = rows_here("gm0397")
    assert source["municipalities_kpi"], "the source has a KPI"
    assert len(source["municipalities_measurement"]) >= 2
    drafts = source.pop("municipalities_opiniondraft")
    points = source.pop("municipalities_opiniondraftpoint")
    assert drafts
    assert points
    restored_rows = rows_there(fresh_database, "gm0397")
    # The fresh database has no consultation round or theme: the draft rows are left out, and said so.
    assert restored_rows.pop("municipalities_opiniondraft") == []
    assert restored_rows.pop("municipalities_opiniondraftpoint") == []
    assert f"municipalities.opiniondraft {drafts[0]['id']} ({drafts[0]['uuid']})" in restore.stdout
    assert f"municipalities.opiniondraftpoint {points[0]['id']}" in restore.stdout
    assert restored_rows == source
    for table in ("municipalities_safetyplan", "municipalities_kpi", "municipalities_measurement"):
        # The next new row gets a fresh id, not one the restore already used.
        assert sequence_value(fresh_database, f"gm0397.{table}") == max(r["id"] for r in source[table])

    with zipfile.ZipFile(heemstede_archive) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["files"], "the decision PDF is in the archive"
    for name in manifest["files"]:
        assert (target_media / name).read_bytes() == (media_root / name).read_bytes()
    with psycopg.connect(fresh_database, row_factory=dict_row) as conn:
        restored = conn.execute("SELECT * FROM tenants_municipality").fetchone()
        domains = conn.execute("SELECT domain, is_primary FROM tenants_domain").fetchall()
    original = Municipality.objects.get(cbs_code="GM0397")
    assert restored is not None
    assert (restored["uuid"], restored["name"], restored["created_at"]) == (
        original.uuid,
        original.name,
        original.created_at,
    )
    assert domains == [{"domain": "heemstede", "is_primary": True}]

    again = manage(fresh_database, target_media, data, "restore_municipality", str(heemstede_archive), "--commit")
    assert again.returncode != 0
    assert "bestaat al" in again.stderr


def test_restore_refuses_an_existing_municipality(heemstede_archive: Path) -> None:
    with pytest.raises(CommandError, match=r"Gemeente GM0397 \(Heemstede\) bestaat al"):
        call_command("restore_municipality", str(heemstede_archive), "--commit")


def test_restore_refuses_a_tampered_archive_and_leaves_nothing(
    heemstede_archive: Path, media_root: Path, tmp_path: Path
) -> None:
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(heemstede_archive) as source, zipfile.ZipFile(tampered, "w") as target:
        manifest = json.loads(source.read("manifest.json"))
        manifest["municipality"].update(cbs_code="GM9999", schema_name="gm9999", name="Nergenshuizen")
        manifest["domains"] = [{"domain": "nergenshuizen", "is_primary": True}]
        for member in source.namelist():
            content = source.read(member)
            if member == "manifest.json":
                content = json.dumps(manifest).encode()
            elif member.startswith("media/"):
                content = content.replace(b"Heemstede", b"Hoofddorp")
            target.writestr(member, content)
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore_municipality", str(tampered), "--commit")
    assert not Municipality.objects.filter(cbs_code="GM9999").exists()
    assert not schema_exists("gm9999")
    assert not (media_root / "gemeenten" / "gm9999").exists()


def renamed_archive(source: Path, target: Path, *, rows_delta: int = 0) -> None:
    """The archive as if it were of GM9999 Nergenshuizen, hashes recomputed (optionally a row count off)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        manifest = json.loads(old.read("manifest.json"))
        manifest["municipality"].update(
            cbs_code="GM9999", schema_name="gm9999", name="Nergenshuizen", uuid="00000000-0000-4000-8000-000000009999"
        )
        manifest["domains"] = [{"domain": "nergenshuizen", "is_primary": True}]
        manifest["files"] = {name.replace("/gm0397/", "/gm9999/"): digest for name, digest in manifest["files"].items()}
        manifest["tables"][0]["rows"] += rows_delta
        for member in old.namelist():
            content = old.read(member)
            if member.startswith("data/"):
                content = content.replace(b"gemeenten/gm0397/", b"gemeenten/gm9999/")
                table = next(t for t in manifest["tables"] if t["member"] == member)
                table["sha256"] = hashlib.sha256(content).hexdigest()
            if member.startswith("media/"):
                member = member.replace("/gm0397/", "/gm9999/")
            if member != "manifest.json":
                new.writestr(member, content)
        new.writestr("manifest.json", json.dumps(manifest))


def test_restore_maps_shared_references_by_uuid(
    heemstede_archive: Path, media_root: Path, tmp_path: Path, in_schema: Any
) -> None:
    archive = tmp_path / "nergenshuizen.zip"
    renamed_archive(heemstede_archive, archive)
    call_command("restore_municipality", str(archive), "--commit", verbosity=0)
    municipality = Municipality.objects.get(cbs_code="GM9999")
    with in_schema(municipality):
        draft = OpinionDraft.objects.get()
        assert draft.round_id == ConsultationRound.objects.first().pk  # type: ignore[union-attr]
        assert draft.points.count() == 1
        decision = PlanDecision.objects.exclude(document="").get()
        assert (decision.document.name or "").startswith("gemeenten/gm9999/")
        assert decision.document.read() == PDF


def test_restore_failing_midway_leaves_no_schema_row_or_file(
    heemstede_archive: Path, media_root: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "off-by-one.zip"
    renamed_archive(heemstede_archive, archive, rows_delta=1)
    with pytest.raises(CommandError, match="verwacht"):
        call_command("restore_municipality", str(archive), "--commit", verbosity=0)
    assert not Municipality.objects.filter(cbs_code="GM9999").exists()
    assert not schema_exists("gm9999")
    assert not (media_root / "gemeenten" / "gm9999").exists()


def test_restore_refuses_rows_of_a_shared_table_and_writes_none(
    heemstede_archive: Path, media_root: Path, tmp_path: Path
) -> None:
    """The deserializer takes each row's model from the row: filed under a tenant table, a row of
    tenants.user would land in the shared schema (the restore's search path ends in public)."""
    renamed, crafted = tmp_path / "nergenshuizen.zip", tmp_path / "met-beheerder.zip"
    renamed_archive(heemstede_archive, renamed)
    intruder = {
        "model": "tenants.user",
        "pk": 987654,
        "fields": {"username": "indringer", "password": "!", "is_superuser": True, "is_staff": True},
    }
    with zipfile.ZipFile(renamed) as old, zipfile.ZipFile(crafted, "w") as new:
        manifest = json.loads(old.read("manifest.json"))
        table = manifest["tables"][0]
        for member in old.namelist():
            content = old.read(member)
            if member == table["member"]:
                content = json.dumps([*json.loads(content), intruder]).encode()
                table["sha256"] = hashlib.sha256(content).hexdigest()
            if member != "manifest.json":
                new.writestr(member, content)
        new.writestr("manifest.json", json.dumps(manifest))
    with pytest.raises(CommandError, match=r"tenants\.user"):
        call_command("restore_municipality", str(crafted), "--commit", verbosity=0)
    assert not User.objects.filter(username="indringer").exists()
    assert not Municipality.objects.filter(cbs_code="GM9999").exists()
