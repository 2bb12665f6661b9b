"""The audit trail of one round for the adviser: the round itself, every participation, opinion,
reaction and extension request in it, oldest first."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from imv.models import ConsultationRound, ExtensionRequest, Opinion, Participation, Reaction
from imv.services._common import EXTENSION, OPINION, PARTICIPATION, REACTION
from tenants.models import AuditEvent

# What the history page and the CSV call each audited field, in Dutch.
AUDIT_LABELS = {
    (PARTICIPATION, "status"): gettext_lazy("Status"),
    (PARTICIPATION, "committee_date"): gettext_lazy("Commissievergadering"),
    (PARTICIPATION, "council_date"): gettext_lazy("Raadsvergadering"),
    (PARTICIPATION, "decision_date"): gettext_lazy("Datum raadsbesluit"),
    (PARTICIPATION, "deadline"): gettext_lazy("Eigen uiterste datum"),
    (PARTICIPATION, "decision_case_number"): gettext_lazy("Zaaknummer raadsbesluit"),
    (PARTICIPATION, "decision_document"): gettext_lazy("Raadsbesluit (PDF)"),
    (PARTICIPATION, "openbaarheid"): gettext_lazy("Openbaarheid"),
    (PARTICIPATION, "woo_category"): gettext_lazy("Woo-categorie"),
    (PARTICIPATION, "submitted_at"): gettext_lazy("Ingediend op"),
    (PARTICIPATION, "days_late"): gettext_lazy("Dagen te laat"),
    (PARTICIPATION, "herinnering"): gettext_lazy("Herinnering"),
    (OPINION, "ingediend"): gettext_lazy("Zienswijze ingediend"),
    (OPINION, "ingetrokken"): gettext_lazy("Zienswijze ingetrokken"),
    (REACTION, "verwerking"): gettext_lazy("Verwerking (reactie)"),
    (REACTION, "toelichting"): gettext_lazy("Reactie van de regio"),
    (REACTION, "correctie"): gettext_lazy("Correctie van een reactie"),
    (EXTENSION, "status"): gettext_lazy("Uitstelverzoek"),
    (EXTENSION, "reason"): gettext_lazy("Reden uitstelverzoek"),
    (EXTENSION, "requested_deadline"): gettext_lazy("Gevraagde uiterste datum"),
    (EXTENSION, "granted_deadline"): gettext_lazy("Toegekende uiterste datum"),
    (EXTENSION, "decision_note"): gettext_lazy("Toelichting op het besluit"),
}


def round_audit(*, consultation: ConsultationRound) -> QuerySet[AuditEvent]:
    participations = Participation.objects.filter(round=consultation)
    uuids = [
        consultation.uuid,
        *participations.values_list("uuid", flat=True),
        *Opinion.objects.filter(participation__round=consultation).values_list("uuid", flat=True),
        *Reaction.objects.filter(opinion__participation__round=consultation).values_list("uuid", flat=True),
        *ExtensionRequest.objects.filter(participation__round=consultation).values_list("uuid", flat=True),
    ]
    return AuditEvent.objects.filter(object_uuid__in=uuids).select_related("municipality").order_by("at", "pk")


def audit_label(object_type: str, field: str) -> str:
    return str(AUDIT_LABELS.get((object_type, field), field))
