"""API v1: extension requests (uitstelverzoeken): a municipality asks for more time for its
opinion, and the adviser of the regional mayor grants or refuses it.

A request changes only by its one decision, which is what its ETag follows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.conditional import if_match_parameter, if_match_versions, require_if_match_header
from api.v1.common import StrictInputSerializer, enum_field, links, links_schema, query_uuid, uuid_path
from api.v1.imv.common import (
    MUNICIPALITY_FILTER,
    ROUND_CLOSED,
    ROUND_FILTER,
    ImvViewSetMixin,
    MunicipalityReferenceSerializer,
    extension_href,
    participation_href,
    query_cbs_code,
    round_href,
)
from imv import selectors, services
from imv.models import ExtensionRequest, ExtensionStatus
from tenants.access import can_manage_round

ExtensionStatusField = enum_field(ExtensionStatus, "UitstelverzoekStatus", "Of over het verzoek is besloten.")
ExtensionDecisionField = enum_field(
    ExtensionStatus,
    "UitstelverzoekBeslissing",
    "Het besluit van de adviseur.",
    values=[ExtensionStatus.GRANTED, ExtensionStatus.REFUSED],
)


def extension_etag(request: ExtensionRequest) -> str:
    return f'"{services.extension_version(request)}"'


@extend_schema_serializer(component_name="Uitstelverzoek")
class ExtensionOutputSerializer(serializers.ModelSerializer[ExtensionRequest]):
    """Het verzoek van een gemeente om meer tijd, en het besluit van de adviseur daarover.

    De ETag verandert alleen met het besluit: een verzoek wordt verder nooit gewijzigd.
    """

    gemeente = MunicipalityReferenceSerializer(source="participation.municipality")
    status = ExtensionStatusField()
    reden = serializers.CharField(source="reason")
    gevraagdUitersteMoment = serializers.DateTimeField(source="requested_deadline")  # noqa: N815
    aangevraagdOp = serializers.DateTimeField(source="requested_at")  # noqa: N815
    besluitOp = serializers.DateTimeField(source="decided_at", allow_null=True)  # noqa: N815
    toegekendUitersteMoment = serializers.DateTimeField(source="granted_deadline", allow_null=True)  # noqa: N815
    toelichtingBesluit = serializers.CharField(source="decision_note", allow_blank=True)  # noqa: N815
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = ExtensionRequest
        fields = [
            "uuid",
            "gemeente",
            "status",
            "reden",
            "gevraagdUitersteMoment",
            "aangevraagdOp",
            "besluitOp",
            "toegekendUitersteMoment",
            "toelichtingBesluit",
            "_links",
        ]

    @extend_schema_field(links_schema("self", "deelname", "consultatieronde"))
    def get__links(self, obj: ExtensionRequest) -> dict[str, dict[str, str]]:
        return links(
            self=extension_href(obj),
            deelname=participation_href(obj.participation),
            consultatieronde=round_href(obj.participation.round),
        )


@extend_schema_serializer(
    component_name="UitstelverzoekAanvraag",
    examples=[
        OpenApiExample(
            "Twee weken uitstel",
            value={
                "deelname": "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
                "reden": "De raad vergadert pas na de uiterste datum.",
                "gevraagdUitersteMoment": "2023-10-29T23:59:00+01:00",
            },
            request_only=True,
        )
    ],
)
class ExtensionRequestInputSerializer(StrictInputSerializer):
    """Een verzoek om meer tijd voor de deelname van de eigen gemeente. Eén open verzoek per gemeente."""

    deelname = serializers.UUIDField(help_text="UUID van de deelname van uw gemeente.")
    reden = serializers.CharField(source="reason")
    gevraagdUitersteMoment = serializers.DateTimeField(  # noqa: N815
        source="requested_deadline", help_text="Na het huidige uiterste moment en vóór de RBOP-vergadering."
    )


@extend_schema_serializer(
    component_name="UitstelverzoekBesluit",
    examples=[
        OpenApiExample(
            "Toekennen",
            value={
                "status": "toegekend",
                "nieuwUitersteMoment": "2023-10-29T23:59:00+01:00",
                "toelichting": "Toegekend tot na de raadsvergadering.",
            },
            request_only=True,
        )
    ],
)
class ExtensionDecideInputSerializer(StrictInputSerializer):
    """Het besluit van de adviseur: toekennen (met het gevraagde of een ander nieuw uiterste moment) of afwijzen."""

    status = ExtensionDecisionField()
    nieuwUitersteMoment = serializers.DateTimeField(  # noqa: N815
        source="deadline",
        required=False,
        allow_null=True,
        default=None,
        help_text="Alleen bij toekennen; zonder dit veld geldt het gevraagde moment.",
    )
    toelichting = serializers.CharField(source="note", required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["status"] == ExtensionStatus.REFUSED and attrs.get("deadline") is not None:
            raise serializers.ValidationError(
                {"nieuwUitersteMoment": [_("Een nieuw uiterste moment hoort alleen bij toekennen.")]}
            )
        return attrs


@extend_schema_view(
    list=extend_schema(
        summary="Uitstelverzoeken",
        description=(
            "Verzoeken om meer tijd, nieuwste eerst. Een medewerker van een gemeente ziet alleen die van de eigen "
            "gemeente; de adviseur en het RBOP alle van hun eenheid."
        ),
        parameters=[
            ROUND_FILTER,
            MUNICIPALITY_FILTER,
            OpenApiParameter(
                "status", str, enum=ExtensionStatus.values, description="Alleen verzoeken met deze status."
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="Eén uitstelverzoek",
        description="Een uitstelverzoek, met een ETag voor het besluit.",
        parameters=[uuid_path("UUID van het uitstelverzoek.")],
        extensions={"x-etag": True},
    ),
    create=extend_schema(
        summary="Uitstel aanvragen",
        description=(
            "Vraag meer tijd voor de deelname van de eigen gemeente. Eén open verzoek per gemeente (anders 409). "
            "Alleen medewerkers van de gemeente; de regio krijgt 403."
        ),
        request=ExtensionRequestInputSerializer,
        responses={201: ExtensionOutputSerializer, 409: OpenApiResponse(description=ROUND_CLOSED)},
        extensions={"x-etag": True},
    ),
    partial_update=extend_schema(
        summary="Besluiten over uitstel",
        description=(
            "Ken het verzoek toe (de gemeente krijgt een nieuw eigen uiterste moment) of wijs het af. Alleen de "
            "adviseur van de eenheid; anderen krijgen 403. If-Match is verplicht; over een verzoek waarover al is "
            "besloten geeft 409."
        ),
        request=ExtensionDecideInputSerializer,
        responses={200: ExtensionOutputSerializer, 409: OpenApiResponse(description=ROUND_CLOSED)},
        parameters=[uuid_path("UUID van het uitstelverzoek."), if_match_parameter(required=True, what="het verzoek")],
        extensions={"x-etag": True},
    ),
)
@extend_schema(tags=["uitstelverzoeken"])
class ExtensionViewSet(
    ImvViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ExtensionRequest]
):
    serializer_class = ExtensionOutputSerializer

    def get_queryset(self) -> QuerySet[ExtensionRequest]:
        requests = selectors.extension_request_list(
            police_unit_ids=self.regional_units, municipality_ids=self.own_municipalities
        )
        if self.action == "list":
            round_uuid = query_uuid(self.request, "consultatieronde")
            if round_uuid is not None:
                requests = requests.filter(participation__round__uuid=round_uuid)
            cbs_code = query_cbs_code(self.request, "gemeente")
            if cbs_code is not None:
                requests = requests.filter(participation__municipality__cbs_code=cbs_code)
            wanted = self.request.query_params.get("status")
            if wanted is not None:
                if wanted not in ExtensionStatus.values:
                    raise exceptions.ValidationError(
                        {"status": [_("Kies uit: %(values)s.") % {"values": ", ".join(ExtensionStatus.values)}]}
                    )
                requests = requests.filter(status=wanted)
        return requests

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        extension = self.get_object()
        return Response(self.get_serializer(extension).data, headers={"ETag": extension_etag(extension)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        own = self.require_municipal_staff()
        serializer = ExtensionRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        participation = self.own_participation(data["deelname"], own)
        extension = services.extension_request(
            actor=self.actor(),
            participation=participation,
            reason=data["reason"],
            requested_deadline=data["requested_deadline"],
        )
        extension = self.get_queryset().get(pk=extension.pk)
        headers = {"ETag": extension_etag(extension), "Location": extension_href(extension)}
        return Response(self.get_serializer(extension).data, status=status.HTTP_201_CREATED, headers=headers)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        extension = self.get_object()
        if not can_manage_round(self.memberships, extension.participation.round.cycle.police_unit_id):
            raise exceptions.PermissionDenied(_("Alleen de adviseur van de regioburgemeester besluit over uitstel."))
        require_if_match_header(request, what="het uitstelverzoek")
        serializer = ExtensionDecideInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.extension_decide(
            actor=self.actor(),
            request=extension,
            grant=data["status"] == ExtensionStatus.GRANTED,
            deadline=data["deadline"],
            note=data["note"],
            expected_versions=if_match_versions(request),
        )
        extension = self.get_queryset().get(pk=extension.pk)
        return Response(self.get_serializer(extension).data, headers={"ETag": extension_etag(extension)})
