"""Restore one municipality from an archive of tenants.backup.export into this database."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from portal.exceptions import PortalError
from tenants.backup.archive import (
    FORMAT_VERSION,
    MANIFEST,
    Progress,
    file_fields,
    media_prefix,
    model_label,
    sha256,
    tenant_labels,
    tenant_migration_state,
    tenant_models,
)
from tenants.models import District, Domain, Municipality
from tenants.services import municipality_create, police_unit_get_or_create


@dataclass
class RestorePlan:
    """What a restore would create, read from a verified archive."""

    manifest: dict[str, Any]
    members: dict[str, bytes]

    @property
    def municipality(self) -> dict[str, Any]:
        return dict(self.manifest["municipality"])

    def describe(self) -> list[str]:
        m = self.municipality
        lines = [
            f"gemeente {m['cbs_code']} {m['name']} (schema {m['schema_name']}, eenheid {m['police_unit']}"
            + (f", district {m['district']}" if m["district"] else "")
            + ")",
            "adressen: " + ", ".join(f"/gemeenten/{d['domain']}/" for d in self.manifest["domains"]),
        ]
        lines += [f"{t['model']}: {t['rows']} rijen" for t in self.manifest["tables"]]
        lines.append(f"{len(self.manifest['files'])} bestanden")
        return lines


@dataclass
class RestoreReport:
    """What a restore did: rows per model, files, and rows dropped or emptied for lack of shared targets."""

    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    dropped: list[str] = field(default_factory=list)
    emptied: list[str] = field(default_factory=list)


def restore_plan(*, archive_path: Path) -> RestorePlan:
    """Read and verify an archive and check the target database; writes nothing.

    Raises PortalError (in Dutch) for a damaged archive (hash mismatch), an other format or tenant
    migration state, or a municipality, schema or address that already exists.
    """
    try:
        with zipfile.ZipFile(archive_path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
    except (OSError, zipfile.BadZipFile) as exc:
        raise PortalError(
            _("%(path)s is geen leesbaar archief: %(error)s") % {"path": archive_path, "error": exc}
        ) from exc
    if MANIFEST not in members:
        raise PortalError(_("Het archief heeft geen manifest.json."))
    manifest = json.loads(members[MANIFEST])
    if manifest.get("format_version") != FORMAT_VERSION:
        raise PortalError(
            _("Archiefformaat %(found)s wordt niet ondersteund (verwacht %(expected)s).")
            % {"found": manifest.get("format_version"), "expected": FORMAT_VERSION}
        )
    expected = {t["member"]: t["sha256"] for t in manifest["tables"]}
    expected.update({f"media/{name}": digest for name, digest in manifest["files"].items()})
    for member, digest in expected.items():
        if member not in members:
            raise PortalError(_("Het archief mist %(member)s.") % {"member": member})
        if sha256(members[member]) != digest:
            raise PortalError(
                _("Het archief is beschadigd: de SHA-256 van %(member)s klopt niet met het manifest.")
                % {"member": member}
            )
    here = tenant_migration_state()
    if manifest["migrations"] != here:
        raise PortalError(
            _(
                "De migraties van de gemeente-apps verschillen: archief %(theirs)s, deze database %(ours)s. "
                "Herstel met dezelfde versie van het portaal."
            )
            % {"theirs": ", ".join(manifest["migrations"]), "ours": ", ".join(here)}
        )
    m = manifest["municipality"]
    prefix = media_prefix(m["schema_name"])
    outside = [name for name in manifest["files"] if not name.startswith(prefix) or ".." in name]
    if outside:
        raise PortalError(_("Bestand %(name)s ligt buiten de map van de gemeente.") % {"name": outside[0]})
    # Only rows of the municipality's own tables, each in its own table's member: the deserializer
    # takes a row's model from the row, and a shared model's row would land in the public schema.
    if foreign := _foreign_models(members, manifest):
        raise PortalError(
            _("Het archief bevat rijen van %(model)s die niet bij de tabellen van de gemeente horen.")
            % {"model": foreign[0]}
        )
    # A row may name only a file the archive brings (inside the folder, checked above): a row naming
    # a file already in the storage would hand another municipality's document to this one.
    unknown = sorted(_file_references(members, manifest) - manifest["files"].keys())
    if unknown:
        raise PortalError(
            _("Een rij in het archief verwijst naar bestand %(name)s, dat niet in het archief zit.")
            % {"name": unknown[0]}
        )
    if Municipality.objects.filter(cbs_code=m["cbs_code"]).exists():
        raise PortalError(
            _("Gemeente %(code)s (%(name)s) bestaat al; herstellen zou haar overschrijven en is geweigerd.")
            % {"code": m["cbs_code"], "name": m["name"]},
            status=409,
            code="duplicate",
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [m["schema_name"]])
        if cursor.fetchone() is not None:
            raise PortalError(
                _("Schema %(schema)s bestaat al in deze database; herstellen is geweigerd.")
                % {"schema": m["schema_name"]},
                status=409,
                code="duplicate",
            )
    taken = Domain.objects.filter(domain__in=[d["domain"] for d in manifest["domains"]]).values_list(
        "domain", flat=True
    )
    if taken:
        raise PortalError(
            _("Het adres /gemeenten/%(slug)s/ is al in gebruik; herstellen is geweigerd.") % {"slug": taken[0]},
            status=409,
            code="duplicate",
        )
    return RestorePlan(manifest=manifest, members=members)


def _foreign_models(members: dict[str, bytes], manifest: dict[str, Any]) -> list[str]:
    """Models in the archive's data that are not the tenant table they are filed under, sorted."""
    tenant_labels = {model_label(model) for model in tenant_models()}
    foreign: set[str] = set()
    for table in manifest["tables"]:
        labels = {str(row.get("model")) for row in json.loads(members[table["member"]])} | {table["model"]}
        foreign |= {label for label in labels if label != table["model"] or label not in tenant_labels}
    return sorted(foreign)


