"""Viewsets of the IMV consultation API: thin interfaces over imv.selectors and imv.services.

Every queryset is narrowed to what the caller may see (tenants.access) before a row is looked
up, so a row outside it is a plain 404. A visible row the caller may not change is 403.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.conditional import (
    IDEMPOTENCY_KEY_PARAMETER,
    IdempotencyKeyReused,
    check_if_match,
    idempotency_key,
    if_match_parameter,
    require_if_match_header,
)
from api.v1.common import CBS_CODE_REGEX, UUID_REGEX, query_uuid, uuid_path
from api.v1.imv.serializers import (
    CycleOutputSerializer,
    ExtensionDecideInputSerializer,
    ExtensionOutputSerializer,
    ExtensionRequestInputSerializer,
    OpinionOutputSerializer,
    OpinionSubmitInputSerializer,
    ParticipationOutputSerializer,
    ParticipationUpdateInputSerializer,
    RoundOutputSerializer,
    extension_href,
    opinion_href,
)
from imv import selectors, services
from imv.clock import db_now
from imv.models import (
    ConsultationRound,
    ExtensionRequest,
    ExtensionStatus,
    ImvCycle,
    Opinion,
    Participation,
    Theme,
)
from portal.exceptions import PortalError
from tenants.access import (
    can_edit_municipality,
    can_manage_round,
    readable_unit_ids,
    regional_unit_ids,
    request_memberships,
    request_user,
    staff_municipality_ids,
)
from tenants.models import Membership, User

# Field names of imv.services errors → the API's, so that invalidParams name what the client sent.
API_FIELD_NAMES = {
    "overall_position": "standpunt",
    "overall_text": "toelichting",
    "points": "standpunten",
    "decision_date": "raadsbesluitDatum",
    "committee_date": "commissievergadering",
    "council_date": "raadsvergadering",
    "reason": "reden",
    "requested_deadline": "gevraagdUitersteMoment",
    "deadline": "nieuwUitersteMoment",
    "__all__": "nonFieldErrors",
}


def participation_etag(participation: Participation) -> str:
    return f'"{participation.version}"'


def extension_etag(request: ExtensionRequest) -> str:
    """A request only ever changes by its one decision, so status and decision time identify its state."""
    decided = request.decided_at.isoformat() if request.decided_at else ""
    digest = hashlib.sha256(f"{request.uuid}|{request.status}|{decided}".encode()).hexdigest()
    return f'"{digest[:20]}"'


def query_cbs_code(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value is not None and not re.fullmatch(CBS_CODE_REGEX, value):
        raise exceptions.ValidationError({name: [_("Een CBS-code is GM met vier cijfers, bijvoorbeeld GM0397.")]})
    return value


ROUND_FILTER = OpenApiParameter(
    "consultatieronde", OpenApiTypes.UUID, description="Alleen die van deze consultatieronde (UUID)."
)
MUNICIPALITY_FILTER = OpenApiParameter(
    "gemeente", str, pattern=f"^{CBS_CODE_REGEX}$", description="Alleen die van deze gemeente (CBS-code)."
)
ROUND_CLOSED = "Conflict met de toestand: de ronde is gesloten (na de RBOP-vergadering) of de status laat het niet toe."


def municipal_only() -> str:
    return _("Alleen medewerkers van een gemeente (OOV, griffie) doen dit; de regio leest mee.")


class ImvViewSetMixin(viewsets.GenericViewSet[Any]):
    """Lookup by UUID, and the caller's scope from its memberships."""

    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    api_field_names = API_FIELD_NAMES  # the services' field names as this API calls them

    @property
    def memberships(self) -> list[Membership]:
        return request_memberships(self.request)

    @property
    def regional_units(self) -> frozenset[int]:
        """Police units read whole (adviser, RBOP)."""
        return regional_unit_ids(self.memberships)

    @property
    def own_municipalities(self) -> frozenset[int]:
        """Municipalities whose own rows the caller reads and writes (municipal staff)."""
        return staff_municipality_ids(self.memberships)

    def actor(self) -> User:
        return request_user(self.request)

    def require_municipal_staff(self) -> frozenset[int]:
        own = self.own_municipalities
        if not own:
            raise exceptions.PermissionDenied(municipal_only())
        return own

    def own_participation(self, participation_uuid: uuid.UUID, own: Collection[int]) -> Participation:
        """The caller's own participation; another municipality's is "unknown" (400), as a made-up UUID is."""
        participation = (
            selectors.participation_list(police_unit_ids=(), municipality_ids=own)
            .filter(uuid=participation_uuid)
            .first()
        )
        if participation is None:
            raise exceptions.ValidationError({"deelname": [_("Er is geen deelname van uw gemeente met deze UUID.")]})
        return participation


