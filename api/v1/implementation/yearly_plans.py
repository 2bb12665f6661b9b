"""API v1: yearly implementation plans (uitvoeringsplannen), under /gemeenten/{cbs_code}/uitvoeringsplannen[/{uuid}].

Each year's plan of a safety plan, with its actions (their own resource: api.v1.implementation.actions)
and the look back on the year before. Municipal staff make, change and remove them through
municipalities.services (implementation_plan_save, implementation_plan_delete), as on the plan page,
with the same rules (one per year of the plan's period) and audit. Access and schema: api.v1.scoped.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
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

from api.conditional import if_match_parameter, row_etag
from api.v1.common import (
    StrictInputSerializer,
    StrictPatchSerializer,
    links,
    links_schema,
    query_uuid,
    query_year,
    uuid_filter,
    uuid_path,
    year_filter,
)
from api.v1.implementation.actions import ActionOutputSerializer, implementation_plan_href
from api.v1.scoped import CBS_CODE_PARAMETER, MunicipalityScopedViewSet, municipality_path
from municipalities.models import Action, ImplementationPlan, SafetyPlan
from municipalities.services import FIRST_YEAR, LAST_YEAR, implementation_plan_delete, implementation_plan_save
from tenants.access import request_user
from tenants.models import Municipality

API_FIELD_NAMES = {
    "year": "jaar",
    "look_back": "terugblik",
    "plan": "veiligheidsplan",
    "__all__": "nonFieldErrors",
}
UUID_PARAMETER = uuid_path("UUID van het uitvoeringsplan.")
IF_MATCH = if_match_parameter(required=True, what="het uitvoeringsplan")


def implementation_plan_etag(plan: ImplementationPlan) -> str:
    """The yearly plan's own fields; its actions have ETags of their own."""
    return row_etag(plan)


@extend_schema_serializer(component_name="Uitvoeringsplan")
class ImplementationPlanOutputSerializer(serializers.ModelSerializer[ImplementationPlan]):
    """Het uitvoeringsplan van één jaar van een veiligheidsplan: de acties van dat jaar en de terugblik op het
    vorige jaar. De ETag verandert bij elke wijziging van jaar of terugblik; elke actie heeft haar eigen ETag."""

    jaar = serializers.IntegerField(source="year")
    terugblik = serializers.CharField(source="look_back", allow_blank=True, help_text="Terugblik op het vorige jaar.")
    veiligheidsplan = serializers.UUIDField(source="plan.uuid", help_text="UUID van het veiligheidsplan.")
    acties = ActionOutputSerializer(source="actions.all", many=True)
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = ImplementationPlan
        fields = ["uuid", "jaar", "terugblik", "veiligheidsplan", "acties", "_links"]

    @extend_schema_field(links_schema("self", "veiligheidsplan", "acties"))
    def get__links(self, obj: ImplementationPlan) -> dict[str, dict[str, str]]:
        municipality: Municipality = self.context["municipality"]
        href = implementation_plan_href(municipality, obj)
        return links(
            self=href,
            veiligheidsplan=municipality_path(municipality, "veiligheidsplannen", obj.plan.uuid),
            acties=f"{href}/acties",
        )


@extend_schema_serializer(
    component_name="UitvoeringsplanAanmaak",
    examples=[
        OpenApiExample(
            "Nieuw jaar",
            value={
                "veiligheidsplan": "5b0f9f3e-8d6c-4d8e-9a53-2f8f1c1e7a10",
                "jaar": 2026,
                "terugblik": "In 2025 daalde het aantal woninginbraken; de buurtpreventie-apps werken.",
            },
            request_only=True,
        )
    ],
)
class ImplementationPlanCreateInputSerializer(StrictInputSerializer):
    """Een nieuw uitvoeringsplan: één per jaar van de periode van het veiligheidsplan."""

    veiligheidsplan = serializers.UUIDField(help_text="UUID van een veiligheidsplan van deze gemeente.")
    jaar = serializers.IntegerField(
        source="year",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="Een jaar van de periode van het veiligheidsplan.",
    )
    terugblik = serializers.CharField(
        source="look_back", required=False, allow_blank=True, default="", max_length=20_000
    )


