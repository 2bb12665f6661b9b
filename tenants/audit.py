"""The audit trail: every change of a field, recorded with the change itself (who, when, old and new)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.core.files import File
from django.db.models import Model
from django.db.models.fields.files import FieldFile

from tenants.models import AuditEvent, Municipality, User


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _event(
    *,
    actor: User | None,
    object_type: str,
    object_uuid: uuid.UUID,
    field: str,
    old: Any,
    new: Any,
    municipality: Municipality | None,
    note: str,
) -> AuditEvent | None:
    old_text, new_text = _text(old), _text(new)
    if old_text == new_text:
        return None
    return AuditEvent(
        actor=actor,
        actor_label=(actor.get_full_name() or actor.username) if actor else "systeem",
        municipality=municipality,
        object_type=object_type,
        object_uuid=object_uuid,
        field=field,
        old_value=old_text,
        new_value=new_text,
        note=note,
    )


def audit_record(
    *,
    actor: User | None,
    object_type: str,
    object_uuid: uuid.UUID,
    field: str,
    old: Any,
    new: Any,
    municipality: Municipality | None = None,
    note: str = "",
) -> AuditEvent | None:
    """Record one change; nothing when old equals new. Call inside the transaction of the change."""
    event = _event(
        actor=actor,
        object_type=object_type,
        object_uuid=object_uuid,
        field=field,
        old=old,
        new=new,
        municipality=municipality,
        note=note,
    )
    if event is not None:
        event.save()
    return event


def file_summary(document: File[bytes] | None, *, name: str = "") -> str:
    """How the audit names a file: its name, size and SHA-256, so a replaced PDF shows as a change."""
    if not document:
        return ""
    digest = hashlib.sha256()
    size = 0
    stored = isinstance(document, FieldFile)
    if stored:
        document.open("rb")
    else:
        document.seek(0)
    try:
        for chunk in document.chunks():
            digest.update(chunk)
            size += len(chunk)
    finally:
        if stored:
            document.close()
        else:
            document.seek(0)
    return f"{name or document.name}, {size} bytes, sha256 {digest.hexdigest()}"


# --- A whole row at once: for services that change several fields, make or remove rows -------------
def audit_values(instance: Model) -> dict[str, str]:
    """Every field of a row as the audit writes it: a related row by its UUID (ids repeat in every
    municipality's schema), a file by file_summary, an amount without trailing zeros ("2500" for
    2500.00, so that a value read back from the database is no change). The row's keys and its
    timestamps are left out: every audit row says who and when itself."""
    values: dict[str, str] = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name == "uuid" or getattr(field, "auto_now", False):
            continue
        if getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            related = getattr(instance, field.name)
            values[field.name] = "" if related is None else str(getattr(related, "uuid", related.pk))
            continue
        value = field.value_from_object(instance)
        if isinstance(value, FieldFile):
            values[field.name] = _stored_file(value)
        elif isinstance(value, Decimal):
            values[field.name] = format(value.normalize(), "f")
        elif isinstance(value, (list, tuple)):
            values[field.name] = ", ".join(_text(item) for item in value)
        else:
            values[field.name] = _text(value)
    return values


def _stored_file(document: FieldFile) -> str:
    if not document:
        return ""
    name = PurePosixPath(document.name or "").name
    try:
        return file_summary(document, name=name)
    except OSError:  # the row names a file the storage no longer has: say so rather than fail the change
        return f"{name}, ontbreekt"


def audit_row(
    *,
    actor: User | None,
    municipality: Municipality | None,
    object_type: str,
    object_uuid: uuid.UUID,
    label: str,
    before: Mapping[str, str] | None,
    after: Mapping[str, str] | None,
    note: str = "",
) -> None:
    """Audit a row's change from ``before`` to ``after`` (audit_values, plus whatever else belongs to the
    row): one audit row per value that differs. ``before`` None means the row was made: first an
    "aangemaakt" row naming it (``label``), then every value from empty. ``after`` None means it was
    removed: "verwijderd", then every value to empty. Call inside the transaction of the change."""
    changes: list[tuple[str, str, str]] = []
    if before is None:
        changes.append(("aangemaakt", "", label))
    if after is None:
        changes.append(("verwijderd", label, ""))
    old_values, new_values = before or {}, after or {}
    changes += [
        (f, old_values.get(f, ""), new_values.get(f, "")) for f in sorted(old_values.keys() | new_values.keys())
    ]
    events = [
        _event(
            actor=actor,
            object_type=object_type,
            object_uuid=object_uuid,
            field=field,
            old=old,
            new=new,
            municipality=municipality,
            note=note,
        )
        for field, old, new in changes
    ]
    AuditEvent.objects.bulk_create([event for event in events if event is not None])
