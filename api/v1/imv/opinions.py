"""API v1: opinions (zienswijzen): what a council submits for its municipality's participation,
its positions per theme, and the region's reactions to it (reactienota; corrected through
api.v1.imv.reactions).

Submitting takes an Idempotency-Key and an If-Match on the participation (its ETag, from
api.v1.imv.participations); withdrawing is possible until the RBOP meeting.
"""

from __future__ import annotations

from typing import Any

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
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.conditional import (
    IDEMPOTENCY_KEY_PARAMETER,
    idempotency_key,
    if_match_parameter,
    if_match_versions,
)
from api.v1.common import StrictInputSerializer, links, links_schema, query_uuid, uuid_path
from api.v1.imv.common import (
    MUNICIPALITY_FILTER,
    ROUND_CLOSED,
    ROUND_FILTER,
    ImvViewSetMixin,
    MunicipalityReferenceSerializer,
    PositionField,
    municipal_only,
    opinion_href,
    participation_href,
    query_cbs_code,
    round_href,
)
from api.v1.imv.reactions import ReactionSerializer
from api.v1.imv.rounds import DraftVersionSerializer
from imv import selectors, services
from imv.models import Opinion, OpinionPoint, Participation, ParticipationStatus, Theme
from tenants.access import can_edit_municipality


@extend_schema_serializer(component_name="ThemaStandpunt")
class OpinionPointSerializer(serializers.ModelSerializer[OpinionPoint]):
    """Het standpunt van de raad over één thema of subthema."""

    thema = serializers.UUIDField(source="theme.uuid")
    themaNaam = serializers.CharField(source="theme.name")  # noqa: N815
    standpunt = PositionField(source="position")
    toelichting = serializers.CharField(source="text", allow_blank=True)

    class Meta:
        model = OpinionPoint
        fields = ["thema", "themaNaam", "standpunt", "toelichting"]


@extend_schema_serializer(component_name="Zienswijze")
class OpinionOutputSerializer(serializers.ModelSerializer[Opinion]):
    """Een ingediende zienswijze: een vaste kopie van het standpunt van de raad, één per indiening.

    ``reacties`` is de reactienota van de regio. De gemeente ziet die pas als de regio haar antwoord
    heeft verstuurd (deelnamestatus beantwoord); de adviseur en het RBOP zien ze meteen.
    """

    # Needs ``regional_unit_ids`` (tenants.access.regional_unit_ids) in the context.

    versie = serializers.IntegerField(source="number", help_text="1 voor de eerste indiening, dan oplopend.")
    gemeente = MunicipalityReferenceSerializer(source="participation.municipality")
    standpunt = PositionField(source="overall_position")
    toelichting = serializers.CharField(source="overall_text", allow_blank=True)
    standpunten = OpinionPointSerializer(source="points.all", many=True)
    ingediendOp = serializers.DateTimeField(source="submitted_at")  # noqa: N815
    dagenTeLaat = serializers.IntegerField(  # noqa: N815
        source="days_late",
        help_text=(
            "Kalenderdagen (Europe/Amsterdam) van de dag van het uiterste moment tot de dag van indienen; 0 als op "
            "tijd of te laat op dezelfde dag (zie teLaat)."
        ),
    )
    teLaat = serializers.BooleanField(  # noqa: N815
        source="is_late", read_only=True, help_text="Na het uiterste moment ingediend, hoe kort ook."
    )
    uitersteMoment = serializers.DateTimeField(  # noqa: N815
        source="deadline",
        allow_null=True,
        read_only=True,
        help_text="Het eigen uiterste moment van de gemeente toen zij indiende (tot en met die minuut).",
    )
    conceptversie = DraftVersionSerializer(
        source="draft_version",
        allow_null=True,
        read_only=True,
        help_text="De conceptversie waarop de zienswijze antwoordt.",
    )
    ingetrokkenOp = serializers.DateTimeField(source="withdrawn_at", allow_null=True)  # noqa: N815
    reacties = serializers.SerializerMethodField()
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = Opinion
        fields = [
            "uuid",
            "versie",
            "gemeente",
            "standpunt",
            "toelichting",
            "standpunten",
            "conceptversie",
            "ingediendOp",
            "uitersteMoment",
            "teLaat",
            "dagenTeLaat",
            "ingetrokkenOp",
            "reacties",
            "_links",
        ]

    @extend_schema_field(ReactionSerializer(many=True))
    def get_reacties(self, obj: Opinion) -> list[dict[str, Any]]:
        participation = obj.participation
        regional = participation.round.cycle.police_unit_id in self.context["regional_unit_ids"]
        if not regional and participation.status != ParticipationStatus.ANSWERED:
            return []  # the region's answer is its own until it is sent
        return list(ReactionSerializer(obj.reactions.all(), many=True).data)

    @extend_schema_field(links_schema("self", "deelname", "consultatieronde"))
    def get__links(self, obj: Opinion) -> dict[str, dict[str, str]]:
        return links(
            self=opinion_href(obj),
            deelname=participation_href(obj.participation),
            consultatieronde=round_href(obj.participation.round),
        )


