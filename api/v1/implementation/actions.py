"""API v1: the actions (acties) of a yearly plan, under
/gemeenten/{cbs_code}/uitvoeringsplannen/{uitvoeringsplan_uuid}/acties[/{uuid}].

Municipal staff add, change and remove them through municipalities.services (action_save,
action_delete), as on the plan page, with the same rules and audit. Access and schema: api.v1.scoped.
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
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from api.conditional import if_match_parameter, row_etag
from api.v1.common import (
    StrictInputSerializer,
    StrictPatchSerializer,
    amount,
    enum_field,
    links,
    links_schema,
    uuid_path,
)
from api.v1.scoped import CBS_CODE_PARAMETER, MunicipalityScopedViewSet, municipality_path
from municipalities.models import Action, ActionStatus, ImplementationPlan, Priority
from municipalities.services import action_delete, action_save
from tenants.access import request_user
from tenants.models import Municipality

API_FIELD_NAMES = {
    "title": "titel",
    "owner": "trekker",
    "deadline": "deadline",
    "cost": "kosten",
    "status": "status",
    "priority": "prioriteit",
    "__all__": "nonFieldErrors",
}
ActionStatusField = enum_field(ActionStatus, "ActieStatus", "Hoe ver de actie is.")
PLAN_UUID_PARAMETER = uuid_path("UUID van het uitvoeringsplan.", name="uitvoeringsplan_uuid")
ACTION_UUID_PARAMETER = uuid_path("UUID van de actie.")
IF_MATCH = if_match_parameter(required=True, what="de actie")


def implementation_plan_href(municipality: Municipality, plan: ImplementationPlan) -> str:
    return municipality_path(municipality, "uitvoeringsplannen", plan.uuid)


def action_href(municipality: Municipality, action: Action) -> str:
    return f"{implementation_plan_href(municipality, action.implementation_plan)}/acties/{action.uuid}"


def action_etag(action: Action) -> str:
    return row_etag(action)


@extend_schema_serializer(component_name="Actie")
class ActionOutputSerializer(serializers.ModelSerializer[Action]):
    """Een concrete actie van een uitvoeringsplan: wie trekt haar, wanneer is zij af, wat kost zij.
    De ETag verandert bij elke wijziging."""

    # Needs ``municipality`` in the context; rows come with their yearly plan and priority.

    titel = serializers.CharField(source="title")
    trekker = serializers.CharField(source="owner", help_text="Wie de actie trekt (persoon of organisatie).")
    deadline = serializers.DateField(allow_null=True)
    kosten = amount(source="cost", allow_null=True, help_text="Kosten in euro.")
    status = ActionStatusField()
    prioriteit = serializers.UUIDField(
        source="priority.uuid", allow_null=True, default=None, help_text="De prioriteit die de actie dient, of null."
    )
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = Action
        fields = ["uuid", "titel", "trekker", "deadline", "kosten", "status", "prioriteit", "_links"]

    @extend_schema_field(links_schema("self", "uitvoeringsplan", optional=["prioriteit"]))
    def get__links(self, obj: Action) -> dict[str, dict[str, str]]:
        municipality: Municipality = self.context["municipality"]
        hrefs = {
            "self": action_href(municipality, obj),
            "uitvoeringsplan": implementation_plan_href(municipality, obj.implementation_plan),
        }
        if obj.priority is not None:
            hrefs["prioriteit"] = municipality_path(municipality, "prioriteiten", obj.priority.uuid)
        return links(**hrefs)


@extend_schema_serializer(
    component_name="ActieAanmaak",
    examples=[
        OpenApiExample(
            "Nieuwe actie",
            value={
                "titel": "Buurtpreventie-app in elke wijk",
                "trekker": "Team OOV",
                "deadline": "2025-06-30",
                "kosten": 2500.0,
                "status": "gepland",
                "prioriteit": "7d3e2c1b-5a4f-4e6d-8c9b-1a2b3c4d5e6f",
            },
            request_only=True,
        )
    ],
)
class ActionCreateInputSerializer(StrictInputSerializer):
    """Een nieuwe actie in het uitvoeringsplan."""

    titel = serializers.CharField(source="title", max_length=300)
    trekker = serializers.CharField(source="owner", max_length=200)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    kosten = amount(source="cost", required=False, allow_null=True, default=None, help_text="Kosten in euro.")
    status = ActionStatusField(required=False, default=ActionStatus.PLANNED)
    prioriteit = serializers.UUIDField(
        source="priority",
        required=False,
        allow_null=True,
        default=None,
        help_text="UUID van een prioriteit van hetzelfde veiligheidsplan, of null.",
    )


@extend_schema_serializer(
    component_name="ActieWijziging",
    examples=[OpenApiExample("Status bijwerken", value={"status": "lopend"}, request_only=True)],
)
class ActionUpdateInputSerializer(StrictPatchSerializer):
    """Wijziging van een actie: alleen de velden die u meestuurt; null wist deadline, kosten of prioriteit."""

    titel = serializers.CharField(source="title", max_length=300, required=False)
    trekker = serializers.CharField(source="owner", max_length=200, required=False)
    deadline = serializers.DateField(required=False, allow_null=True)
    kosten = amount(source="cost", required=False, allow_null=True)
    status = ActionStatusField(required=False)
    prioriteit = serializers.UUIDField(source="priority", required=False, allow_null=True)


# --- Actions -----------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary="Acties van een uitvoeringsplan", description="De acties, op deadline."),
    retrieve=extend_schema(
        summary="Eén actie",
        description="Een actie, met een ETag voor wijzigen.",
        parameters=[ACTION_UUID_PARAMETER],
        extensions={"x-etag": True},
    ),
    create=extend_schema(
        summary="Actie toevoegen",
        description="Voeg een actie toe aan het uitvoeringsplan. Alleen medewerkers van de gemeente; de regio 403.",
        request=ActionCreateInputSerializer,
        responses={201: ActionOutputSerializer},
        extensions={"x-etag": True},
    ),
    partial_update=extend_schema(
        summary="Actie wijzigen",
        description=(
            "Wijzig de velden die u meestuurt, bijvoorbeeld de status. If-Match is verplicht: zonder 428, met een "
            "verouderde ETag 412. Alleen medewerkers van de gemeente; de regio krijgt 403."
        ),
        request=ActionUpdateInputSerializer,
        responses={200: ActionOutputSerializer},
        parameters=[ACTION_UUID_PARAMETER, IF_MATCH],
        extensions={"x-etag": True},
    ),
    destroy=extend_schema(
        summary="Actie verwijderen",
        description=(
            "Verwijder een actie uit het uitvoeringsplan. If-Match is verplicht: zonder 428, met een verouderde "
            "ETag 412. Alleen medewerkers van de gemeente; de regio krijgt 403."
        ),
        responses={204: OpenApiResponse(description="Verwijderd.")},
        parameters=[ACTION_UUID_PARAMETER, IF_MATCH],
    ),
)
@extend_schema(tags=["uitvoeringsplannen"], parameters=[CBS_CODE_PARAMETER, PLAN_UUID_PARAMETER])
class ActionViewSet(MunicipalityScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """GET/POST …/uitvoeringsplannen/{uitvoeringsplan_uuid}/acties, GET/PATCH/DELETE …/acties/{uuid}."""

    api_field_names = API_FIELD_NAMES  # the service's field names as this API calls them

    serializer_class = ActionOutputSerializer
    implementation_plan: ImplementationPlan

    def initial_in_schema(self, request: Request, *args: Any, **kwargs: Any) -> None:
        plan = ImplementationPlan.objects.filter(uuid=kwargs["uitvoeringsplan_uuid"]).first()
        if plan is None:
            raise exceptions.NotFound()
        self.implementation_plan = plan

    def get_queryset(self) -> QuerySet[Action]:
        return Action.objects.filter(implementation_plan=self.implementation_plan).select_related(
            "implementation_plan", "priority"
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action = self.get_object()
        return Response(self.get_serializer(action).data, headers={"ETag": action_etag(action)})

    def _priority(self, value: Any) -> Priority | None:
        if value is None:
            return None
        return self.lookup_in_schema(
            Priority, value, field="prioriteit", message=_("Deze gemeente heeft geen prioriteit met deze UUID.")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_edit()
        serializer = ActionCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["priority"] = self._priority(data["priority"])
        action = action_save(
            municipality=self.municipality,
            implementation_plan=self.implementation_plan,
            actor=request_user(request),
            **data,
        )
        return self._response(action, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action = self.object_to_change(request, what="de actie")
        serializer = ActionUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            locked = self.locked_if_match(
                Action.objects.select_related("priority"), action.pk, action_etag, what="de actie"
            )
            action_save(
                municipality=self.municipality,
                implementation_plan=self.implementation_plan,
                action=locked,
                title=data.get("title", locked.title),
                owner=data.get("owner", locked.owner),
                deadline=data.get("deadline", locked.deadline),
                cost=data.get("cost", locked.cost),
                status=data.get("status", locked.status),
                priority=self._priority(data["priority"]) if "priority" in data else locked.priority,
                actor=request_user(request),
            )
        return self._response(action, status.HTTP_200_OK)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action = self.object_to_change(request, what="de actie")
        with transaction.atomic():
            locked = self.locked_if_match(
                Action.objects.select_related("implementation_plan", "priority"),
                action.pk,
                action_etag,
                what="de actie",
            )
            action_delete(municipality=self.municipality, action=locked, actor=request_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _response(self, action: Action, status_code: int) -> Response:
        return self.stored_response(
            action, status_code, etag=action_etag, href=lambda fresh: action_href(self.municipality, fresh)
        )
