"""API v1: how local priorities line up with the regional IMV themes (afstemming).

GET /afstemming?imvCyclus=… gives per IMV theme which municipalities of the unit (or of one
district) have a local priority on it, least covered first: for the adviser and the RBOP
members of the unit only. GET /afstemming/gemeenten/{cbs_code}?imvCyclus=… gives one
municipality's coverage and fit with their formulas, its links and its gaps: for the same
regional readers and for the municipality's own staff, not for its neighbours (404).

Both read imv.alignment, which reads the shared-schema projection of the priorities and never
a municipality's schema.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.v1.common import API, links, links_schema, query_uuid
from api.v1.imv import MunicipalityReferenceSerializer, ThemeStatusField, cycle_href
from api.v1.scoped import CBS_CODE_PARAMETER, municipality_path
from imv import analytics
from imv.models import ImvCycle, PriorityProjection, Theme
from tenants.access import can_compare_unit, can_read_municipality, regional_unit_ids, request_memberships
from tenants.models import District, Municipality

CYCLE_PARAMETER = OpenApiParameter(
    "imvCyclus",
    OpenApiTypes.UUID,
    required=True,
    description="Het IMV waartegen wordt vergeleken (UUID). Geen filter maar het onderwerp: een IMV dat niet bestaat "
    "of niet van deze politie-eenheid is, geeft 400.",
)
DISTRICT_PARAMETER = OpenApiParameter(
    "district", str, description="Alleen de gemeenten van dit district, bijvoorbeeld Kennemerland."
)


# --- Output ------------------------------------------------------------------------------------
@extend_schema_serializer(component_name="ImvCyclusVerwijzing")
class CycleReferenceSerializer(serializers.ModelSerializer[ImvCycle]):
    """Het IMV waartegen is vergeleken."""

    naam = serializers.CharField(source="name")
    eersteJaar = serializers.IntegerField(source="period_start")  # noqa: N815 (ADR: camelCase in the API)
    laatsteJaar = serializers.IntegerField(source="period_end")  # noqa: N815

    class Meta:
        model = ImvCycle
        fields = ["uuid", "naam", "eersteJaar", "laatsteJaar"]


@extend_schema_serializer(component_name="ThemaVerwijzing")
class ThemeReferenceSerializer(serializers.ModelSerializer[Theme]):
    """Een thema of subthema van het IMV."""

    nummer = serializers.IntegerField(source="number", allow_null=True)
    naam = serializers.CharField(source="name")
    status = ThemeStatusField()

    class Meta:
        model = Theme
        fields = ["uuid", "nummer", "naam", "status"]


@extend_schema_serializer(component_name="ThemaDekking")
class ThemeCoverageSerializer(serializers.Serializer[analytics.ThemeCoverage]):
    """Welke gemeenten een lokale prioriteit op dit thema (of een subthema ervan) hebben."""

    thema = ThemeReferenceSerializer(source="theme")
    aantalGemeenten = serializers.IntegerField(source="count")  # noqa: N815
    gemeenten = MunicipalityReferenceSerializer(source="municipalities", many=True, help_text="Op naam.")


@extend_schema_serializer(component_name="Afstemming")
class AlignmentByThemeSerializer(serializers.Serializer[dict[str, Any]]):
    """Per thema van het IMV hoeveel en welke gemeenten er een lokale prioriteit op hebben, het minst gedekte
    thema eerst. Gemeenten zonder plan in de periode van het IMV tellen mee als niet-dekkend."""

    imvCyclus = CycleReferenceSerializer(source="cycle")  # noqa: N815
    district = serializers.CharField(allow_null=True, help_text="Het district waartoe is beperkt, of null.")
    aantalGemeentenBeschouwd = serializers.IntegerField(  # noqa: N815
        source="considered", help_text="Aantal actieve gemeenten in de vergelijking (de eenheid of het district)."
    )
    bevatVoorbeelden = serializers.BooleanField(  # noqa: N815
        source="has_examples", help_text="Waar als er verzonnen demo-prioriteiten in de cijfers zitten."
    )
    themas = ThemeCoverageSerializer(source="coverage", many=True)
    _links = serializers.SerializerMethodField(label="Links")

    @extend_schema_field(links_schema("self", "imvCyclus"))
    def get__links(self, obj: dict[str, Any]) -> dict[str, dict[str, str]]:
        return links(self=obj["self"], imvCyclus=cycle_href(obj["cycle"]))


@extend_schema_serializer(component_name="Kengetal")
class FigureSerializer(serializers.Serializer[dict[str, Any]]):
    """Een verhoudingsgetal met teller, noemer en de formule in woorden; null als de noemer 0 is."""

    waarde = serializers.FloatField(allow_null=True, help_text="teller ÷ noemer, tussen 0 en 1.")
    teller = serializers.IntegerField()
    noemer = serializers.IntegerField()
    formule = serializers.CharField()


@extend_schema_serializer(component_name="Koppeling")
class LinkSerializer(serializers.Serializer[dict[str, Any]]):
    """Een lokale prioriteit en de thema's van het IMV waaraan zij bijdraagt (leeg: geen)."""

    prioriteit = serializers.CharField(source="title", help_text="Titel van de lokale prioriteit.")
    themas = ThemeReferenceSerializer(source="themes", many=True)


