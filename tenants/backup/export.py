"""Export one municipality (its schema's rows and its files) to a zip archive (see tenants.backup)."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, time
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
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
    shared_foreign_keys,
    tenant_migration_state,
    tenant_models,
)
from tenants.models import Domain, Municipality


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but datetimes and times keep their microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


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
            member = f"data/{model_label(model)}.json"
            archive.writestr(member, data)
            manifest["tables"].append(
                {
                    "model": model_label(model),
                    "table": model._meta.db_table,
                    "rows": len(rows),
                    "member": member,
                    "sha256": sha256(data),
                }
            )
            for fk in shared_foreign_keys(model):
                target = fk.related_model
                ids = {getattr(row, fk.attname) for row in rows} - {None}
                uuids = target._default_manager.filter(pk__in=ids).values_list("pk", "uuid")
                refs = manifest["shared_references"].setdefault(target._meta.label_lower, {})
                refs.update({str(pk): str(value) for pk, value in uuids})
            for file_field in file_fields(model):
                for row in rows:
                    name = getattr(row, file_field.attname).name
                    if not name:
                        continue
                    if not name.startswith(media_prefix(schema)):
                        raise PortalError(_("Bestand %(name)s ligt buiten de map van de gemeente.") % {"name": name})
                    if not default_storage.exists(name):
                        raise PortalError(_("Bestand %(name)s ontbreekt in de opslag.") % {"name": name})
                    with default_storage.open(name, "rb") as handle:
                        content = handle.read()
                    archive.writestr(f"media/{name}", content)
                    manifest["files"][name] = sha256(content)
            if progress:
                progress(model_label(model))
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
    return manifest