@extend_schema_serializer(component_name="ThemaStandpuntInvoer")
class OpinionPointInputSerializer(StrictInputSerializer):
    """Het standpunt van de raad over één thema of subthema van het IMV."""

    thema = serializers.UUIDField(help_text="UUID van een thema of subthema van het IMV van de ronde.")
    standpunt = PositionField()
    toelichting = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.POINT_TEXT_MAX
    )


@extend_schema_serializer(
    component_name="ZienswijzeIndiening",
    examples=[
        OpenApiExample(
            "Zienswijze met standpunten",
            value={
                "deelname": "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
                "standpunt": "steunt_met_kanttekeningen",
                "toelichting": "De raad steunt het concept, met twee kanttekeningen.",
                "standpunten": [
                    {
                        "thema": "0c6d1f7a-3b2e-4f8a-9d41-6e5b7a8c9d02",
                        "standpunt": "steunt",
                        "toelichting": "Eens met de aanpak van ondermijning.",
                    }
                ],
            },
            request_only=True,
        )
    ],
)
class OpinionSubmitInputSerializer(StrictInputSerializer):
    """De zienswijze van de raad, in te dienen voor een deelname van de eigen gemeente."""

    deelname = serializers.UUIDField(help_text="UUID van de deelname van uw gemeente.")
    standpunt = PositionField()
    toelichting = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.OVERALL_TEXT_MAX
    )
    standpunten = OpinionPointInputSerializer(many=True, required=False, default=list)


