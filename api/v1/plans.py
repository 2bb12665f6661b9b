"""API v1: a municipality's safety plans (veiligheidsplannen), under /gemeenten/{cbs_code}/veiligheidsplannen.

The plans live in the municipality's own schema. Every action first checks access in the
shared schema (tenants.access), then enters that schema explicitly; the request itself stays
in the public schema (/api/ is not a tenant path).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from municipalities.models import PlanStatus, SafetyPlan
from municipalities.selectors import safety_plan_list
from municipalities.services import safety_plan_update
from portal.exceptions import PortalError
from tenants.access import can_edit_municipality, can_read_municipality, request_memberships
from tenants.models import Municipality

UUID_REGEX = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
CBS_CODE_REGEX = "GM[0-9]{4}"

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

UUID_PARAMETER = OpenApiParameter("uuid", OpenApiTypes.UUID, OpenApiParameter.PATH, description="UUID van het plan.")
LINK_SCHEMA = {"type": "object", "properties": {"href": {"type": "string"}}, "required": ["href"]}


def plan_href(municipality: Municipality, plan: SafetyPlan) -> str:
    return f"/api/v1/gemeenten/{municipality.cbs_code}/veiligheidsplannen/{plan.uuid}"


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

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"self": LINK_SCHEMA, "gemeente": LINK_SCHEMA},
            "required": ["self", "gemeente"],
        }
    )
    def get__links(self, obj: SafetyPlan) -> dict[str, dict[str, str]]:
        municipality: Municipality = self.context["municipality"]
        return {
            "self": {"href": plan_href(municipality, obj)},
            "gemeente": {"href": f"/api/v1/gemeenten/{municipality.cbs_code}"},
        }


@extend_schema_serializer(component_name="VeiligheidsplanWijziging")
class SafetyPlanUpdateInputSerializer(serializers.Serializer[SafetyPlan]):
    """Wijziging van een veiligheidsplan: titel, status en/of samenvatting. Andere velden geven 400."""

    titel = serializers.CharField(source="title", required=False, max_length=200)
    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)
    samenvatting = serializers.CharField(source="summary", required=False, allow_blank=True)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        # Report unknown fields together with invalid ones (ADR /core/error-handling/all-errors):
        # a client that sends "title" or "eersteJaar" must learn that nothing of it was saved.
        errors: dict[str, Any] = {}
        attrs: dict[str, Any] = {}
        try:
            attrs = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            errors.update(exc.detail)
        if isinstance(data, Mapping):
            for name in sorted(set(data) - set(self.fields)):
                errors[name] = [_("Dit veld bestaat niet of kan niet via de API gewijzigd worden.")]
            if not data:
                errors["nonFieldErrors"] = [_("Geef minstens één van de velden titel, status of samenvatting.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


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
        description="Een veiligheidsplan van de gemeente, op UUID.",
        parameters=[UUID_PARAMETER],
    ),
    partial_update=extend_schema(
        summary="Veiligheidsplan wijzigen",
        description=(
            "Wijzig titel, status en/of samenvatting. Alleen medewerkers van de gemeente zelf (OOV, griffie); "
            "wie het plan alleen mag lezen krijgt 403."
        ),
        request=SafetyPlanUpdateInputSerializer,
        responses=SafetyPlanOutputSerializer,
        parameters=[UUID_PARAMETER],
    ),
)
@extend_schema(
    tags=["veiligheidsplannen"],
    parameters=[
        OpenApiParameter(
            "cbs_code",
            str,
            OpenApiParameter.PATH,
            pattern=f"^{CBS_CODE_REGEX}$",
            description="CBS-code van de gemeente, bijvoorbeeld GM0397.",
        )
    ],
)
class SafetyPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[SafetyPlan]):
    """Plans of the municipality in the URL; the schema is entered per action, after the access check."""

    serializer_class = SafetyPlanOutputSerializer
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    municipality: Municipality

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication (401) and IsAuthenticated first
        municipality = Municipality.objects.filter(cbs_code=kwargs["cbs_code"], is_active=True).first()
        # An unknown municipality and one the caller may not read look the same: do not reveal which exist.
        if municipality is None or not can_read_municipality(request_memberships(request), municipality):
            raise exceptions.NotFound()
        self.municipality = municipality

    @contextmanager
    def municipality_schema(self) -> Iterator[None]:
        with schema_context(self.municipality.schema_name):
            yield

    def get_queryset(self) -> QuerySet[SafetyPlan]:
        return safety_plan_list()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "municipality": getattr(self, "municipality", None)}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with self.municipality_schema():
            return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with self.municipality_schema():
            return super().retrieve(request, *args, **kwargs)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can_edit_municipality(request_memberships(request), self.municipality):
            raise exceptions.PermissionDenied(
                _("Alleen medewerkers van %(name)s wijzigen haar veiligheidsplannen.")
                % {"name": self.municipality.name}
            )
        with self.municipality_schema():
            plan = self.get_object()
            serializer = SafetyPlanUpdateInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            try:
                plan = safety_plan_update(
                    plan=plan,
                    title=data.get("title", plan.title),
                    status=data.get("status", plan.status),
                    summary=data.get("summary", plan.summary),
                )
            except PortalError as exc:
                raise with_api_field_names(exc) from exc
            return Response(self.get_serializer(plan).data)


def with_api_field_names(exc: PortalError) -> PortalError:
    """The same error, its fields renamed from the model's names to the API's."""
    errors = {API_FIELD_NAMES.get(field, field): reasons for field, reasons in exc.errors.items()}
    return PortalError(exc.message, errors=errors, status=exc.status, code=exc.code)
