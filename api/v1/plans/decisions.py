"""API v1: the council's decisions on a plan (raadsbesluiten), under
/gemeenten/{cbs_code}/veiligheidsplannen/{veiligheidsplan_uuid}/raadsbesluiten.

A decision may carry its PDF: sent as multipart/form-data (as PUT /deelnames/{uuid}/raadsbesluit),
checked by imv.uploads.pdf_check through the service, stored in the municipality's own folder and
served by its own address, as a download, to whoever may read the plan; its place on disk never
leaves the server. Writes go through municipalities.services (plan_decision_save,
plan_decision_delete), as on the plan page, with the same rules and audit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.conditional import if_match_parameter, row_etag
from api.parsers import PortalMultiPartParser
from api.v1.common import StrictInputSerializer, StrictPatchSerializer, enum_field, links, links_schema, uuid_path
from api.v1.plans.common import PLAN_UUID_PARAMETER, DownloadNegotiation, PlanPartViewSet, plan_href
from api.v1.scoped import CBS_CODE_PARAMETER
from imv.models import Openbaarheid
from municipalities.models import PlanDecision
from municipalities.services import plan_decision_delete, plan_decision_save
from tenants.access import request_user
from tenants.models import Municipality

API_FIELD_NAMES = {
    "date": "datum",
    "case_number": "zaaknummer",
    "openbaarheid": "openbaarheid",
    "document": "document",
    "__all__": "nonFieldErrors",
}
OpenbaarheidField = enum_field(
    Openbaarheid, "Openbaarheid", "Openbaarheid van het document (Woo): actief openbaar, openbaar op verzoek, of niet."
)
UUID_PARAMETER = uuid_path("UUID van het raadsbesluit.")
IF_MATCH = if_match_parameter(required=True, what="het raadsbesluit")
PDF_HELP = "Het raadsbesluit als PDF (zonder wachtwoord of scripts, tot 10 MB)."


def decision_href(municipality: Municipality, decision: PlanDecision) -> str:
    return f"{plan_href(municipality, decision.plan)}/raadsbesluiten/{decision.uuid}"


def decision_etag(decision: PlanDecision) -> str:
    """Every field, the stored file's name too: a new PDF is a new version."""
    return row_etag(decision)


@extend_schema_serializer(component_name="PlanRaadsbesluit")
class PlanDecisionSerializer(serializers.ModelSerializer[PlanDecision]):
    """Het besluit van de raad over het plan. Is het besluit als PDF opgeslagen, dan staat in ``_links``
    een ``document`` om het te downloaden. De ETag verandert bij elke wijziging, ook van de PDF."""

    # Needs ``municipality`` in the context; the rows come with their plan.

    datum = serializers.DateField(source="date")
    zaaknummer = serializers.CharField(source="case_number")
    openbaarheid = OpenbaarheidField()
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = PlanDecision
        fields = ["uuid", "datum", "zaaknummer", "openbaarheid", "_links"]

    @extend_schema_field(links_schema("self", "veiligheidsplan", optional=["document"]))
    def get__links(self, obj: PlanDecision) -> dict[str, dict[str, str]]:
        municipality: Municipality = self.context["municipality"]
        href = decision_href(municipality, obj)
        hrefs = {"self": href, "veiligheidsplan": plan_href(municipality, obj.plan)}
        if obj.document:
            hrefs["document"] = f"{href}/document"
        return links(**hrefs)


@extend_schema_serializer(
    component_name="PlanRaadsbesluitAanmaak",
    examples=[
        OpenApiExample(
            "Raadsbesluit",
            value={"datum": "2026-11-05", "zaaknummer": "Z-2026-0412", "openbaarheid": "actief_openbaar"},
            summary="Zonder document: de PDF kan er later bij (een voorbeeld kan geen bestand bevatten).",
            request_only=True,
            media_type="multipart/form-data",
        )
    ],
)
class PlanDecisionCreateInputSerializer(StrictInputSerializer):
    """Een nieuw raadsbesluit over het plan, met of zonder de PDF."""

    datum = serializers.DateField(source="date", help_text="Datum van het raadsbesluit.")
    zaaknummer = serializers.CharField(source="case_number", max_length=50, help_text="Het zaaknummer van het besluit.")
    openbaarheid = OpenbaarheidField()
    document = serializers.FileField(required=False, default=None, help_text=PDF_HELP)


@extend_schema_serializer(
    component_name="PlanRaadsbesluitWijziging",
    examples=[
        OpenApiExample(
            "Zaaknummer verbeteren",
            value={"zaaknummer": "Z-2026-0421"},
            summary="Zonder document: de opgeslagen PDF blijft.",
            request_only=True,
            media_type="multipart/form-data",
        )
    ],
)
class PlanDecisionUpdateInputSerializer(StrictPatchSerializer):
    """Wijziging van een raadsbesluit: alleen de velden die u meestuurt. Een ``document`` vervangt de
    opgeslagen PDF; zonder ``document`` blijft die staan."""

    datum = serializers.DateField(source="date", required=False)
    zaaknummer = serializers.CharField(source="case_number", max_length=50, required=False)
    openbaarheid = OpenbaarheidField(required=False)
    document = serializers.FileField(required=False, help_text=PDF_HELP)


