"""API v1: a municipality's performance indicators (indicatoren), under /gemeenten/{cbs_code}/indicatoren.

An indicator (KPI, prestatie-indicator) measures one local priority: a baseline, a target and
a value per year (metingen), with the story behind the numbers. Writes go through
municipalities.kpis. Access and schema: api.v1.scoped.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
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
    amount,
    links,
    links_schema,
    query_uuid,
    uuid_filter,
    uuid_path,
)
from api.v1.scoped import CBS_CODE_PARAMETER, MunicipalityScopedViewSet, municipality_path
from municipalities.models import Kpi, Measurement, Priority
from municipalities.services import FIRST_YEAR, LAST_YEAR, MeasurementInput, kpi_delete, kpi_save
from tenants.access import request_user
from tenants.models import Municipality

API_FIELD_NAMES = {
    "name": "naam",
    "unit": "eenheid",
    "baseline_value": "nulmeting",
    "baseline_year": "jaarNulmeting",
    "target_value": "streefwaarde",
    "target_year": "streefjaar",
    "story": "verhaal",
    "measurements": "metingen",
    "priority": "prioriteit",
    "__all__": "nonFieldErrors",
}
UUID_PARAMETER = uuid_path("UUID van de indicator.")
IF_MATCH = if_match_parameter(required=True, what="de indicator")


def indicator_href(municipality: Municipality, kpi: Kpi) -> str:
    return municipality_path(municipality, "indicatoren", kpi.uuid)


def kpi_etag(kpi: Kpi, measurements: list[Measurement]) -> str:
    """The row and its yearly values: a PATCH can change both."""
    return row_etag(kpi, sorted((m.year, m.value) for m in measurements))


def stored_kpi_etag(kpi: Kpi) -> str:
    """kpi_etag with the measurements as stored (read from the database)."""
    return kpi_etag(kpi, list(kpi.measurements.all()))


@extend_schema_serializer(component_name="Meting")
class MeasurementSerializer(StrictInputSerializer):
    """De waarde van de indicator in één jaar."""

    jaar = serializers.IntegerField(source="year", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    waarde = amount(source="value")


@extend_schema_serializer(component_name="Indicator")
class IndicatorOutputSerializer(serializers.ModelSerializer[Kpi]):
    """Een prestatie-indicator van een lokale prioriteit: nulmeting, streefwaarde, een meting per jaar, en het
    verhaal achter de cijfers (lage cijfers zeggen niet alles). De ETag verandert met elke wijziging,
    ook van de metingen."""

    # Needs ``municipality`` in the context; rows come with priority and plan, measurements prefetched.

    naam = serializers.CharField(source="name")
    eenheid = serializers.CharField(source="unit", help_text="Waarin de indicator is uitgedrukt, bijvoorbeeld %.")
    nulmeting = amount(source="baseline_value", allow_null=True)
    jaarNulmeting = serializers.IntegerField(source="baseline_year", allow_null=True)  # noqa: N815
    streefwaarde = amount(source="target_value", allow_null=True)
    streefjaar = serializers.IntegerField(source="target_year", allow_null=True)
    verhaal = serializers.CharField(source="story", allow_blank=True, help_text="Het verhaal achter de cijfers.")
    metingen = MeasurementSerializer(source="measurements.all", many=True, help_text="Per jaar, oudste eerst.")
    prioriteit = serializers.UUIDField(source="priority.uuid", help_text="UUID van de prioriteit.")
    veiligheidsplan = serializers.UUIDField(source="priority.plan.uuid", help_text="UUID van het veiligheidsplan.")
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = Kpi
        fields = [
            "uuid",
            "naam",
            "eenheid",
            "nulmeting",
            "jaarNulmeting",
            "streefwaarde",
            "streefjaar",
            "verhaal",
            "metingen",
            "prioriteit",
            "veiligheidsplan",
            "_links",
        ]

    @extend_schema_field(links_schema("self", "prioriteit"))
    def get__links(self, obj: Kpi) -> dict[str, dict[str, str]]:
        municipality: Municipality = self.context["municipality"]
        return links(
            self=indicator_href(municipality, obj),
            prioriteit=municipality_path(municipality, "prioriteiten", obj.priority.uuid),
        )


@extend_schema_serializer(
    component_name="IndicatorAanmaak",
    examples=[
        OpenApiExample(
            "Nieuwe indicator",
            value={
                "prioriteit": "7d3e2c1b-5a4f-4e6d-8c9b-1a2b3c4d5e6f",
                "naam": "Aangiften van woninginbraak",
                "eenheid": "aantal",
                "nulmeting": 120,
                "jaarNulmeting": 2023,
                "streefwaarde": 100,
                "streefjaar": 2027,
                "verhaal": "Lage cijfers zeggen niet alles: niet elke inbraak wordt gemeld.",
                "metingen": [{"jaar": 2024, "waarde": 115.5}],
            },
            request_only=True,
        )
    ],
)
class IndicatorCreateInputSerializer(StrictInputSerializer):
    """Een nieuwe indicator bij een prioriteit van de gemeente. Waarde en jaar van nulmeting en streefwaarde
    horen bij elkaar: geef beide of geen van beide."""

    prioriteit = serializers.UUIDField(source="priority", help_text="UUID van een prioriteit van deze gemeente.")
    naam = serializers.CharField(source="name", max_length=200)
    eenheid = serializers.CharField(source="unit", max_length=50)
    nulmeting = amount(source="baseline_value", required=False, allow_null=True, default=None)
    jaarNulmeting = serializers.IntegerField(  # noqa: N815
        source="baseline_year", required=False, allow_null=True, default=None, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    streefwaarde = amount(source="target_value", required=False, allow_null=True, default=None)
    streefjaar = serializers.IntegerField(
        source="target_year", required=False, allow_null=True, default=None, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    verhaal = serializers.CharField(source="story", required=False, allow_blank=True, default="")
    metingen = MeasurementSerializer(source="measurements", many=True, required=False, default=list)


@extend_schema_serializer(
    component_name="IndicatorWijziging",
    examples=[
        OpenApiExample(
            "Metingen bijwerken",
            value={"metingen": [{"jaar": 2024, "waarde": 115.5}, {"jaar": 2025, "waarde": 108}]},
            request_only=True,
        )
    ],
)
class IndicatorUpdateInputSerializer(StrictPatchSerializer):
    """Wijziging van een indicator: alleen de velden die u meestuurt. ``metingen`` vervangt alle metingen."""

    prioriteit = serializers.UUIDField(source="priority", required=False)
    naam = serializers.CharField(source="name", max_length=200, required=False)
    eenheid = serializers.CharField(source="unit", max_length=50, required=False)
    nulmeting = amount(source="baseline_value", required=False, allow_null=True)
    jaarNulmeting = serializers.IntegerField(  # noqa: N815
        source="baseline_year", required=False, allow_null=True, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    streefwaarde = amount(source="target_value", required=False, allow_null=True)
    streefjaar = serializers.IntegerField(
        source="target_year", required=False, allow_null=True, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    verhaal = serializers.CharField(source="story", required=False, allow_blank=True)
    metingen = MeasurementSerializer(source="measurements", many=True, required=False)


def measurement_inputs(items: list[dict[str, Any]] | None) -> list[MeasurementInput] | None:
    if items is None:
        return None
    return [MeasurementInput(year=item["year"], value=item["value"]) for item in items]


@extend_schema_view(
    list=extend_schema(
        summary="Indicatoren van een gemeente",
        description=(
            "De prestatie-indicatoren van de prioriteiten van één gemeente, met hun metingen per jaar. Voor "
            "medewerkers van de gemeente en de adviseur en RBOP-leden van haar eenheid; anders 404."
        ),
        parameters=[
            uuid_filter("prioriteit", "Alleen die van deze prioriteit (UUID)."),
            uuid_filter("veiligheidsplan", "Alleen die van dit veiligheidsplan (UUID)."),
        ],
    ),
    retrieve=extend_schema(
        summary="Eén indicator",
        description="Een indicator met haar metingen, en een ETag voor wijzigen.",
        parameters=[UUID_PARAMETER],
        extensions={"x-etag": True},
    ),
    create=extend_schema(
        summary="Indicator toevoegen",
        description="Voeg een indicator toe aan een prioriteit. Alleen medewerkers van de gemeente; de regio 403.",
        request=IndicatorCreateInputSerializer,
        responses={201: IndicatorOutputSerializer},
        extensions={"x-etag": True},
    ),
    partial_update=extend_schema(
        summary="Indicator wijzigen",
        description=(
            "Wijzig de velden die u meestuurt; ``metingen`` vervangt alle metingen. If-Match is verplicht: "
            "zonder 428, met een verouderde ETag 412."
        ),
        request=IndicatorUpdateInputSerializer,
        responses={200: IndicatorOutputSerializer},
        parameters=[UUID_PARAMETER, IF_MATCH],
        extensions={"x-etag": True},
    ),
    destroy=extend_schema(
        summary="Indicator verwijderen",
        description="Verwijder een indicator met haar metingen. If-Match is verplicht.",
        responses={204: OpenApiResponse(description="Verwijderd.")},
        parameters=[UUID_PARAMETER, IF_MATCH],
    ),
)
@extend_schema(tags=["indicatoren"], parameters=[CBS_CODE_PARAMETER])
class IndicatorViewSet(MunicipalityScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """create, partial_update and destroy are written out (no PUT): each goes through municipalities.kpis."""

    api_field_names = API_FIELD_NAMES  # the service's field names as this API calls them

    serializer_class = IndicatorOutputSerializer

    def get_queryset(self) -> QuerySet[Kpi]:
        kpis = (
            Kpi.objects.select_related("priority__plan")
            .prefetch_related("measurements")
            .order_by("priority__plan__period_start", "priority__position", "pk")
        )
        if self.action == "list":
            priority_uuid = query_uuid(self.request, "prioriteit")
            if priority_uuid is not None:
                kpis = kpis.filter(priority__uuid=priority_uuid)
            plan_uuid = query_uuid(self.request, "veiligheidsplan")
            if plan_uuid is not None:
                kpis = kpis.filter(priority__plan__uuid=plan_uuid)
        return kpis

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kpi = self.get_object()
        return Response(self.get_serializer(kpi).data, headers={"ETag": stored_kpi_etag(kpi)})

    def _priority(self, value: Any) -> Priority:
        return self.lookup_in_schema(
            Priority, value, field="prioriteit", message=_("Deze gemeente heeft geen prioriteit met deze UUID.")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_edit()
        serializer = IndicatorCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        priority = self._priority(data.pop("priority"))
        measurements = measurement_inputs(data.pop("measurements"))
        kpi = kpi_save(
            municipality=self.municipality,
            priority=priority,
            measurements=measurements,
            actor=request_user(request),
            **data,
        )
        return self._response(kpi, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kpi = self.object_to_change(request, what="de indicator")
        serializer = IndicatorUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        priority = self._priority(data["priority"]) if "priority" in data else None
        with transaction.atomic():
            locked = self.locked_if_match(
                Kpi.objects.select_related("priority"), kpi.pk, stored_kpi_etag, what="de indicator"
            )
            kpi_save(
                municipality=self.municipality,
                priority=priority or locked.priority,
                kpi=locked,
                name=data.get("name", locked.name),
                unit=data.get("unit", locked.unit),
                baseline_value=data.get("baseline_value", locked.baseline_value),
                baseline_year=data.get("baseline_year", locked.baseline_year),
                target_value=data.get("target_value", locked.target_value),
                target_year=data.get("target_year", locked.target_year),
                story=data.get("story", locked.story),
                measurements=measurement_inputs(data.get("measurements")),
                actor=request_user(request),
            )
        return self._response(kpi, status.HTTP_200_OK)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kpi = self.object_to_change(request, what="de indicator")
        with transaction.atomic():
            locked = self.locked_if_match(Kpi.objects.all(), kpi.pk, stored_kpi_etag, what="de indicator")
            kpi_delete(municipality=self.municipality, kpi=locked, actor=request_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _response(self, kpi: Kpi, status_code: int) -> Response:
        return self.stored_response(
            kpi, status_code, etag=stored_kpi_etag, href=lambda fresh: indicator_href(self.municipality, fresh)
        )
