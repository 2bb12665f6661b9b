"""API v1: the input of a participation's decisions, sent to /deelnames/{uuid}/raadsbesluit and
/deelnames/{uuid}/geen-zienswijze (the actions are on the ParticipationViewSet, which answers with
the Deelname; this module keeps the participations module within its size).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
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


@extend_schema_serializer(
    component_name="RaadsbesluitInvoer",
    examples=[
        OpenApiExample(
            "Raadsbesluit",
            value={
                "datum": "2023-10-05",
                "zaaknummer": "Z-2023-1234",
                "openbaarheid": "actief_openbaar",
                "wooCategorie": "https://identifier.overheid.nl/tooi/def/thes/kern/c_aab6bfc7",
            },
            summary="Zonder document: de opgeslagen PDF blijft (bij vervangen).",
            request_only=True,
            media_type="multipart/form-data",
        )
    ],
)
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


@extend_schema_serializer(
    component_name="GeenZienswijzeInvoer",
    examples=[
        OpenApiExample(
            "Met toelichting",
            value={"toelichting": "De raad ziet geen aanleiding voor een zienswijze."},
            request_only=True,
        )
    ],
)
class DeclineInputSerializer(StrictInputSerializer):
    """De raad geeft geen zienswijze; de toelichting is niet verplicht."""

    toelichting = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
