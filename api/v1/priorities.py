"""API v1: a municipality's local priorities (prioriteiten), under /gemeenten/{cbs_code}/prioriteiten.

A priority belongs to one safety plan, sits in a safety field and theme of the VNG Kernbeleid
Veiligheid (KBV) and may serve IMV themes of the region. Every write goes through
municipalities.services, which writes the shared-schema projection (what the region's
alignment reads) in the same transaction. Access and schema: api.v1.scoped.
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
    enum_field,
    links,
    links_schema,
    query_uuid,
    uuid_filter,
    uuid_path,
)
from api.v1.scoped import CBS_CODE_PARAMETER, MunicipalityScopedViewSet, municipality_path
from municipalities.models import Priority, SafetyPlan
from municipalities.reference import kbv_fields, kbv_themes
from municipalities.services import priority_delete, priority_save
from tenants.access import request_user
from tenants.models import Municipality

API_FIELD_NAMES = {
    "title": "titel",
    "description": "omschrijving",
    "field_code": "veiligheidsveld",
    "theme_code": "thema",
    "imv_themes": "imvThemas",
    "plan": "veiligheidsplan",
    "__all__": "nonFieldErrors",
}

SafetyFieldField = enum_field(
    list(kbv_fields().items()),
    "Veiligheidsveld",
    "Het veiligheidsveld van het Kernbeleid Veiligheid (X: domeinoverstijgend).",
)
KbvThemeField = enum_field(
    [(t.code, t.name) for t in kbv_themes().values()],
    "KbvThema",
    "Het thema van het Kernbeleid Veiligheid; het hoort bij het veiligheidsveld (X-thema's passen bij elk veld).",
)
UUID_PARAMETER = uuid_path("UUID van de prioriteit.")
PLAN_FILTER = uuid_filter("veiligheidsplan", "Alleen die van dit veiligheidsplan (UUID).")
IF_MATCH = if_match_parameter(required=True, what="de prioriteit")


def priority_href(municipality: Municipality, priority: Priority) -> str:
    return municipality_path(municipality, "prioriteiten", priority.uuid)


def priority_etag(priority: Priority) -> str:
    return row_etag(priority)


@extend_schema_serializer(component_name="Prioriteit")
class PriorityOutputSerializer(serializers.ModelSerializer[Priority]):
    """Een lokale prioriteit van een veiligheidsplan, met haar plaats in het Kernbeleid Veiligheid en de
    thema's van het regionale IMV waaraan zij bijdraagt. De ETag verandert bij elke wijziging."""

    # Needs ``municipality`` in the context; the rows come with their plan (select_related).

    titel = serializers.CharField(source="title")
    omschrijving = serializers.CharField(source="description", allow_blank=True)
    veiligheidsveld = SafetyFieldField(source="field_code")
    veiligheidsveldNaam = serializers.SerializerMethodField()  # noqa: N815 (ADR: camelCase in the API)
    thema = KbvThemeField(source="theme_code")
    themaNaam = serializers.SerializerMethodField()  # noqa: N815
    imvThemas = serializers.ListField(  # noqa: N815
        source="imv_themes",
        child=serializers.UUIDField(),
        help_text="UUID's van de thema's of subthema's van het IMV (zie /imv-cycli) waaraan de prioriteit bijdraagt.",
    )
    veiligheidsplan = serializers.UUIDField(source="plan.uuid", help_text="UUID van het veiligheidsplan.")
    volgorde = serializers.IntegerField(source="position", help_text="Plaats in het plan, vanaf 1.")
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = Priority
        fields = [
            "uuid",
            "titel",
            "omschrijving",
            "veiligheidsveld",
            "veiligheidsveldNaam",
            "thema",
            "themaNaam",
            "imvThemas",
            "veiligheidsplan",
            "volgorde",
            "_links",
        ]

    def get_veiligheidsveldNaam(self, obj: Priority) -> str:  # noqa: N802
        return kbv_fields().get(obj.field_code, "")

    def get_themaNaam(self, obj: Priority) -> str:  # noqa: N802
        theme = kbv_themes().get(obj.theme_code)
        return theme.name if theme else ""

    @extend_schema_field(links_schema("self", "veiligheidsplan", "indicatoren"))
    def get__links(self, obj: Priority) -> dict[str, dict[str, str]]:
        municipality: Municipality = self.context["municipality"]
        return links(
            self=priority_href(municipality, obj),
            veiligheidsplan=municipality_path(municipality, "veiligheidsplannen", obj.plan.uuid),
            indicatoren=municipality_path(municipality, "indicatoren") + f"?prioriteit={obj.uuid}",
        )


