"""The audit trail: every change of a field, recorded with the change itself (who, when, old and new)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.core.files import File
from django.db.models.fields.files import FieldFile

from tenants.models import AuditEvent, Municipality, User


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


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
    old_text, new_text = _text(old), _text(new)
    if old_text == new_text:
        return None
    return AuditEvent.objects.create(
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
