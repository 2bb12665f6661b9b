"""API v1: a municipality's safety plans (veiligheidsplannen), under /gemeenten/{cbs_code}/veiligheidsplannen.

The list gives each plan in short; the detail adds how the plan is made: the five steps of
the VNG method (planstappen), milestones (mijlpalen), strategic principles (uitgangspunten),
participation (participatiemomenten) and the council's decisions (raadsbesluiten); the last two are
also resources of their own under the plan. Plans are made, changed and removed through
municipalities.services (safety_plan_create, safety_plan_update, safety_plan_delete), as on the
pages, with the same rules and audit. Access and schema: api.v1.scoped.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from api.conditional import check_if_match, if_match_parameter, row_etag
from api.v1.common import StrictInputSerializer, StrictPatchSerializer, enum_field, links, links_schema, uuid_path
from api.v1.plans.common import plan_href
from api.v1.plans.decisions import PlanDecisionSerializer
from api.v1.plans.participation_events import ParticipationEventSerializer
from api.v1.scoped import CBS_CODE_PARAMETER, MunicipalityScopedViewSet, municipality_path
from municipalities.models import (
    Milestone,
    ParticipationEvent,
    PlanDecision,
    PlanStatus,
    PlanStep,
    PlanStepKind,
    Principle,
    SafetyPlan,
)
from municipalities.selectors import safety_plan_list
from municipalities.services import (
    FIRST_YEAR,
    LAST_YEAR,
    safety_plan_create,
    safety_plan_delete,
    safety_plan_update,
)
from tenants.access import request_user
from tenants.models import Municipality

# Model field → API field, so that errors from the service name the fields the client sent.
API_FIELD_NAMES = {
    "title": "titel",
    "period_start": "eersteJaar",
    "period_end": "laatsteJaar",
    "status": "status",
    "summary": "samenvatting",
    "is_example": "isVoorbeeld",
    "__all__": "nonFieldErrors",
}

UUID_PARAMETER = uuid_path("UUID van het plan.")
PlanStepKindField = enum_field(PlanStepKind, "PlanstapSoort", "De stap van de methode Kernbeleid Veiligheid.")
PLAN_KEPT = (
    "Het plan is vastgesteld of verlopen, of er is een raadsbesluit over vastgelegd: het wordt bewaard en kan niet "
    "worden verwijderd."
)


@extend_schema_serializer(component_name="Veiligheidsplan")
class SafetyPlanOutputSerializer(serializers.ModelSerializer[SafetyPlan]):
    """Een integraal veiligheidsplan (IVP) van een gemeente: de veiligheidsdoelen van de raad voor vier jaar."""

    # The docstring above is the API documentation (Dutch). Needs ``municipality`` in the context for _links.

    titel = serializers.CharField(source="title")
    eersteJaar = serializers.IntegerField(source="period_start")  # noqa: N815 (ADR: camelCase in the API)
    laatsteJaar = serializers.IntegerField(source="period_end")  # noqa: N815
    samenvatting = serializers.CharField(source="summary", allow_blank=True)
    isVoorbeeld = serializers.BooleanField(  # noqa: N815
        source="is_example", help_text="Verzonnen demo-inhoud, geen echt plan van de gemeente."
    )
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = SafetyPlan
        fields = ["uuid", "titel", "eersteJaar", "laatsteJaar", "status", "samenvatting", "isVoorbeeld", "_links"]

    @extend_schema_field(links_schema("self", "gemeente"))
    def get__links(self, obj: SafetyPlan) -> dict[str, dict[str, str]]:
        municipality: Municipality = self.context["municipality"]
        return links(self=plan_href(municipality, obj), gemeente=municipality_path(municipality))


# --- The parts of a plan, shown in its detail -------------------------------------------------
@extend_schema_serializer(component_name="Planstap")
class PlanStepSerializer(serializers.ModelSerializer[PlanStep]):
    """Een van de vijf stappen van de VNG-methode Kernbeleid Veiligheid, met geplande en werkelijke data."""

    stap = PlanStepKindField(source="kind")
    naam = serializers.CharField(source="get_kind_display", help_text="De stap in woorden, met haar nummer.")
    geplandBegin = serializers.DateField(source="planned_start", allow_null=True)  # noqa: N815
    geplandEind = serializers.DateField(source="planned_end", allow_null=True)  # noqa: N815
    afgerondOp = serializers.DateField(source="actual_end", allow_null=True)  # noqa: N815
    toelichting = serializers.CharField(source="note", allow_blank=True)

    class Meta:
        model = PlanStep
        fields = ["uuid", "stap", "naam", "geplandBegin", "geplandEind", "afgerondOp", "toelichting"]


@extend_schema_serializer(component_name="PlanMijlpaal")
class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    """Een gedateerd moment in het maken van het plan: commissie, raad, enquête, concept verstuurd."""

    titel = serializers.CharField(source="title")
    datum = serializers.DateField(source="starts_on")
    totEnMet = serializers.DateField(  # noqa: N815
        source="ends_on", allow_null=True, help_text="Laatste dag, als het moment meer dagen beslaat."
    )
    gereed = serializers.BooleanField(source="done")

    class Meta:
        model = Milestone
        fields = ["uuid", "titel", "datum", "totEnMet", "gereed"]


@extend_schema_serializer(component_name="Uitgangspunt")
class PrincipleSerializer(serializers.ModelSerializer[Principle]):
    """Een strategisch uitgangspunt van het plan, in de volgorde van het plan."""

    titel = serializers.CharField(source="title")
    toelichting = serializers.CharField(source="description", allow_blank=True)

    class Meta:
        model = Principle
        fields = ["uuid", "titel", "toelichting"]


@extend_schema_serializer(component_name="VeiligheidsplanDetail")
class SafetyPlanDetailSerializer(SafetyPlanOutputSerializer):
    """Een veiligheidsplan met hoe het tot stand komt: stappen, mijlpalen, uitgangspunten, participatie en
    raadsbesluiten. Prioriteiten, indicatoren en uitvoeringsplannen zijn eigen resources (zie ``_links``).

    De ETag verandert bij elke wijziging van het plan zelf (titel, status, samenvatting, periode)."""

    planstappen = PlanStepSerializer(source="steps.all", many=True)
    mijlpalen = MilestoneSerializer(source="milestones.all", many=True)
    uitgangspunten = PrincipleSerializer(source="principles.all", many=True)
    participatiemomenten = ParticipationEventSerializer(source="participation_events.all", many=True)
    raadsbesluiten = PlanDecisionSerializer(source="decisions.all", many=True)

    class Meta(SafetyPlanOutputSerializer.Meta):
        fields = [
            *SafetyPlanOutputSerializer.Meta.fields[:-1],
            "planstappen",
            "mijlpalen",
            "uitgangspunten",
            "participatiemomenten",
            "raadsbesluiten",
            "_links",
        ]

    @extend_schema_field(
        links_schema(
            "self",
            "gemeente",
            "prioriteiten",
            "indicatoren",
            "uitvoeringsplannen",
            "participatiemomenten",
            "raadsbesluiten",
        )
    )
    def get__links(self, obj: SafetyPlan) -> dict[str, dict[str, str]]:
        municipality: Municipality = self.context["municipality"]
        query = f"?veiligheidsplan={obj.uuid}"
        href = plan_href(municipality, obj)
        return {
            **super().get__links(obj),
            **links(
                prioriteiten=municipality_path(municipality, "prioriteiten") + query,
                indicatoren=municipality_path(municipality, "indicatoren") + query,
                uitvoeringsplannen=municipality_path(municipality, "uitvoeringsplannen") + query,
                participatiemomenten=f"{href}/participatiemomenten",
                raadsbesluiten=f"{href}/raadsbesluiten",
            ),
        }


@extend_schema_serializer(
    component_name="VeiligheidsplanAanmaak",
    examples=[
        OpenApiExample(
            "Nieuw plan",
            value={
                "titel": "Integraal Veiligheidsplan 2027-2030",
                "eersteJaar": 2027,
                "laatsteJaar": 2030,
                "samenvatting": "Ondermijning, zorg en veiligheid en digitale veiligheid staan voorop.",
            },
            request_only=True,
        )
    ],
)
class SafetyPlanCreateInputSerializer(StrictInputSerializer):
    """Een nieuw veiligheidsplan van de gemeente. De periode beslaat één tot zes jaar (meestal vier) en overlapt
    niet met een ander plan van de gemeente."""

    titel = serializers.CharField(source="title", max_length=200)
    eersteJaar = serializers.IntegerField(  # noqa: N815
        source="period_start", min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    laatsteJaar = serializers.IntegerField(  # noqa: N815
        source="period_end", min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False, default=PlanStatus.IN_PREPARATION)
    samenvatting = serializers.CharField(source="summary", required=False, allow_blank=True, default="")


@extend_schema_serializer(
    component_name="VeiligheidsplanWijziging",
    examples=[
        OpenApiExample(
            "Vaststellen",
            value={"status": "vastgesteld", "samenvatting": "Door de raad vastgesteld op 7 november 2024."},
            request_only=True,
        )
    ],
)
class SafetyPlanUpdateInputSerializer(StrictPatchSerializer):
    """Wijziging van een veiligheidsplan: titel, status en/of samenvatting. Andere velden geven 400."""

    titel = serializers.CharField(source="title", required=False, max_length=200)
    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)
    samenvatting = serializers.CharField(source="summary", required=False, allow_blank=True)


def plan_etag(plan: SafetyPlan) -> str:
    return row_etag(plan)


@extend_schema_view(
    list=extend_schema(
        summary="Veiligheidsplannen van een gemeente",
        description=(
            "De integrale veiligheidsplannen van één gemeente, nieuwste eerst. Voor medewerkers van de "
            "gemeente en voor de adviseur en RBOP-leden van haar politie-eenheid; anders 404."
        ),
    ),
    retrieve=extend_schema(
        summary="Eén veiligheidsplan",
        description=(
            "Een veiligheidsplan van de gemeente, op UUID, met zijn stappen, mijlpalen, uitgangspunten, "
            "participatiemomenten en raadsbesluiten, en een ETag."
        ),
        parameters=[UUID_PARAMETER],
        responses=SafetyPlanDetailSerializer,
        extensions={"x-etag": True},
    ),
    create=extend_schema(
        summary="Veiligheidsplan aanmaken",
        description=(
            "Maak een nieuw veiligheidsplan van de gemeente, standaard in voorbereiding. De periode beslaat één tot "
            "zes jaar en overlapt niet met een ander plan van de gemeente (anders 400, bij eersteJaar). Alleen "
            "medewerkers van de gemeente zelf; de regio krijgt 403."
        ),
        request=SafetyPlanCreateInputSerializer,
        responses={201: SafetyPlanDetailSerializer},
        extensions={"x-etag": True},
    ),
    partial_update=extend_schema(
        summary="Veiligheidsplan wijzigen",
        description=(
            "Wijzig titel, status en/of samenvatting. Alleen medewerkers van de gemeente zelf (OOV, griffie); "
            "wie het plan alleen mag lezen krijgt 403. Met If-Match (de ETag van het plan) wordt alleen gewijzigd "
            "als het plan sinds het ophalen niet is veranderd."
        ),
        request=SafetyPlanUpdateInputSerializer,
        responses=SafetyPlanDetailSerializer,
        parameters=[UUID_PARAMETER, if_match_parameter(required=False, what="het plan")],
        extensions={"x-etag": True},
    ),
    destroy=extend_schema(
        summary="Veiligheidsplan verwijderen",
        description=(
            "Verwijder een plan dat nog niet van de raad is, met alles wat erin staat: prioriteiten met hun "
            "indicatoren, uitvoeringsplannen met hun acties, stappen, mijlpalen, uitgangspunten en "
            "participatiemomenten; ook de regionale afstemming telt de prioriteiten niet meer. Een plan dat "
            "vastgesteld of verlopen is, of waarover een raadsbesluit is vastgelegd, blijft bewaard: 409. "
            "If-Match is verplicht."
        ),
        responses={204: OpenApiResponse(description="Verwijderd."), 409: OpenApiResponse(description=PLAN_KEPT)},
        parameters=[UUID_PARAMETER, if_match_parameter(required=True, what="het plan")],
    ),
)
@extend_schema(tags=["veiligheidsplannen"], parameters=[CBS_CODE_PARAMETER])
class SafetyPlanViewSet(MunicipalityScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Plans of the municipality in the URL; create, partial_update and destroy go through the services."""

    api_field_names = API_FIELD_NAMES  # the service's field names as this API calls them

    serializer_class = SafetyPlanOutputSerializer

    def get_queryset(self) -> QuerySet[SafetyPlan]:
        plans = safety_plan_list()
        if self.action in ("retrieve", "partial_update", "create"):
            plans = plans.prefetch_related(
                "steps",
                "milestones",
                "principles",
                Prefetch("participation_events", queryset=ParticipationEvent.objects.select_related("plan")),
                Prefetch("decisions", queryset=PlanDecision.objects.select_related("plan")),
            )
        return plans

    def get_serializer_class(self) -> type[serializers.BaseSerializer[SafetyPlan]]:
        if self.action in ("retrieve", "partial_update", "create"):
            return SafetyPlanDetailSerializer
        return SafetyPlanOutputSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.get_object()
        return Response(self.get_serializer(plan).data, headers={"ETag": plan_etag(plan)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_edit()
        serializer = SafetyPlanCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = safety_plan_create(
            municipality=self.municipality, actor=request_user(request), **serializer.validated_data
        )
        return self.stored_response(
            plan, status.HTTP_201_CREATED, etag=plan_etag, href=lambda fresh: plan_href(self.municipality, fresh)
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_edit()
        plan = self.get_object()
        serializer = SafetyPlanUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            locked = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
            # Optional here: this PATCH was published without If-Match, and requiring it now would break clients.
            check_if_match(request, plan_etag(locked), what="het plan")
            safety_plan_update(
                municipality=self.municipality,
                actor=request_user(request),
                plan=locked,
                title=data.get("title", locked.title),
                status=data.get("status", locked.status),
                summary=data.get("summary", locked.summary),
            )
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(self.get_serializer(plan).data, headers={"ETag": plan_etag(plan)})

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.object_to_change(request, what="het plan")
        with transaction.atomic():
            locked = self.locked_if_match(SafetyPlan.objects.all(), plan.pk, plan_etag, what="het plan")
            safety_plan_delete(municipality=self.municipality, actor=request_user(request), plan=locked)
        return Response(status=status.HTTP_204_NO_CONTENT)
