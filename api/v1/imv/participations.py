"""API v1: participations (deelnames): one per municipality in a consultation round, with its
status, its own deadline and the dates its committee and council discuss the draft.

The ETag of a participation is its version; the opinions module checks it too (If-Match when an
opinion is submitted).
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
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.conditional import if_match_parameter, if_match_versions, require_if_match_header
from api.parsers import PortalMultiPartParser
from api.v1.common import StrictInputSerializer, links, links_schema, uuid_path
from api.v1.imv.common import (
    ROUND_CLOSED,
    ImvViewSetMixin,
    MunicipalityReferenceSerializer,
    ParticipationStatusField,
    municipal_only,
    municipality_href,
    participation_href,
    round_href,
)
from api.v1.imv.council_decisions import API_FIELD_NAMES as DECISION_FIELD_NAMES
from api.v1.imv.council_decisions import CouncilDecisionInputSerializer, DeclineInputSerializer
from imv import selectors, services
from imv.models import ConsultationRound, Openbaarheid, Participation, WooCategory
from tenants.access import can_edit_municipality, can_manage_round, readable_unit_ids

PARTICIPATION_UUID = uuid_path("UUID van de deelname.")
IF_MATCH = if_match_parameter(required=True, what="de deelname")


def participation_etag(participation: Participation) -> str:
    return f'"{services.participation_version(participation)}"'


@extend_schema_serializer(component_name="Deelname")
class ParticipationOutputSerializer(serializers.ModelSerializer[Participation]):
    """De deelname van één gemeente aan een consultatieronde: status, eigen uiterste moment, vergaderdata.

    De ETag van een deelname is haar ``versie`` tussen aanhalingstekens (bijvoorbeeld "3").
    """

    gemeente = MunicipalityReferenceSerializer(source="municipality")
    status = ParticipationStatusField()
    uitersteMoment = serializers.DateTimeField(  # noqa: N815
        source="deadline",
        help_text=(
            "Het eigen uiterste moment van deze gemeente (later na toegekend uitstel); het omvat die hele minuut: "
            "tot en met 23:59:59,999999 bij 23:59."
        ),
    )
    commissievergadering = serializers.DateField(source="committee_date", allow_null=True)
    raadsvergadering = serializers.DateField(source="council_date", allow_null=True)
    raadsbesluitDatum = serializers.DateField(source="decision_date", allow_null=True)  # noqa: N815
    zaaknummer = serializers.CharField(source="decision_case_number", allow_blank=True)
    openbaarheid = serializers.ChoiceField(
        choices=Openbaarheid.choices,
        allow_blank=True,
        read_only=True,
        help_text="Openbaarheid van het raadsbesluit (Woo); leeg zolang er geen besluit is.",
    )
    wooCategorie: serializers.SlugRelatedField[WooCategory] = serializers.SlugRelatedField(  # noqa: N815
        source="woo_category",
        slug_field="tooi_uri",
        read_only=True,
        allow_null=True,
        help_text="De Woo-informatiecategorie van het raadsbesluit, als TOOI-URI.",
    )
    ingediendOp = serializers.DateTimeField(source="submitted_at", allow_null=True)  # noqa: N815
    dagenTeLaat = serializers.IntegerField(  # noqa: N815
        source="days_late",
        help_text=(
            "Kalenderdagen (Europe/Amsterdam) van de dag van het uiterste moment tot de dag waarop de zienswijze "
            "binnenkwam; 0 als op tijd of te laat op dezelfde dag."
        ),
    )
    versie = serializers.IntegerField(source="version", help_text="Stijgt bij elke wijziging; de ETag.")
    isVoorbeeld = serializers.BooleanField(source="is_example")  # noqa: N815
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = Participation
        fields = [
            "uuid",
            "gemeente",
            "status",
            "uitersteMoment",
            "commissievergadering",
            "raadsvergadering",
            "raadsbesluitDatum",
            "zaaknummer",
            "openbaarheid",
            "wooCategorie",
            "ingediendOp",
            "dagenTeLaat",
            "versie",
            "isVoorbeeld",
            "_links",
        ]

    @extend_schema_field(links_schema("self", "consultatieronde", "gemeente"))
    def get__links(self, obj: Participation) -> dict[str, dict[str, str]]:
        return links(
            self=participation_href(obj),
            consultatieronde=round_href(obj.round),
            gemeente=municipality_href(obj.municipality),
        )


@extend_schema_serializer(
    component_name="DeelnameWijziging",
    examples=[
        OpenApiExample(
            "Vergaderdata",
            value={"commissievergadering": "2023-09-19", "raadsvergadering": "2023-10-05"},
            request_only=True,
        )
    ],
)
class ParticipationUpdateInputSerializer(StrictInputSerializer):
    """Wanneer commissie en raad het concept bespreken (status wordt geagendeerd). Een weggelaten veld
    houdt zijn waarde; null wist een datum.
    """

    commissievergadering = serializers.DateField(source="committee_date", required=False, allow_null=True)
    raadsvergadering = serializers.DateField(source="council_date", required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                {"nonFieldErrors": [_("Geef de commissievergadering, de raadsvergadering of beide.")]}
            )
        return attrs


@extend_schema_view(
    list=extend_schema(
        summary="Deelnames van een consultatieronde",
        description=(
            "Eén deelname per gemeente, met haar status. De adviseur en het RBOP zien alle gemeenten van de "
            "eenheid; een medewerker van een gemeente ziet alleen de eigen deelname."
        ),
        parameters=[uuid_path("UUID van de consultatieronde.")],
    )
)
@extend_schema(tags=["deelnames"])
class RoundParticipationViewSet(ImvViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet[Participation]):
    """GET /consultatierondes/{uuid}/deelnames: the uuid in the path is the round's."""

    serializer_class = ParticipationOutputSerializer
    consultation: ConsultationRound

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication (401) first
        consultation = ConsultationRound.objects.filter(
            uuid=kwargs["uuid"], cycle__police_unit_id__in=readable_unit_ids(self.memberships)
        ).first()
        if consultation is None:
            raise exceptions.NotFound()
        self.consultation = consultation

    def get_queryset(self) -> QuerySet[Participation]:
        return selectors.participation_list(
            police_unit_ids=self.regional_units, municipality_ids=self.own_municipalities
        ).filter(round=self.consultation)


