"""Helpers for the municipality's round page tests: its addresses, the participation's state and
audit count, and the form data of a draft and a council decision."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from imv.clock import db_now
from imv.demo import minimal_pdf
from imv.models import ConsultationRound, Openbaarheid, Participation, Position, WooCategory
from municipalities.services import opinion_draft_get
from tenants.models import AuditEvent


def round_url(consultation: ConsultationRound, slug: str = "heemstede", action: str = "") -> str:
    return f"/gemeenten/{slug}/imv/{consultation.uuid}/{action}"


def state(participation: Participation) -> tuple[Any, ...]:
    p = Participation.objects.get(pk=participation.pk)
    return (p.status, p.version, p.committee_date, p.council_date, p.decision_date, bool(p.decision_document))


def audit_count(participation: Participation) -> int:
    return AuditEvent.objects.filter(municipality_id=participation.municipality_id).count()


def draft_version(municipality, consultation) -> int:
    with schema_context(municipality.schema_name):
        return opinion_draft_get(consultation=consultation).version


def draft_data(version: int, *, position: str = Position.SUPPORTS, text: str = "", key: str = "", **extra):
    return {"version": version, "idempotency_key": key, "overall_position": position, "overall_text": text, **extra}


def decision_data(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "decision_date": (db_now().date() - timedelta(days=1)).isoformat(),
        "case_number": "Z-2023-123",
        "document": SimpleUploadedFile("besluit.pdf", minimal_pdf("Raadsbesluit"), content_type="application/pdf"),
        "openbaarheid": Openbaarheid.ACTIVE,
        "woo_category": WooCategory.objects.order_by("order").values_list("pk", flat=True).first(),
    }
    values.update(overrides)
    return values