@extend_schema_view(
    list=extend_schema(
        summary="Zienswijzen",
        description=(
            "Ingediende zienswijzen, nieuwste eerst, ook ingetrokken. Een medewerker van een gemeente ziet "
            "alleen die van de eigen gemeente; de adviseur en het RBOP alle van hun eenheid."
        ),
        parameters=[ROUND_FILTER, MUNICIPALITY_FILTER],
    ),
    retrieve=extend_schema(
        summary="Eén zienswijze",
        description="Een zienswijze met haar standpunten per thema en de reactie van de regio (reactienota).",
        parameters=[uuid_path("UUID van de zienswijze.")],
    ),
    create=extend_schema(
        summary="Zienswijze indienen",
        description=(
            "Dien de zienswijze van de raad in voor de deelname van de eigen gemeente (status wordt ingediend). "
            "Na het uiterste moment wordt ze nog aangenomen, met het aantal dagen te laat; na de "
            "RBOP-vergadering niet meer (409). Alleen medewerkers van de gemeente; de regio krijgt 403. "
            "Met een Idempotency-Key is opnieuw versturen veilig: de eerste keer 201, daarna 200 met dezelfde "
            "zienswijze. Met If-Match (de ETag van de deelname) wordt alleen ingediend als de deelname sinds "
            "het ophalen niet is gewijzigd."
        ),
        request=OpinionSubmitInputSerializer,
        responses={
            201: OpinionOutputSerializer,
            200: OpenApiResponse(
                OpinionOutputSerializer,
                description="Deze Idempotency-Key is al eens gebruikt: de zienswijze die toen is ingediend.",
            ),
            409: OpenApiResponse(description=ROUND_CLOSED),
        },
        parameters=[IDEMPOTENCY_KEY_PARAMETER, if_match_parameter(required=False, what="de deelname")],
    ),
    withdraw=extend_schema(
        summary="Zienswijze intrekken",
        description=(
            "Trek de ingediende zienswijze in tot de RBOP-vergadering; de deelname gaat terug naar vastgesteld "
            "en de zienswijze blijft bewaard met de datum van intrekken. Alleen medewerkers van de gemeente."
        ),
        request=None,
        responses={200: OpinionOutputSerializer, 409: OpenApiResponse(description=ROUND_CLOSED)},
        parameters=[uuid_path("UUID van de zienswijze.")],
    ),
)
@extend_schema(tags=["zienswijzen"])
class OpinionViewSet(
    ImvViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Opinion]
):
    serializer_class = OpinionOutputSerializer

    def get_queryset(self) -> QuerySet[Opinion]:
        opinions = selectors.opinion_list(police_unit_ids=self.regional_units, municipality_ids=self.own_municipalities)
        if self.action == "list":
            round_uuid = query_uuid(self.request, "consultatieronde")
            if round_uuid is not None:
                opinions = opinions.filter(participation__round__uuid=round_uuid)
            cbs_code = query_cbs_code(self.request, "gemeente")
            if cbs_code is not None:
                opinions = opinions.filter(participation__municipality__cbs_code=cbs_code)
        return opinions

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "regional_unit_ids": self.regional_units}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        own = self.require_municipal_staff()
        key = idempotency_key(request)
        serializer = OpinionSubmitInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        participation = self.own_participation(data["deelname"], own)
        points = self._points(participation, data["standpunten"])
        opinion, created = services.opinion_submit_once(
            actor=self.actor(),
            participation=participation,
            overall_position=data["standpunt"],
            overall_text=data["toelichting"],
            points=points,
            idempotency_key=key,
            expected_versions=if_match_versions(request),
        )
        return self._opinion_response(opinion, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @action(detail=True, methods=["post"], url_path="intrekking")
    def withdraw(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        opinion = self.get_object()
        if not can_edit_municipality(self.memberships, opinion.participation.municipality):
            raise exceptions.PermissionDenied(municipal_only())
        services.opinion_withdraw(actor=self.actor(), participation=opinion.participation, opinion=opinion)
        return self._opinion_response(opinion, status.HTTP_200_OK)

    def _points(self, participation: Participation, items: list[dict[str, Any]]) -> list[services.PointInput]:
        """The points with their themes, which must belong to the round's IMV (400 otherwise)."""
        themes = {
            t.uuid: t
            for t in Theme.objects.filter(cycle_id=participation.round.cycle_id, uuid__in=[i["thema"] for i in items])
        }
        errors = {
            str(index): {"thema": [_("Geen thema of subthema van het IMV van deze ronde.")]}
            for index, item in enumerate(items)
            if item["thema"] not in themes
        }
        if errors:
            raise exceptions.ValidationError({"standpunten": errors})
        return [
            services.PointInput(theme=themes[i["thema"]], position=i["standpunt"], text=i["toelichting"]) for i in items
        ]

    def _opinion_response(self, opinion: Opinion, status_code: int) -> Response:
        fresh = self.get_queryset().get(pk=opinion.pk)  # with points and reactions, as the list shows them
        headers = {"Location": opinion_href(fresh)} if status_code == status.HTTP_201_CREATED else {}
        return Response(self.get_serializer(fresh).data, status=status_code, headers=headers)
