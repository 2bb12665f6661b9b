"""Back up one municipality (its schema's rows and its files) to a zip archive, and restore it.

The archive holds ``manifest.json`` (format version, tenant migration state, the municipality's
own data and domains, row counts, SHA-256 of every member), ``data/<app>.<model>.json`` (Django's
JSON serializer, natural dependency order, primary keys and UUIDs kept) and ``media/<name>`` for
every file a FileField in the schema refers to.

Rows of the shared schema that tenant rows point at (imv.ConsultationRound and imv.Theme from
opinion drafts, tenants.User from ``updated_by``) are not copied: the archive names them by
UUID, and a restore maps each UUID to the target database's id. A draft row whose round or
theme does not exist there is dropped (with the rows that depend on it), a missing user becomes
empty; the restore report lists both.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from portal.exceptions import PortalError
from tenants.models import District, Domain, Municipality
from tenants.services import municipality_create, police_unit_get_or_create

FORMAT_VERSION = 1
MANIFEST = "manifest.json"

Progress = Callable[[str], object]


def tenant_models() -> list[type[models.Model]]:
    """The models of the tenant apps, each after the models it refers to (as dumpdata orders them)."""
    configs = [apps.get_app_config(label.rsplit(".", 1)[-1]) for label in settings.TENANT_APPS]
    return serializers.sort_dependencies([(config, None) for config in configs])


def _tenant_labels() -> set[str]:
    return {model._meta.app_label for model in tenant_models()}


def _model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _shared_foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    """Foreign keys from a tenant model to a shared-schema model."""
    labels = _tenant_labels()
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model._meta.app_label not in labels
    ]


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but datetimes and times keep their microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _media_prefix(schema_name: str) -> str:
    return f"gemeenten/{schema_name}/"


def tenant_migration_state(*, schema_name: str | None = None) -> list[str]:
    """Applied tenant-app migrations ("app.name"): of a schema, or (None) those this code would apply."""
    labels = _tenant_labels()
    if schema_name is None:
        loader = MigrationLoader(None, ignore_no_migrations=True)
        return sorted(f"{app}.{name}" for app, name in loader.disk_migrations if app in labels)
    with schema_context(schema_name):
        applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied if app in labels)


def municipality_export(*, cbs_code: str, output: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Write one municipality's schema rows and files to a zip archive at ``output``; return the manifest.

    Reads only. Raises PortalError when the municipality is unknown or a referenced file is missing.
    """
    municipality = (
        Municipality.objects.select_related("police_unit", "district").filter(cbs_code=cbs_code.upper()).first()
    )
    if municipality is None:
        raise PortalError(_("Er is geen gemeente met CBS-code %(code)s.") % {"code": cbs_code}, status=404)
    schema = municipality.schema_name
    manifest: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "migrations": tenant_migration_state(schema_name=schema),
        "municipality": {
            "uuid": str(municipality.uuid),
            "cbs_code": municipality.cbs_code,
            "schema_name": schema,
            "name": municipality.name,
            "police_unit": municipality.police_unit.name,
            "district": municipality.district.name if municipality.district else "",
            "basisteam": municipality.basisteam,
            "is_active": municipality.is_active,
            "created_at": municipality.created_at.isoformat(),
        },
        "domains": [
            {"domain": d.domain, "is_primary": d.is_primary} for d in Domain.objects.filter(tenant=municipality)
        ],
        "tables": [],
        "shared_references": {},
        "files": {},
    }
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive, schema_context(schema):
        for model in tenant_models():
            queryset = model._default_manager.order_by("pk")
            rows = list(queryset)
            # The "python" serializer and our own encoder: the "json" one cuts times to milliseconds.
            data = json.dumps(serializers.serialize("python", rows), cls=_FullPrecisionEncoder, indent=1).encode()
            member = f"data/{_model_label(model)}.json"
            archive.writestr(member, data)
            manifest["tables"].append(
                {
                    "model": _model_label(model),
                    "table": model._meta.db_table,
                    "rows": len(rows),
                    "member": member,
                    "sha256": _sha256(data),
                }
            )
            for fk in _shared_foreign_keys(model):
                target = fk.related_model
                ids = {getattr(row, fk.attname) for row in rows} - {None}
                uuids = target._default_manager.filter(pk__in=ids).values_list("pk", "uuid")
                refs = manifest["shared_references"].setdefault(target._meta.label_lower, {})
                refs.update({str(pk): str(value) for pk, value in uuids})
            for file_field in _file_fields(model):
                for row in rows:
                    name = getattr(row, file_field.attname).name
                    if not name:
                        continue
                    if not name.startswith(_media_prefix(schema)):
                        raise PortalError(_("Bestand %(name)s ligt buiten de map van de gemeente.") % {"name": name})
                    if not default_storage.exists(name):
                        raise PortalError(_("Bestand %(name)s ontbreekt in de opslag.") % {"name": name})
                    with default_storage.open(name, "rb") as handle:
                        content = handle.read()
                    archive.writestr(f"media/{name}", content)
                    manifest["files"][name] = _sha256(content)
            if progress:
                progress(_model_label(model))
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


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
        if _sha256(members[member]) != digest:
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
    prefix = _media_prefix(m["schema_name"])
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
    tenant_labels = {_model_label(model) for model in tenant_models()}
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
            names.update(row["fields"][f.name] for f in _file_fields(model) if row["fields"].get(f.name))
    return names


def _deserialized(plan: RestorePlan, report: RestoreReport) -> Iterator[tuple[type[models.Model], list[Any]]]:
    """Each model's objects, with shared references mapped to this database's ids; orphans dropped."""
    ids_by_uuid: dict[str, dict[str, Any]] = {}
    for label, refs in plan.manifest["shared_references"].items():
        model = apps.get_model(label)
        found = dict(model._default_manager.filter(uuid__in=refs.values()).values_list("uuid", "pk"))
        ids_by_uuid[label] = {old: found.get(uuid.UUID(u)) for old, u in refs.items()}
    dropped: dict[str, set[Any]] = {}
    labels = _tenant_labels()
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
                    expected = next(t["rows"] for t in plan.manifest["tables"] if t["model"] == _model_label(model))
                    expected -= sum(1 for d in report.dropped if d.startswith(_model_label(model) + " "))
                    if count != expected:
                        raise PortalError(
                            _("%(model)s: %(count)s rijen geladen, %(expected)s verwacht.")
                            % {"model": _model_label(model), "count": count, "expected": expected}
                        )
                    report.rows[_model_label(model)] = count
                    if progress:
                        progress(_model_label(model))
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
                        cursor.execute(sql)
            for name, digest in plan.manifest["files"].items():
                if default_storage.exists(name):
                    raise PortalError(_("Bestand %(name)s bestaat al in de opslag.") % {"name": name})
                saved = default_storage.save(name, io.BytesIO(plan.members[f"media/{name}"]))
                written.append(saved)
                with default_storage.open(saved, "rb") as handle:
                    if saved != name or _sha256(handle.read()) != digest:
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
