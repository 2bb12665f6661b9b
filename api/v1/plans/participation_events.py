"""API v1: the participation events of a plan (participatiemomenten), under
/gemeenten/{cbs_code}/veiligheidsplannen/{veiligheidsplan_uuid}/participatiemomenten.

Moments where residents, partners or the council had their say on the plan. Writes go through
municipalities.services (participation_event_save, participation_event_delete), as on the plan page,
with the same rules and audit. Access and schema: api.v1.scoped; the plan: api.v1.plans.common.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
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
from api.v1.common import StrictInputSerializer, StrictPatchSerializer, enum_field, links, links_schema, uuid_path
from api.v1.plans.common import PLAN_UUID_PARAMETER, PlanPartViewSet, plan_href
from api.v1.scoped import CBS_CODE_PARAMETER
from municipalities.models import ParticipationEvent, ParticipationKind
from municipalities.services import participation_event_delete, participation_event_save
from tenants.access import request_user
from tenants.models import Municipality

API_FIELD_NAMES = {
    "kind": "vorm",
    "date": "datum",
    "participants": "deelnemers",
    "outcome": "opbrengst",
    "__all__": "nonFieldErrors",
}
ParticipationKindField = enum_field(ParticipationKind, "ParticipatieVorm", "Hoe inwoners of partners meededen.")
UUID_PARAMETER = uuid_path("UUID van het participatiemoment.")
IF_MATCH = if_match_parameter(required=True, what="het participatiemoment")


def participation_event_href(municipality: Municipality, event: ParticipationEvent) -> str:
    return f"{plan_href(municipality, event.plan)}/participatiemomenten/{event.uuid}"


def participation_event_etag(event: ParticipationEvent) -> str:
    return row_etag(event)


@extend_schema_serializer(component_name="Participatiemoment")
class ParticipationEventSerializer(serializers.ModelSerializer[ParticipationEvent]):
    """Een moment waarop inwoners, partners of de raad meepraatten over het plan. De ETag verandert bij elke
    wijziging."""

    # Needs ``municipality`` in the context; the rows come with their plan.

    vorm = ParticipationKindField(source="kind")
    datum = serializers.DateField(source="date")
    deelnemers = serializers.CharField(source="participants", allow_blank=True, help_text="Wie deden mee.")
    opbrengst = serializers.CharField(source="outcome", allow_blank=True, help_text="Wat kwam eruit.")
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = ParticipationEvent
        fields = ["uuid", "vorm", "datum", "deelnemers", "opbrengst", "_links"]

    @extend_schema_field(links_schema("self", "veiligheidsplan"))
    def get__links(self, obj: ParticipationEvent) -> dict[str, dict[str, str]]:
        municipality: Municipality = self.context["municipality"]
        return links(
            self=participation_event_href(municipality, obj), veiligheidsplan=plan_href(municipality, obj.plan)
        )


@extend_schema_serializer(
    component_name="ParticipatiemomentAanmaak",
    examples=[
        OpenApiExample(
            "Wijkwandeling",
            value={
                "vorm": "wijkwandeling",
                "datum": "2026-04-14",
                "deelnemers": "Bewoners van de Glipperdreef, wijkagent en boa's",
                "opbrengst": "Slecht verlichte paden bij het station; hangplek achter het winkelcentrum.",
            },
            request_only=True,
        )
    ],
)
class ParticipationEventCreateInputSerializer(StrictInputSerializer):
    """Een nieuw participatiemoment bij het plan."""

    vorm = ParticipationKindField(source="kind")
    datum = serializers.DateField(source="date")
    deelnemers = serializers.CharField(
        source="participants", required=False, allow_blank=True, default="", max_length=5000, help_text="Wie deden mee."
    )
    opbrengst = serializers.CharField(
        source="outcome", required=False, allow_blank=True, default="", max_length=10_000, help_text="Wat kwam eruit."
    )


@extend_schema_serializer(
    component_name="ParticipatiemomentWijziging",
    examples=[
        OpenApiExample(
            "Opbrengst aanvullen",
            value={"opbrengst": "Drie verlichtingspunten gemeld bij de gemeente; de hangplek krijgt extra toezicht."},
            request_only=True,
        )
    ],
)
class ParticipationEventUpdateInputSerializer(StrictPatchSerializer):
    """Wijziging van een participatiemoment: alleen de velden die u meestuurt."""

    vorm = ParticipationKindField(source="kind", required=False)
    datum = serializers.DateField(source="date", required=False)
    deelnemers = serializers.CharField(source="participants", required=False, allow_blank=True, max_length=5000)
    opbrengst = serializers.CharField(source="outcome", required=False, allow_blank=True, max_length=10_000)


@extend_schema_view(
    list=extend_schema(
        summary="Participatiemomenten van een veiligheidsplan",
        description=(
            "Wanneer inwoners, partners of de raad meepraatten over het plan, oudste eerst. Voor medewerkers van "
            "de gemeente en de adviseur en RBOP-leden van haar eenheid; anders 404."
        ),
    ),
    retrieve=extend_schema(
        summary="Eén participatiemoment",
        description="Een participatiemoment van het plan, met een ETag voor wijzigen.",
        parameters=[UUID_PARAMETER],
        extensions={"x-etag": True},
    ),
    create=extend_schema(
        summary="Participatiemoment toevoegen",
        description="Voeg een participatiemoment toe aan het plan. Alleen medewerkers van de gemeente; de regio 403.",
        request=ParticipationEventCreateInputSerializer,
        responses={201: ParticipationEventSerializer},
        extensions={"x-etag": True},
    ),
    partial_update=extend_schema(
        summary="Participatiemoment wijzigen",
        description=(
            "Wijzig de velden die u meestuurt. If-Match is verplicht: zonder 428, met een verouderde ETag 412. "
            "Alleen medewerkers van de gemeente; de regio krijgt 403."
        ),
        request=ParticipationEventUpdateInputSerializer,
        responses={200: ParticipationEventSerializer},
        parameters=[UUID_PARAMETER, IF_MATCH],
        extensions={"x-etag": True},
    ),
    destroy=extend_schema(
        summary="Participatiemoment verwijderen",
        description="Verwijder een participatiemoment. If-Match is verplicht.",
        responses={204: OpenApiResponse(description="Verwijderd.")},
        parameters=[UUID_PARAMETER, IF_MATCH],
    ),
)
@extend_schema(tags=["veiligheidsplannen"], parameters=[CBS_CODE_PARAMETER, PLAN_UUID_PARAMETER])
class ParticipationEventViewSet(PlanPartViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """create, partial_update and destroy are written out (no PUT): each goes through the services."""

    api_field_names = API_FIELD_NAMES  # the service's field names as this API calls them

    serializer_class = ParticipationEventSerializer

    def get_queryset(self) -> QuerySet[ParticipationEvent]:
        return ParticipationEvent.objects.filter(plan=self.plan).select_related("plan")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.get_object()
        return Response(self.get_serializer(event).data, headers={"ETag": participation_event_etag(event)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_edit()
        serializer = ParticipationEventCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = participation_event_save(
            municipality=self.municipality, plan=self.plan, actor=request_user(request), **serializer.validated_data
        )
        return self._response(event, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.object_to_change(request, what="het participatiemoment")
        serializer = ParticipationEventUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            locked = self.locked_if_match(
                self.get_queryset(), event.pk, participation_event_etag, what="het participatiemoment"
            )
            participation_event_save(
                municipality=self.municipality,
                plan=self.plan,
                event=locked,
                kind=data.get("kind", locked.kind),
                date=data.get("date", locked.date),
                participants=data.get("participants", locked.participants),
                outcome=data.get("outcome", locked.outcome),
                actor=request_user(request),
            )
        return self._response(event, status.HTTP_200_OK)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.object_to_change(request, what="het participatiemoment")
        with transaction.atomic():
            locked = self.locked_if_match(
                self.get_queryset(), event.pk, participation_event_etag, what="het participatiemoment"
            )
            participation_event_delete(municipality=self.municipality, event=locked, actor=request_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _response(self, event: ParticipationEvent, status_code: int) -> Response:
        return self.stored_response(
            event,
            status_code,
            etag=participation_event_etag,
            href=lambda fresh: participation_event_href(self.municipality, fresh),
        )