def _file_references(members: dict[str, bytes], manifest: dict[str, Any]) -> set[str]:
    """Every file name that a FileField holds in the archive's rows (of whatever model a row names)."""
    names: set[str] = set()
    for table in manifest["tables"]:
        for row in json.loads(members[table["member"]]):
            model = apps.get_model(row["model"])
            names.update(row["fields"][f.name] for f in file_fields(model) if row["fields"].get(f.name))
    return names


def _deserialized(plan: RestorePlan, report: RestoreReport) -> Iterator[tuple[type[models.Model], list[Any]]]:
    """Each model's objects, with shared references mapped to this database's ids; orphans dropped."""
    ids_by_uuid: dict[str, dict[str, Any]] = {}
    for label, refs in plan.manifest["shared_references"].items():
        model = apps.get_model(label)
        found = dict(model._default_manager.filter(uuid__in=refs.values()).values_list("uuid", "pk"))
        ids_by_uuid[label] = {old: found.get(uuid.UUID(u)) for old, u in refs.items()}
    dropped: dict[str, set[Any]] = {}
    labels = tenant_labels()
    for table in plan.manifest["tables"]:
        model = apps.get_model(table["model"])
        objects = []
        for item in serializers.deserialize("python", json.loads(plan.members[table["member"]])):
            obj = item.object
            keep = True
            for fk in model._meta.concrete_fields:
                if not isinstance(fk, models.ForeignKey):
                    continue
                value = getattr(obj, fk.attname)
                if value is None:
                    continue
                target = fk.related_model._meta.label_lower
                if fk.related_model._meta.app_label in labels:
                    missing = value in dropped.get(target, set())
                    new_value = value
                else:
                    new_value = ids_by_uuid.get(target, {}).get(str(value))
                    missing = new_value is None
                if missing and not fk.null:
                    keep = False
                    break
                if missing:
                    report.emptied.append(f"{table['model']} {obj.pk}: {fk.name}")
                setattr(obj, fk.attname, None if missing else new_value)
            if keep:
                objects.append(item)
            else:
                dropped.setdefault(table["model"], set()).add(obj.pk)
                report.dropped.append(f"{table['model']} {obj.pk} ({getattr(obj, 'uuid', '')})")
        yield model, objects


def municipality_restore(*, plan: RestorePlan, progress: Progress | None = None) -> RestoreReport:
    """Create the municipality of a verified plan (row, schema, domains), load its rows and files.

    One transaction: a failure leaves no row, schema or address; files written so far are removed.
    Verifies row counts and file hashes before committing; resets the id sequences.
    """
    report = RestoreReport()
    written: list[str] = []
    m = plan.municipality
    try:
        with transaction.atomic():
            unit = police_unit_get_or_create(name=m["police_unit"])
            district = None
            if m["district"]:
                district, _created = District.objects.get_or_create(police_unit=unit, name=m["district"])
            primary = next((d["domain"] for d in plan.manifest["domains"] if d["is_primary"]), None)
            municipality = municipality_create(
                cbs_code=m["cbs_code"],
                name=m["name"],
                police_unit=unit,
                district=district,
                basisteam=m["basisteam"],
                slug=primary,
            )
            Municipality.objects.filter(pk=municipality.pk).update(
                uuid=m["uuid"], is_active=m["is_active"], created_at=datetime.fromisoformat(m["created_at"])
            )
            for d in plan.manifest["domains"]:
                if d["domain"] != municipality.slug:
                    Domain.objects.create(domain=d["domain"], tenant=municipality, is_primary=d["is_primary"])
            with schema_context(municipality.schema_name):
                loaded: list[type[models.Model]] = []
                for model, objects in _deserialized(plan, report):
                    for item in objects:
                        item.save()
                    loaded.append(model)
                    count = model._default_manager.count()
                    expected = next(t["rows"] for t in plan.manifest["tables"] if t["model"] == model_label(model))
                    expected -= sum(1 for d in report.dropped if d.startswith(model_label(model) + " "))
                    if count != expected:
                        raise PortalError(
                            _("%(model)s: %(count)s rijen geladen, %(expected)s verwacht.")
                            % {"model": model_label(model), "count": count, "expected": expected}
                        )
                    report.rows[model_label(model)] = count
                    if progress:
                        progress(model_label(model))
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
                        cursor.execute(sql)
            for name, digest in plan.manifest["files"].items():
                if default_storage.exists(name):
                    raise PortalError(_("Bestand %(name)s bestaat al in de opslag.") % {"name": name})
                saved = default_storage.save(name, io.BytesIO(plan.members[f"media/{name}"]))
                written.append(saved)
                with default_storage.open(saved, "rb") as handle:
                    if saved != name or sha256(handle.read()) != digest:
                        raise PortalError(_("Bestand %(name)s kwam niet ongeschonden terug.") % {"name": name})
                report.files += 1
                if progress:
                    progress(name)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return report


def restore_steps(plan: RestorePlan) -> int:
    """How many progress steps a restore of this plan takes (tables and files)."""
    return len(plan.manifest["tables"]) + len(plan.manifest["files"])