class PriorityFieldsSerializer(StrictInputSerializer):
    titel = serializers.CharField(source="title", max_length=200)
    omschrijving = serializers.CharField(source="description", required=False, allow_blank=True, default="")
    veiligheidsveld = SafetyFieldField(source="field_code")
    thema = KbvThemeField(source="theme_code")
    imvThemas = serializers.ListField(  # noqa: N815
        source="imv_themes",
        child=serializers.UUIDField(),
        required=False,
        default=list,
        max_length=50,
        help_text="UUID's van thema's of subthema's van een IMV van de politie-eenheid.",
    )


@extend_schema_serializer(
    component_name="PrioriteitAanmaak",
    examples=[
        OpenApiExample(
            "Nieuwe prioriteit",
            value={
                "veiligheidsplan": "5b0f9f3e-8d6c-4d8e-9a53-2f8f1c1e7a10",
                "titel": "Ondermijning",
                "omschrijving": "Weerbaarheid van ondernemers en het verstoren van criminele netwerken.",
                "veiligheidsveld": "5",
                "thema": "5.1",
                "imvThemas": ["0c6d1f7a-3b2e-4f8a-9d41-6e5b7a8c9d02"],
            },
            request_only=True,
        )
    ],
)
class PriorityCreateInputSerializer(PriorityFieldsSerializer):
    """Een nieuwe prioriteit in een veiligheidsplan van de gemeente; zij komt achteraan in het plan."""

    veiligheidsplan = serializers.UUIDField(help_text="UUID van een veiligheidsplan van deze gemeente.")


@extend_schema_serializer(
    component_name="PrioriteitWijziging",
    examples=[
        OpenApiExample(
            "Titel en koppeling aan het IMV",
            value={
                "titel": "Ondermijning en georganiseerde criminaliteit",
                "imvThemas": ["0c6d1f7a-3b2e-4f8a-9d41-6e5b7a8c9d02"],
            },
            request_only=True,
        )
    ],
)
class PriorityUpdateInputSerializer(StrictPatchSerializer):
    """Wijziging van een prioriteit: alleen de velden die u meestuurt. Het veiligheidsplan blijft hetzelfde."""

    titel = serializers.CharField(source="title", max_length=200, required=False)
    omschrijving = serializers.CharField(source="description", required=False, allow_blank=True)
    veiligheidsveld = SafetyFieldField(source="field_code", required=False)
    thema = KbvThemeField(source="theme_code", required=False)
    imvThemas = serializers.ListField(  # noqa: N815
        source="imv_themes", child=serializers.UUIDField(), required=False, max_length=50
    )


