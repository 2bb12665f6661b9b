"""API v1: the input of a participation's decisions, sent to /deelnames/{uuid}/raadsbesluit and
/deelnames/{uuid}/geen-zienswijze (the actions are on the ParticipationViewSet, which answers with
the Deelname; this module keeps the participations module within its size).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from api.v1.common import StrictInputSerializer
from imv.models import Openbaarheid, WooCategory

# The service's field names as this API calls them (problem+json invalidParams).
API_FIELD_NAMES = {
    "decision_date": "datum",
    "case_number": "zaaknummer",
    "document": "document",
    "openbaarheid": "openbaarheid",
    "woo_category": "wooCategorie",
}


@extend_schema_serializer(component_name="RaadsbesluitInvoer")
class CouncilDecisionInputSerializer(StrictInputSerializer):
    """Het raadsbesluit over de zienswijze, met de PDF. Bij vervangen mag ``document`` weg: dan blijft de
    opgeslagen PDF."""

    datum = serializers.DateField(help_text="Datum van het raadsbesluit; niet in de toekomst (Europe/Amsterdam).")
    zaaknummer = serializers.CharField(max_length=50, help_text="Het zaaknummer van het raadsbesluit.")
    document = serializers.FileField(
        required=False, help_text="Het raadsbesluit als PDF (zonder wachtwoord of scripts, tot 10 MB)."
    )
    openbaarheid = serializers.ChoiceField(choices=Openbaarheid.choices)
    wooCategorie = serializers.SlugRelatedField(  # noqa: N815 (ADR: camelCase in the API)
        slug_field="tooi_uri",
        queryset=WooCategory.objects.all(),
        help_text="De Woo-informatiecategorie waaronder het besluit valt, als TOOI-URI.",
    )


@extend_schema_serializer(component_name="GeenZienswijzeInvoer")
class DeclineInputSerializer(StrictInputSerializer):
    """De raad geeft geen zienswijze; de toelichting is niet verplicht."""

    toelichting = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