@extend_schema_serializer(component_name="AfstemmingGemeente")
class MunicipalityAlignmentSerializer(serializers.Serializer[dict[str, Any]]):
    """Hoe de prioriteiten van één gemeente aansluiten op het IMV: dekking en aansluiting met hun formules,
    de koppelingen, de vastgestelde thema's zonder lokale prioriteit en de prioriteiten buiten elk thema."""

    gemeente = MunicipalityReferenceSerializer(source="result.municipality")
    imvCyclus = CycleReferenceSerializer(source="cycle")  # noqa: N815
    dekking = FigureSerializer(source="coverage")
    aansluiting = FigureSerializer(source="fit")
    koppelingen = LinkSerializer(source="result.links", many=True)
    onbedekteThemas = ThemeReferenceSerializer(source="result.uncovered_themes", many=True)  # noqa: N815
    ongekoppeldePrioriteiten = serializers.ListField(  # noqa: N815
        source="result.unlinked_priorities", child=serializers.CharField(), help_text="Titels, op alfabet."
    )
    bevatVoorbeelden = serializers.BooleanField(  # noqa: N815
        source="has_examples", help_text="Waar als (een deel van) deze prioriteiten verzonnen demo-inhoud is."
    )
    _links = serializers.SerializerMethodField(label="Links")

    @extend_schema_field(links_schema("self", "gemeente", "imvCyclus"))
    def get__links(self, obj: dict[str, Any]) -> dict[str, dict[str, str]]:
        return links(
            self=obj["self"], gemeente=municipality_path(obj["result"].municipality), imvCyclus=cycle_href(obj["cycle"])
        )


def figure(numerator: int, denominator: int, formula: str) -> dict[str, Any]:
    return {
        "waarde": numerator / denominator if denominator else None,
        "teller": numerator,
        "noemer": denominator,
        "formule": formula,
    }


# --- Reads -------------------------------------------------------------------------------------
def required_cycle_uuid(request: Request) -> Any:
    cycle_uuid = query_uuid(request, "imvCyclus")
    if cycle_uuid is None:
        raise exceptions.ValidationError({"imvCyclus": [_("Geef het IMV waartegen wordt vergeleken (UUID).")]})
    return cycle_uuid


def unknown_cycle() -> exceptions.ValidationError:
    return exceptions.ValidationError({"imvCyclus": [_("Er is geen IMV van deze politie-eenheid met deze UUID.")]})


def projection_overlapping(cycle: ImvCycle) -> QuerySet[PriorityProjection]:
    """The projected priorities that imv.alignment counts for this IMV: plans overlapping its period."""
    return PriorityProjection.objects.filter(
        plan_period_start__lte=cycle.period_end,
        plan_period_end__gte=cycle.period_start,
        municipality__police_unit_id=cycle.police_unit_id,
        municipality__is_active=True,
    )


