"""Demo content of the local plans. Heemstede's is real (seeds 000 and 001); the rest is invented
and flagged ``is_example`` so that every screen says so."""

from __future__ import annotations

from django.db import transaction
from django_tenants.utils import schema_context

from municipalities.models import PlanStatus, SafetyPlan
from tenants.models import Municipality

HEEMSTEDE = "GM0397"
HEEMSTEDE_PLANS = [
    {
        "period_start": 2020,
        "period_end": 2023,
        "status": PlanStatus.ADOPTED,
        "title": "Actieplan Integrale Veiligheid Heemstede 2020-2023",
        "summary": (
            "Vastgesteld door de raad op 23 april 2020 (zaaknummer 560652). Drie lokale prioriteiten: "
            "1. Zorg en veiligheid, 2. Veilige & leefbare wijken, 3. Ondermijning. Strategische uitgangspunten: "
            "actieve wederkerigheid, persoonsgericht werken aan veiligheid, van repressief naar preventief, "
            "slagvaardige overheid."
        ),
    },
    {
        "period_start": 2024,
        "period_end": 2027,
        "status": PlanStatus.IN_PREPARATION,
        "title": "Beleidsplan Integrale Veiligheid Heemstede 2024-2027",
        "summary": (
            "Planning (collegebericht 11 juli 2023, zaaknummer 1195848): commissie Samenleving 19 september "
            "(veiligheidsbeeld en zienswijze op het regionale IMV), enquête onder inwoners september/oktober, "
            "concept naar de commissie 4 december, vaststelling door de raad 21 december."
        ),
    },
]
EXAMPLE_STATUSES = [PlanStatus.IN_PREPARATION, PlanStatus.DRAFT, PlanStatus.ADOPTED]


@transaction.atomic
def demo_plans_ensure(*, municipality: Municipality) -> int:
    """Give the municipality its demo plans if it has none yet; return how many were made."""
    with schema_context(municipality.schema_name):
        if SafetyPlan.objects.exists():
            return 0
        if municipality.cbs_code == HEEMSTEDE:
            for plan in HEEMSTEDE_PLANS:
                SafetyPlan.objects.create(**plan)
            return len(HEEMSTEDE_PLANS)
        status = EXAMPLE_STATUSES[int(municipality.cbs_code[2:]) % len(EXAMPLE_STATUSES)]
        SafetyPlan.objects.create(
            title=f"Integraal Veiligheidsplan {municipality.name} 2024-2027",
            period_start=2024,
            period_end=2027,
            status=status,
            is_example=True,
            summary="Voorbeeldinhoud: deze gemeente heeft in de demo een verzonnen plan.",
        )
        return 1