@extend_schema_view(
    retrieve=extend_schema(
        summary="Eén deelname",
        description="Een deelname, met haar versie als ETag. Stuur die ETag mee in If-Match bij een wijziging.",
        parameters=[uuid_path("UUID van de deelname.")],
        extensions={"x-etag": True},
    ),
    partial_update=extend_schema(
        summary="Vergaderdata vastleggen",
        description=(
            "Leg vast wanneer commissie en raad het concept bespreken; de status wordt geagendeerd. Alleen "
            "medewerkers van de gemeente zelf; de adviseur en het RBOP krijgen 403. If-Match is verplicht."
        ),
        request=ParticipationUpdateInputSerializer,
        responses={200: ParticipationOutputSerializer, 409: OpenApiResponse(description=ROUND_CLOSED)},
        parameters=[PARTICIPATION_UUID, IF_MATCH],
        extensions={"x-etag": True},
    ),
)
@extend_schema(tags=["deelnames"])
class ParticipationViewSet(ImvViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Participation]):
    serializer_class = ParticipationOutputSerializer
    api_field_names = {
        **DECISION_FIELD_NAMES,
        "committee_date": "commissievergadering",
        "council_date": "raadsvergadering",
    }

    def get_queryset(self) -> QuerySet[Participation]:
        return selectors.participation_list(
            police_unit_ids=self.regional_units, municipality_ids=self.own_municipalities
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        participation = self.get_object()
        return Response(self.get_serializer(participation).data, headers={"ETag": participation_etag(participation)})

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        participation = self.get_object()
        if not can_edit_municipality(self.memberships, participation.municipality):
            raise exceptions.PermissionDenied(
                _("Alleen medewerkers van %(name)s leggen haar vergaderdata vast.")
                % {"name": participation.municipality.name}
            )
        require_if_match_header(request, what="de deelname")
        serializer = ParticipationUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The service compares the version under the row lock it takes: no change slips in between.
        services.participation_schedule(
            actor=self.actor(),
            participation=participation,
            committee_date=data.get("committee_date", participation.committee_date),
            council_date=data.get("council_date", participation.council_date),
            expected_versions=if_match_versions(request),
        )
        return self._participation_response(participation)

    @extend_schema(
        summary="Raadsbesluit vastleggen of vervangen",
        description=(
            "Leg het raadsbesluit over de zienswijze vast, met de PDF (multipart/form-data); de status wordt "
            "vastgesteld. Ook om een vastgelegd besluit te vervangen zolang de zienswijze niet is ingediend "
            "(daarna eerst intrekken: 409). Alleen medewerkers van de gemeente zelf. If-Match is verplicht."
        ),
        request={"multipart/form-data": CouncilDecisionInputSerializer},
        responses={200: ParticipationOutputSerializer, 409: OpenApiResponse(description=ROUND_CLOSED)},
        parameters=[PARTICIPATION_UUID, IF_MATCH],
        extensions={"x-etag": True},
    )
    @action(detail=True, methods=["put"], url_path="raadsbesluit", parser_classes=[PortalMultiPartParser])
    def council_decision(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        participation = self._writable(request, regional=False)
        serializer = CouncilDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.participation_adopt(
            actor=self.actor(),
            participation=participation,
            decision=services.CouncilDecision(
                decision_date=data["datum"],
                case_number=data["zaaknummer"],
                document=data.get("document"),
                openbaarheid=data["openbaarheid"],
                woo_category=data["wooCategorie"],
            ),
            expected_versions=if_match_versions(request),
        )
        return self._participation_response(participation)

    @extend_schema(
        summary="De raad geeft geen zienswijze",
        description=(
            "Leg vast dat de raad geen zienswijze geeft (status: geeft geen zienswijze). Alleen medewerkers van "
            "de gemeente zelf. If-Match is verplicht."
        ),
        request=DeclineInputSerializer,
        responses={200: ParticipationOutputSerializer, 409: OpenApiResponse(description=ROUND_CLOSED)},
        parameters=[PARTICIPATION_UUID, IF_MATCH],
        extensions={"x-etag": True},
    )
    @action(detail=True, methods=["post"], url_path="geen-zienswijze")
    def decline(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        participation = self._writable(request, regional=False)
        serializer = DeclineInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.participation_decline(
            actor=self.actor(),
            participation=participation,
            note=serializer.validated_data["toelichting"],
            expected_versions=if_match_versions(request),
        )
        return self._participation_response(participation)

    @extend_schema(
        summary="Zienswijze beantwoorden",
        description=(
            "Stuur het antwoord van de regio naar de gemeente (status: beantwoord). Elk punt van de zienswijze "
            "moet een reactie hebben (anders 409, met de punten die nog open zijn). Alleen de adviseur van de "
            "regioburgemeester. If-Match is verplicht."
        ),
        request=None,
        responses={
            200: ParticipationOutputSerializer,
            409: OpenApiResponse(description="Nog niet elk punt heeft een reactie."),
        },
        parameters=[PARTICIPATION_UUID, IF_MATCH],
        extensions={"x-etag": True},
    )
    @action(detail=True, methods=["post"], url_path="beantwoording")
    def answer(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        participation = self._writable(request, regional=True)
        services.participation_answer(
            actor=self.actor(), participation=participation, expected_versions=if_match_versions(request)
        )
        return self._participation_response(participation)

    def _writable(self, request: Request, *, regional: bool) -> Participation:
        """The participation in the path, if this caller may make this change; If-Match is required."""
        participation = self.get_object()
        if regional:
            if not can_manage_round(self.memberships, participation.round.cycle.police_unit_id):
                raise exceptions.PermissionDenied(_("Alleen de adviseur van de regioburgemeester beantwoordt."))
        elif not can_edit_municipality(self.memberships, participation.municipality):
            raise exceptions.PermissionDenied(municipal_only())
        require_if_match_header(request, what="de deelname")
        return participation

    def _participation_response(self, participation: Participation) -> Response:
        participation = self.get_queryset().get(pk=participation.pk)
        return Response(self.get_serializer(participation).data, headers={"ETag": participation_etag(participation)})