# --- IMV cycles ----------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="IMV-cycli",
        description=(
            "De IMV's van uw politie-eenheid, nieuwste eerst, met thema's, subthema's en tijdlijn. "
            "Voor de adviseur, RBOP-leden en medewerkers van de gemeenten van de eenheid."
        ),
    ),
    retrieve=extend_schema(summary="Eén IMV-cyclus", parameters=[uuid_path("UUID van de IMV-cyclus.")]),
)
@extend_schema(tags=["imv-cycli"])
class CycleViewSet(ImvViewSetMixin, viewsets.ReadOnlyModelViewSet[ImvCycle]):
    serializer_class = CycleOutputSerializer

    def get_queryset(self) -> QuerySet[ImvCycle]:
        return selectors.cycle_list(police_unit_ids=readable_unit_ids(self.memberships))


# --- Rounds --------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary="Consultatierondes",
        description="De consultatierondes van uw politie-eenheid, nieuwste eerst, met het aantal gemeenten per status.",
        parameters=[OpenApiParameter("imvCyclus", OpenApiTypes.UUID, description="Alleen die van dit IMV (UUID).")],
    ),
    retrieve=extend_schema(summary="Eén consultatieronde", parameters=[uuid_path("UUID van de consultatieronde.")]),
)
@extend_schema(tags=["consultatierondes"])
class RoundViewSet(ImvViewSetMixin, viewsets.ReadOnlyModelViewSet[ConsultationRound]):
    serializer_class = RoundOutputSerializer

    def get_queryset(self) -> QuerySet[ConsultationRound]:
        rounds = selectors.round_list_counted(police_unit_ids=readable_unit_ids(self.memberships))
        cycle_uuid = query_uuid(self.request, "imvCyclus")
        if cycle_uuid is not None:
            rounds = rounds.filter(cycle__uuid=cycle_uuid)
        return rounds

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if not getattr(self, "swagger_fake_view", False):  # drf-spectacular builds the schema without a database
            context["now"] = db_now()
        return context


# --- Participations ------------------------------------------------------------------------
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
        parameters=[uuid_path("UUID van de deelname."), if_match_parameter(required=True, what="de deelname")],
        extensions={"x-etag": True},
    ),
)
@extend_schema(tags=["deelnames"])
class ParticipationViewSet(ImvViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Participation]):
    serializer_class = ParticipationOutputSerializer

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
        with transaction.atomic():
            # The version is compared under the same row lock the service takes: no change slips in between.
            locked = Participation.objects.select_for_update().get(pk=participation.pk)
            check_if_match(request, participation_etag(locked), what="de deelname")
            services.participation_schedule(
                actor=self.actor(),
                participation=locked,
                committee_date=data.get("committee_date", locked.committee_date),
                council_date=data.get("council_date", locked.council_date),
            )
        participation = self.get_queryset().get(pk=participation.pk)
        return Response(self.get_serializer(participation).data, headers={"ETag": participation_etag(participation)})


# --- Opinions ------------------------------------------------------------------------------
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
        with transaction.atomic():
            # Under the participation's row lock, as in opinion_submit: a second request with the same key
            # waits here for the first to commit, then finds its opinion.
            locked = Participation.objects.select_for_update().get(pk=participation.pk)
            if key:
                existing = Opinion.objects.filter(participation=locked, idempotency_key=key).first()
                if existing is not None:
                    if not _same_submission(existing, data, points):
                        raise IdempotencyKeyReused()
                    return self._opinion_response(existing, status.HTTP_200_OK)
            check_if_match(request, participation_etag(locked), what="de deelname")
            opinion = services.opinion_submit(
                actor=self.actor(),
                participation=locked,
                overall_position=data["standpunt"],
                overall_text=data["toelichting"],
                points=points,
                idempotency_key=key,
            )
        return self._opinion_response(opinion, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="intrekking")
    def withdraw(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        opinion = self.get_object()
        if not can_edit_municipality(self.memberships, opinion.participation.municipality):
            raise exceptions.PermissionDenied(municipal_only())
        with transaction.atomic():
            locked = Participation.objects.select_for_update().get(pk=opinion.participation_id)
            current = locked.opinions.filter(withdrawn_at__isnull=True).order_by("-number").first()
            if current is None or current.pk != opinion.pk:
                raise PortalError(_("Deze zienswijze is al ingetrokken."), status=409, code="opinion_withdrawn")
            services.opinion_withdraw(actor=self.actor(), participation=locked)
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


def _same_submission(opinion: Opinion, data: dict[str, Any], points: list[services.PointInput]) -> bool:
    """Whether a request repeats the one that made ``opinion`` (same key, same content)."""
    stored = {(p.theme_id, p.position, p.text) for p in opinion.points.all()}
    sent = {(p.theme.pk, p.position, p.text) for p in points}
    return (
        opinion.overall_position == data["standpunt"]
        and opinion.overall_text == data["toelichting"]
        and stored == sent
        and len(points) == len(sent)
    )


# --- Extension requests --------------------------------------------------------------------
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
        with transaction.atomic():
            locked = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
            check_if_match(request, extension_etag(locked), what="het uitstelverzoek")
            services.extension_decide(
                actor=self.actor(),
                request=locked,
                grant=data["status"] == ExtensionStatus.GRANTED,
                deadline=data["deadline"],
                note=data["note"],
            )
        extension = self.get_queryset().get(pk=extension.pk)
        return Response(self.get_serializer(extension).data, headers={"ETag": extension_etag(extension)})