@extend_schema_serializer(
    component_name="UitvoeringsplanWijziging",
    examples=[
        OpenApiExample(
            "Terugblik bijwerken",
            value={"terugblik": "De aanpak van ondermijning liep vertraging op; de acties schuiven door naar 2026."},
            request_only=True,
        )
    ],
)
class ImplementationPlanUpdateInputSerializer(StrictPatchSerializer):
    """Wijziging van een uitvoeringsplan: jaar en/of terugblik. Het veiligheidsplan blijft hetzelfde."""

    jaar = serializers.IntegerField(source="year", required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    terugblik = serializers.CharField(source="look_back", required=False, allow_blank=True, max_length=20_000)


@extend_schema_view(
    list=extend_schema(
        summary="Uitvoeringsplannen van een gemeente",
        description=(
            "De uitvoeringsplannen per jaar van de veiligheidsplannen van één gemeente, met hun acties, oudste "
            "jaar eerst. Voor medewerkers van de gemeente en de adviseur en RBOP-leden van haar eenheid."
        ),
        parameters=[
            uuid_filter("veiligheidsplan", "Alleen die van dit veiligheidsplan (UUID)."),
            year_filter("jaar", "Alleen het uitvoeringsplan van dit jaar (vier cijfers), bijvoorbeeld 2025."),
        ],
    ),
    retrieve=extend_schema(
        summary="Eén uitvoeringsplan",
        description="Een uitvoeringsplan met zijn acties, en een ETag voor wijzigen.",
        parameters=[UUID_PARAMETER],
        extensions={"x-etag": True},
    ),
    create=extend_schema(
        summary="Uitvoeringsplan toevoegen",
        description=(
            "Voeg het uitvoeringsplan van een jaar toe aan een veiligheidsplan van de gemeente: een jaar van de "
            "planperiode dat nog geen uitvoeringsplan heeft. Alleen medewerkers van de gemeente; de regio 403."
        ),
        request=ImplementationPlanCreateInputSerializer,
        responses={201: ImplementationPlanOutputSerializer},
        extensions={"x-etag": True},
    ),
    partial_update=extend_schema(
        summary="Uitvoeringsplan wijzigen",
        description=(
            "Wijzig jaar en/of terugblik. If-Match is verplicht: zonder 428, met een verouderde ETag 412. Alleen "
            "medewerkers van de gemeente; de regio krijgt 403."
        ),
        request=ImplementationPlanUpdateInputSerializer,
        responses={200: ImplementationPlanOutputSerializer},
        parameters=[UUID_PARAMETER, IF_MATCH],
        extensions={"x-etag": True},
    ),
    destroy=extend_schema(
        summary="Uitvoeringsplan verwijderen",
        description="Verwijder een uitvoeringsplan met al zijn acties. If-Match is verplicht.",
        responses={204: OpenApiResponse(description="Verwijderd.")},
        parameters=[UUID_PARAMETER, IF_MATCH],
    ),
)
@extend_schema(tags=["uitvoeringsplannen"], parameters=[CBS_CODE_PARAMETER])
class ImplementationPlanViewSet(MunicipalityScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """create, partial_update and destroy are written out (no PUT): each goes through the services."""

    api_field_names = API_FIELD_NAMES  # the service's field names as this API calls them

    serializer_class = ImplementationPlanOutputSerializer

    def get_queryset(self) -> QuerySet[ImplementationPlan]:
        plans = (
            ImplementationPlan.objects.select_related("plan")
            .prefetch_related(Prefetch("actions", queryset=Action.objects.select_related("priority")))
            .order_by("year", "plan__period_start", "pk")
        )
        if self.action == "list":
            plan_uuid = query_uuid(self.request, "veiligheidsplan")
            if plan_uuid is not None:
                plans = plans.filter(plan__uuid=plan_uuid)
            year = query_year(self.request, "jaar")
            if year is not None:
                plans = plans.filter(year=year)
        return plans

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        yearly = self.get_object()
        return Response(self.get_serializer(yearly).data, headers={"ETag": implementation_plan_etag(yearly)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_edit()
        serializer = ImplementationPlanCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan = self.lookup_in_schema(
            SafetyPlan,
            data.pop("veiligheidsplan"),
            field="veiligheidsplan",
            message=_("Deze gemeente heeft geen veiligheidsplan met deze UUID."),
        )
        yearly = implementation_plan_save(
            municipality=self.municipality, plan=plan, actor=request_user(request), **data
        )
        return self._response(yearly, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        yearly = self.object_to_change(request, what="het uitvoeringsplan")
        serializer = ImplementationPlanUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            locked = self.locked_if_match(
                ImplementationPlan.objects.select_related("plan"),
                yearly.pk,
                implementation_plan_etag,
                what="het uitvoeringsplan",
            )
            implementation_plan_save(
                municipality=self.municipality,
                plan=locked.plan,
                implementation_plan=locked,
                year=data.get("year", locked.year),
                look_back=data.get("look_back", locked.look_back),
                actor=request_user(request),
            )
        return self._response(yearly, status.HTTP_200_OK)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        yearly = self.object_to_change(request, what="het uitvoeringsplan")
        with transaction.atomic():
            locked = self.locked_if_match(
                ImplementationPlan.objects.select_related("plan"),
                yearly.pk,
                implementation_plan_etag,
                what="het uitvoeringsplan",
            )
            implementation_plan_delete(
                municipality=self.municipality, implementation_plan=locked, actor=request_user(request)
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _response(self, yearly: ImplementationPlan, status_code: int) -> Response:
        return self.stored_response(
            yearly,
            status_code,
            etag=implementation_plan_etag,
            href=lambda fresh: implementation_plan_href(self.municipality, fresh),
        )
