"""The audit trail: every change of a status, deadline or opinion, recorded with the change itself."""

from __future__ import annotations

import uuid
from typing import Any

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