@extend_schema(
    tags=["afstemming"],
    summary="Afstemming per IMV-thema",
    description=(
        "Per thema van het IMV het aantal en de namen van de gemeenten met een lokale prioriteit op dat thema "
        "of een subthema ervan, het minst gedekte thema eerst, met het aantal gemeenten dat is meegeteld. "
        "Alleen voor de adviseur en RBOP-leden van de eenheid van het IMV: een medewerker van een gemeente "
        "krijgt 403 en leest de afstemming van de eigen gemeente via /afstemming/gemeenten/{cbs_code}."
    ),
    parameters=[CYCLE_PARAMETER, DISTRICT_PARAMETER],
    responses={
        200: AlignmentByThemeSerializer,
        403: OpenApiResponse(description="Geen adviseur of RBOP-lid: het overzicht van alle gemeenten is 403."),
    },
)
class AlignmentByThemeView(APIView):
    """GET /afstemming: the unit's overview, for its regional readers."""

    def get(self, request: Request) -> Response:
        memberships = request_memberships(request)
        if not regional_unit_ids(memberships):
            raise exceptions.PermissionDenied(
                _(
                    "Alleen de adviseur en RBOP-leden zien de afstemming van alle gemeenten. De afstemming van uw "
                    "eigen gemeente staat onder /afstemming/gemeenten/{cbs_code}."
                )
            )
        cycle = ImvCycle.objects.filter(uuid=required_cycle_uuid(request)).first()
        if cycle is None or not can_compare_unit(memberships, cycle.police_unit_id):
            raise unknown_cycle()
        district = self._district(request, cycle)
        coverage, considered = analytics.alignment_by_theme(cycle=cycle, district=district)
        examples = projection_overlapping(cycle).filter(is_example=True)
        if district:
            examples = examples.filter(municipality__district__name=district)
        query = f"?imvCyclus={cycle.uuid}" + (f"&district={district}" if district else "")
        body = {
            "cycle": cycle,
            "district": district,
            "considered": considered,
            "has_examples": examples.exists(),
            "coverage": coverage,
            "self": f"{API}/afstemming{query}",
        }
        return Response(AlignmentByThemeSerializer(body).data)

    @staticmethod
    def _district(request: Request, cycle: ImvCycle) -> str | None:
        """The district's own spelling, or None for the whole unit; a name outside the unit is a 400."""
        value = request.query_params.get("district")
        if value is None:
            return None
        names = list(District.objects.filter(police_unit_id=cycle.police_unit_id).values_list("name", flat=True))
        match = next((name for name in names if name.casefold() == value.strip().casefold()), None)
        if match is None:
            raise exceptions.ValidationError(
                {"district": [_("Geen district van deze politie-eenheid. Kies uit: %(n)s.") % {"n": ", ".join(names)}]}
            )
        return match


@extend_schema(
    tags=["afstemming"],
    summary="Afstemming van één gemeente",
    description=(
        "Dekking en aansluiting van de lokale prioriteiten van één gemeente op het IMV, met hun formules, de "
        "koppelingen per prioriteit, de vastgestelde thema's zonder lokale prioriteit en de prioriteiten buiten "
        "elk thema. Voor de adviseur en RBOP-leden van de eenheid en voor medewerkers van de gemeente zelf; "
        "anders 404."
    ),
    parameters=[CBS_CODE_PARAMETER, CYCLE_PARAMETER],
    responses=MunicipalityAlignmentSerializer,
)
class MunicipalityAlignmentView(APIView):
    """GET /afstemming/gemeenten/{cbs_code}: one municipality, for whoever may read it."""

    def get(self, request: Request, cbs_code: str) -> Response:
        municipality = Municipality.objects.filter(cbs_code=cbs_code, is_active=True).first()
        if municipality is None or not can_read_municipality(request_memberships(request), municipality):
            raise exceptions.NotFound()
        cycle = ImvCycle.objects.filter(
            uuid=required_cycle_uuid(request), police_unit_id=municipality.police_unit_id
        ).first()
        if cycle is None:
            raise unknown_cycle()
        result = analytics.alignment_for_municipality(municipality=municipality, cycle=cycle)
        body = {
            "result": result,
            "cycle": cycle,
            "coverage": figure(result.covered, result.adopted, result.coverage_formula),
            "fit": figure(result.linked_priorities, result.priorities, result.fit_formula),
            "has_examples": projection_overlapping(cycle).filter(municipality=municipality, is_example=True).exists(),
            "self": f"{API}/afstemming/gemeenten/{municipality.cbs_code}?imvCyclus={cycle.uuid}",
        }
        return Response(MunicipalityAlignmentSerializer(body).data)
