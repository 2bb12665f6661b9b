"""The audit trail of one round for the adviser: the round itself, every participation, opinion,
reaction and extension request in it, oldest first."""

from __future__ import annotations

from django.db.models import QuerySet

from imv.models import ConsultationRound, ExtensionRequest, Opinion, Participation, Reaction
from tenants.models import AuditEvent


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
