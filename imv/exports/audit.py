"""The audit trail of a round as CSV for Dutch Excel: who changed what, when, from what to what."""

from __future__ import annotations

from collections.abc import Iterable

from imv.exports.spreadsheet import csv_bytes, local
from imv.selectors.audit import audit_label
from tenants.models import AuditEvent

AUDIT_HEADERS = ["Datum en tijd", "Wie", "Gemeente", "Onderwerp", "Veld", "Oud", "Nieuw", "Toelichting"]


def audit_csv(events: Iterable[AuditEvent]) -> bytes:
    return csv_bytes(
        AUDIT_HEADERS,
        (
            [
                f"{local(e.at):%Y-%m-%d %H:%M:%S}",
                e.actor_label,
                e.municipality.name if e.municipality else "",
                e.object_type,
                audit_label(e.object_type, e.field),
                e.old_value,
                e.new_value,
                e.note,
            ]
            for e in events
        ),
    )