@extend_schema_view(
    list=extend_schema(
        summary="Prioriteiten van een gemeente",
        description=(
            "De lokale prioriteiten van de veiligheidsplannen van één gemeente, in de volgorde van het plan. "
            "Voor medewerkers van de gemeente en de adviseur en RBOP-leden van haar eenheid; anders 404."
        ),
        parameters=[PLAN_FILTER],
    ),
    retrieve=extend_schema(
        summary="Eén prioriteit",
        description="Een prioriteit op UUID, met een ETag voor wijzigen.",
        parameters=[UUID_PARAMETER],
        extensions={"x-etag": True},
    ),
    create=extend_schema(
        summary="Prioriteit toevoegen",
        description=(
            "Voeg een prioriteit toe aan een veiligheidsplan van de gemeente. De regionale afstemming "
            "(/afstemming) telt haar meteen mee. Alleen medewerkers van de gemeente; de regio krijgt 403."
        ),
        request=PriorityCreateInputSerializer,
        responses={201: PriorityOutputSerializer},
        extensions={"x-etag": True},
    ),
    partial_update=extend_schema(
        summary="Prioriteit wijzigen",
        description=(
            "Wijzig de velden die u meestuurt. If-Match is verplicht: zonder 428, met een verouderde ETag 412. "
            "Alleen medewerkers van de gemeente; de regio krijgt 403."
        ),
        request=PriorityUpdateInputSerializer,
        responses={200: PriorityOutputSerializer},
        parameters=[UUID_PARAMETER, IF_MATCH],
        extensions={"x-etag": True},
    ),
    destroy=extend_schema(
        summary="Prioriteit verwijderen",
        description=(
            "Verwijder een prioriteit met haar indicatoren; acties die haar dienden blijven bestaan, zonder "
            "prioriteit. Ook de regionale afstemming telt haar niet meer. If-Match is verplicht."
        ),
        responses={204: OpenApiResponse(description="Verwijderd.")},
        parameters=[UUID_PARAMETER, IF_MATCH],
    ),
)
@extend_schema(tags=["prioriteiten"], parameters=[CBS_CODE_PARAMETER])
class PriorityViewSet(MunicipalityScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """create, partial_update and destroy are written out (no PUT): each goes through the services."""

    api_field_names = API_FIELD_NAMES  # the service's field names as this API calls them

    serializer_class = PriorityOutputSerializer

    def get_queryset(self) -> QuerySet[Priority]:
        priorities = Priority.objects.select_related("plan").order_by("plan__period_start", "position", "pk")
        if self.action == "list":
            plan_uuid = query_uuid(self.request, "veiligheidsplan")
            if plan_uuid is not None:
                priorities = priorities.filter(plan__uuid=plan_uuid)
        return priorities

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        priority = self.get_object()
        return Response(self.get_serializer(priority).data, headers={"ETag": priority_etag(priority)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_edit()
        serializer = PriorityCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan = self.lookup_in_schema(
            SafetyPlan,
            data.pop("veiligheidsplan"),
            field="veiligheidsplan",
            message=_("Deze gemeente heeft geen veiligheidsplan met deze UUID."),
        )
        priority = priority_save(municipality=self.municipality, plan=plan, actor=request_user(request), **data)
        return self._response(priority, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        priority = self.object_to_change(request, what="de prioriteit")
        serializer = PriorityUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            locked = self.locked_if_match(
                Priority.objects.select_related("plan"), priority.pk, priority_etag, what="de prioriteit"
            )
            priority_save(
                municipality=self.municipality,
                plan=locked.plan,
                priority=locked,
                title=data.get("title", locked.title),
                description=data.get("description", locked.description),
                field_code=data.get("field_code", locked.field_code),
                theme_code=data.get("theme_code", locked.theme_code),
                imv_themes=data.get("imv_themes", locked.imv_themes),
                actor=request_user(request),
            )
        return self._response(priority, status.HTTP_200_OK)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        priority = self.object_to_change(request, what="de prioriteit")
        with transaction.atomic():
            locked = self.locked_if_match(Priority.objects.all(), priority.pk, priority_etag, what="de prioriteit")
            priority_delete(municipality=self.municipality, priority=locked, actor=request_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _response(self, priority: Priority, status_code: int) -> Response:
        return self.stored_response(
            priority, status_code, etag=priority_etag, href=lambda fresh: priority_href(self.municipality, fresh)
        )