@extend_schema_view(
    list=extend_schema(
        summary="Raadsbesluiten over een veiligheidsplan",
        description=(
            "De besluiten van de raad over het plan, nieuwste eerst. Voor medewerkers van de gemeente en de "
            "adviseur en RBOP-leden van haar eenheid; anders 404."
        ),
    ),
    retrieve=extend_schema(
        summary="Eén raadsbesluit",
        description="Een raadsbesluit over het plan, met een ETag voor wijzigen.",
        parameters=[UUID_PARAMETER],
        extensions={"x-etag": True},
    ),
    create=extend_schema(
        summary="Raadsbesluit toevoegen",
        description=(
            "Leg een besluit van de raad over het plan vast, met de PDF (multipart/form-data). Alleen medewerkers "
            "van de gemeente; de regio krijgt 403."
        ),
        request={"multipart/form-data": PlanDecisionCreateInputSerializer},
        responses={201: PlanDecisionSerializer},
        extensions={"x-etag": True},
    ),
    partial_update=extend_schema(
        summary="Raadsbesluit wijzigen",
        description=(
            "Wijzig de velden die u meestuurt (multipart/form-data); een nieuwe PDF vervangt de oude. If-Match is "
            "verplicht: zonder 428, met een verouderde ETag 412."
        ),
        request={"multipart/form-data": PlanDecisionUpdateInputSerializer},
        responses={200: PlanDecisionSerializer},
        parameters=[UUID_PARAMETER, IF_MATCH],
        extensions={"x-etag": True},
    ),
    destroy=extend_schema(
        summary="Raadsbesluit verwijderen",
        description="Verwijder een raadsbesluit met zijn PDF. If-Match is verplicht.",
        responses={204: OpenApiResponse(description="Verwijderd.")},
        parameters=[UUID_PARAMETER, IF_MATCH],
    ),
    document=extend_schema(
        summary="Raadsbesluit downloaden",
        description=(
            "Het raadsbesluit over het plan als PDF, altijd als download. Voor wie het plan mag lezen; 404 als er "
            "geen document is opgeslagen."
        ),
        parameters=[UUID_PARAMETER],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Het besluit (PDF).")},
    ),
)
@extend_schema(tags=["veiligheidsplannen"], parameters=[CBS_CODE_PARAMETER, PLAN_UUID_PARAMETER])
class PlanDecisionViewSet(PlanPartViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """create, partial_update and destroy are written out (no PUT): each goes through the services."""

    api_field_names = API_FIELD_NAMES  # the service's field names as this API calls them

    serializer_class = PlanDecisionSerializer
    parser_classes = [PortalMultiPartParser]  # a decision carries its PDF; NUL and lone surrogates are 400

    def get_queryset(self) -> QuerySet[PlanDecision]:
        return PlanDecision.objects.filter(plan=self.plan).select_related("plan")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        decision = self.get_object()
        return Response(self.get_serializer(decision).data, headers={"ETag": decision_etag(decision)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_edit()
        serializer = PlanDecisionCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = plan_decision_save(
            municipality=self.municipality, plan=self.plan, actor=request_user(request), **serializer.validated_data
        )
        return self._response(decision, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        decision = self.object_to_change(request, what="het raadsbesluit")
        serializer = PlanDecisionUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            locked = self.locked_if_match(self.get_queryset(), decision.pk, decision_etag, what="het raadsbesluit")
            plan_decision_save(
                municipality=self.municipality,
                plan=self.plan,
                decision=locked,
                date=data.get("date", locked.date),
                case_number=data.get("case_number", locked.case_number),
                openbaarheid=data.get("openbaarheid", locked.openbaarheid),
                document=data.get("document"),
                actor=request_user(request),
            )
        return self._response(decision, status.HTTP_200_OK)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        decision = self.object_to_change(request, what="het raadsbesluit")
        with transaction.atomic():
            locked = self.locked_if_match(self.get_queryset(), decision.pk, decision_etag, what="het raadsbesluit")
            plan_decision_delete(municipality=self.municipality, decision=locked, actor=request_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"], content_negotiation_class=DownloadNegotiation)
    def document(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        decision = PlanDecision.objects.filter(plan=self.plan, uuid=kwargs["uuid"]).first()
        if decision is None or not decision.document:
            raise Http404(_("Er is geen raadsbesluit als document opgeslagen."))
        case = "".join(c for c in decision.case_number if c.isalnum() or c in "-_")
        return FileResponse(
            decision.document.open("rb"),
            as_attachment=True,
            filename=f"raadsbesluit-{self.municipality.cbs_code}-{case or 'ivp'}.pdf",
            content_type="application/pdf",
        )

    def _response(self, decision: PlanDecision, status_code: int) -> Response:
        return self.stored_response(
            decision, status_code, etag=decision_etag, href=lambda fresh: decision_href(self.municipality, fresh)
        )
