"""API v1: the draft zienswijze of one round, under /gemeenten/{cbs_code}/concept-zienswijzen/{ronde_uuid}.

The draft (concept-zienswijze) is what the municipality's staff write before the council's
opinion is submitted: private to the municipality, as on the round page, so the adviser and
RBOP members of its unit get 403 here too. There is one per round, addressed by the round's
UUID; a draft nobody has saved yet reads as an empty one at version 1 and is made by the first
write. Its ETag is its version: every write names it in If-Match (428 without, 412 when stale),
and the version is compared under the draft's row lock, so of two writers that read the same
version exactly one wins. The write itself is municipalities.services.opinion_draft_update.
Submitting stays POST /zienswijzen. Access and schema: api.v1.scoped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.conditional import check_if_match, if_match_parameter, require_if_match_header
from api.v1.common import StrictInputSerializer, StrictPatchSerializer, links, links_schema, uuid_path
from api.v1.imv import (
    MunicipalityReferenceSerializer,
    PositionField,
    municipality_href,
    participation_href,
    round_href,
)
from api.v1.scoped import CBS_CODE_PARAMETER, MunicipalityScopedViewSet, municipality_path
from imv.models import Participation, Theme
from imv.selectors import cycle_themes
from imv.services import OVERALL_TEXT_MAX, POINT_TEXT_MAX
from municipalities import selectors
from municipalities.models import OpinionDraft
from municipalities.services import DraftPointInput, opinion_draft_current, opinion_draft_get, opinion_draft_update
from tenants.models import Municipality, User

WHAT = "de concept-zienswijze"
API_FIELD_NAMES = {
    "overall_position": "standpunt",
    "overall_text": "toelichting",
    "points": "standpunten",
    "__all__": "nonFieldErrors",
}
# As on the round page (municipalities.forms.OpinionDraftForm).
MAX_TEXT = OVERALL_TEXT_MAX
MAX_POINT_TEXT = POINT_TEXT_MAX
MAX_POINTS = 200  # an IMV has a few dozen themes and sub-themes
ROUND_PARAMETER = uuid_path("UUID van de consultatieronde; elke gemeente heeft één concept per ronde.", "ronde_uuid")
IF_MATCH = if_match_parameter(required=True, what=WHAT)
PRIVATE = "Het concept is alleen voor medewerkers van de gemeente zelf; de adviseur en het RBOP krijgen 403."
ROUND_CLOSED = "De ronde is gesloten (na de RBOP-vergadering): het concept kan niet meer worden gewijzigd."


def draft_etag(draft: OpinionDraft) -> str:
    return f'"{draft.version}"'


def draft_href(municipality: Municipality, participation: Participation) -> str:
    return municipality_path(municipality, "concept-zienswijzen", participation.round.uuid)


@dataclass(frozen=True)
class DraftPointRow:
    theme: Theme
    position: str | None  # None: still open ("" in the draft)
    text: str


@extend_schema_serializer(component_name="ConceptThemaStandpunt")
class DraftPointOutputSerializer(serializers.Serializer[DraftPointRow]):
    """Het concept-standpunt over één thema of subthema van het IMV; null en leeg zolang het open is."""

    thema = serializers.UUIDField(source="theme.uuid")
    themaNaam = serializers.CharField(source="theme.name")  # noqa: N815 (ADR: camelCase in the API)
    hoofdthema = serializers.UUIDField(
        source="theme.parent.uuid",
        allow_null=True,
        default=None,
        help_text="Bij een subthema: het thema waaronder het valt; anders null.",
    )
    standpunt = PositionField(source="position", allow_null=True)
    toelichting = serializers.CharField(source="text", allow_blank=True)


@extend_schema_serializer(component_name="ConceptZienswijze")
class OpinionDraftOutputSerializer(serializers.Serializer[OpinionDraft]):
    """De concept-zienswijze van de gemeente voor één consultatieronde, zoals haar medewerkers die schrijven.

    Alleen zichtbaar voor de gemeente zelf. ``standpunten`` noemt elk thema en subthema van het IMV van
    de ronde, in volgorde; wat nog open is, is null. De ETag is de ``versie`` tussen aanhalingstekens.
    """

    # Needs ``municipality``, ``participation`` and ``themes`` (imv.selectors.cycle_themes) in the context.

    consultatieronde = serializers.UUIDField(source="round.uuid")
    gemeente = serializers.SerializerMethodField()
    standpunt = PositionField(
        source="overall_position", allow_null=True, help_text="Het standpunt van de raad; null: nog open."
    )
    toelichting = serializers.CharField(source="overall_text", allow_blank=True)
    standpunten = serializers.SerializerMethodField()
    versie = serializers.IntegerField(
        source="version", help_text="Stijgt bij elke wijziging; de ETag. 1 zolang niemand het concept opsloeg."
    )
    gewijzigdOp = serializers.DateTimeField(  # noqa: N815
        source="updated_at", allow_null=True, help_text="Laatst opgeslagen; null zolang niemand het concept opsloeg."
    )
    _links = serializers.SerializerMethodField(label="Links")

    def to_representation(self, instance: OpinionDraft) -> dict[str, Any]:
        data = dict(super().to_representation(instance))
        data["standpunt"] = data["standpunt"] or None  # "" in the draft: still open
        return data

    @extend_schema_field(MunicipalityReferenceSerializer)
    def get_gemeente(self, obj: OpinionDraft) -> dict[str, Any]:
        return dict(MunicipalityReferenceSerializer(self.context["municipality"]).data)

    @extend_schema_field(DraftPointOutputSerializer(many=True))
    def get_standpunten(self, obj: OpinionDraft) -> list[dict[str, Any]]:
        stored = {p.theme_id: p for p in obj.points.all()} if obj.pk else {}
        rows = []
        for theme in self.context["themes"]:
            point = stored.get(theme.pk)
            rows.append(
                DraftPointRow(theme, point.position or None, point.text) if point else DraftPointRow(theme, None, "")
            )
        return [dict(DraftPointOutputSerializer(row).data) for row in rows]

    @extend_schema_field(links_schema("self", "consultatieronde", "deelname", "gemeente"))
    def get__links(self, obj: OpinionDraft) -> dict[str, dict[str, str]]:
        municipality: Municipality = self.context["municipality"]
        participation: Participation = self.context["participation"]
        return links(
            self=draft_href(municipality, participation),
            consultatieronde=round_href(participation.round),
            deelname=participation_href(participation),
            gemeente=municipality_href(municipality),
        )


@extend_schema_serializer(component_name="ConceptThemaStandpuntInvoer")
class DraftPointInputSerializer(StrictInputSerializer):
    """Het concept-standpunt over één thema of subthema van het IMV van de ronde."""

    thema = serializers.UUIDField(help_text="UUID van een thema of subthema van het IMV van de ronde.")
    standpunt = PositionField(required=False, allow_null=True, default=None, help_text="Null: nog open.")
    toelichting = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_POINT_TEXT)


def _unique_themes(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(items) > MAX_POINTS:
        raise serializers.ValidationError(_("Hooguit %(n)s standpunten.") % {"n": MAX_POINTS})
    seen: set[UUID] = set()
    errors: dict[str, Any] = {}
    for index, item in enumerate(items):
        if item["thema"] in seen:
            errors[str(index)] = {"thema": [_("Dit thema staat al eerder in de lijst.")]}
        seen.add(item["thema"])
    if errors:
        raise serializers.ValidationError(errors)
    return items


@extend_schema_serializer(
    component_name="ConceptZienswijzeVervanging",
    examples=[
        OpenApiExample(
            "Het hele concept",
            value={
                "standpunt": "steunt_met_kanttekeningen",
                "toelichting": "De raad steunt het concept, met twee kanttekeningen.",
                "standpunten": [
                    {"thema": "0c6d1f7a-3b2e-4f8a-9d41-6e5b7a8c9d02", "standpunt": "steunt", "toelichting": ""}
                ],
            },
            request_only=True,
        )
    ],
)
class OpinionDraftReplaceInputSerializer(StrictInputSerializer):
    """Het hele concept, zoals het opgeslagen moet worden. Een thema dat niet in ``standpunten`` staat, is
    daarna weer open (geen standpunt, geen toelichting)."""

    standpunt = PositionField(allow_null=True, help_text="Het standpunt van de raad; null: nog open.")
    toelichting = serializers.CharField(allow_blank=True, max_length=MAX_TEXT)
    standpunten = DraftPointInputSerializer(many=True)

    def validate_standpunten(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return _unique_themes(items)


@extend_schema_serializer(
    component_name="ConceptZienswijzeWijziging",
    examples=[
        OpenApiExample(
            "Eén thema",
            value={
                "standpunten": [
                    {
                        "thema": "0c6d1f7a-3b2e-4f8a-9d41-6e5b7a8c9d02",
                        "standpunt": "heeft_bezwaar",
                        "toelichting": "Te weinig aandacht voor jeugd.",
                    }
                ]
            },
            request_only=True,
        )
    ],
)
class OpinionDraftUpdateInputSerializer(StrictPatchSerializer):
    """Wijziging van het concept: alleen de velden die u meestuurt. Van ``standpunten`` worden alleen de
    genoemde thema's vervangen; de andere blijven zoals ze waren."""

    standpunt = PositionField(required=False, allow_null=True, help_text="Het standpunt van de raad; null: nog open.")
    toelichting = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)
    standpunten = DraftPointInputSerializer(many=True, required=False)

    def validate_standpunten(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return _unique_themes(items)


def _write_schema(summary: str, description: str, request: type[serializers.Serializer[Any]]) -> Any:
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={200: OpinionDraftOutputSerializer, 409: OpenApiResponse(description=ROUND_CLOSED)},
        parameters=[ROUND_PARAMETER, IF_MATCH],
        extensions={"x-etag": True},
    )


@extend_schema_view(
    retrieve=extend_schema(
        summary="Concept-zienswijze van een ronde",
        description=(
            "Het concept van de zienswijze van de gemeente voor deze ronde, met een ETag voor wijzigen. Heeft "
            "nog niemand het opgeslagen, dan een leeg concept met versie 1. " + PRIVATE
        ),
        parameters=[ROUND_PARAMETER],
        responses={200: OpinionDraftOutputSerializer, 403: OpenApiResponse(description=PRIVATE)},
        extensions={"x-etag": True},
    ),
    update=_write_schema(
        "Concept-zienswijze opslaan",
        "Sla het hele concept op. If-Match is verplicht: zonder 428, met een verouderde ETag 412 en verandert er "
        "niets; haal het concept dan opnieuw op. Het antwoord draagt de nieuwe ETag. " + PRIVATE,
        OpinionDraftReplaceInputSerializer,
    ),
    partial_update=_write_schema(
        "Concept-zienswijze wijzigen",
        "Wijzig de velden die u meestuurt. If-Match is verplicht: zonder 428, met een verouderde ETag 412. " + PRIVATE,
        OpinionDraftUpdateInputSerializer,
    ),
)
@extend_schema(tags=["concept-zienswijzen"], parameters=[CBS_CODE_PARAMETER])
class OpinionDraftViewSet(MunicipalityScopedViewSet):
    """GET, PUT and PATCH of the one draft per round; the path names the round."""

    api_field_names = API_FIELD_NAMES  # the service's field names as this API calls them

    lookup_url_kwarg = "ronde_uuid"
    participation: Participation

    def initial_in_schema(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before the round is looked up: to the regional readers every draft is private, also of a round
        # that does not exist.
        self.require_edit(
            _("Het concept van de zienswijze is alleen voor medewerkers van %(name)s; de regio ziet de ingediende.")
            % {"name": self.municipality.name}
        )
        participation = selectors.participation_get(municipality=self.municipality, round_uuid=kwargs["ronde_uuid"])
        if participation is None:
            raise exceptions.NotFound(_("Deze gemeente doet niet mee aan een consultatieronde met deze UUID."))
        self.participation = participation

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._response(opinion_draft_current(consultation=self.participation.round))

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_if_match_header(request, what=WHAT)
        serializer = OpinionDraftReplaceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._write(serializer.validated_data, replace=True)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_if_match_header(request, what=WHAT)
        serializer = OpinionDraftUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._write(serializer.validated_data, replace=False)

    def _write(self, data: dict[str, Any], *, replace: bool) -> Response:
        consultation = self.participation.round
        themes = cycle_themes(cycle=consultation.cycle)
        sent = self._points(themes, data.get("standpunten"))
        actor = self.request.user
        if not isinstance(actor, User):  # ruled out by IsAuthenticated
            raise exceptions.NotAuthenticated()
        with transaction.atomic():
            # The first write makes the (empty, version 1) draft; then the version is compared under its
            # row lock, which the service's save keeps to the commit: no write slips in between.
            draft = opinion_draft_get(consultation=consultation)
            locked = OpinionDraft.objects.select_for_update().get(pk=draft.pk)
            check_if_match(self.request, draft_etag(locked), what=WHAT)
            stored = {} if replace else {p.theme_id: p for p in locked.points.all()}
            points = []
            for theme in themes:
                if theme.pk in sent:
                    points.append(sent[theme.pk])
                elif replace:
                    points.append(DraftPointInput(theme_uuid=str(theme.uuid), position="", text=""))
                elif theme.pk in stored:
                    point = stored[theme.pk]
                    points.append(DraftPointInput(theme_uuid=str(theme.uuid), position=point.position, text=point.text))
            position = data.get("standpunt", locked.overall_position)
            saved = opinion_draft_update(
                actor=actor,
                consultation=consultation,
                expected_version=locked.version,
                overall_position=position or "",
                overall_text=data.get("toelichting", locked.overall_text),
                points=points,
            )
        return self._response(saved, themes)

    def _points(self, themes: list[Theme], items: list[dict[str, Any]] | None) -> dict[int, DraftPointInput]:
        """The sent points by theme id; each theme must belong to the round's IMV (400 otherwise)."""
        by_uuid = {theme.uuid: theme for theme in themes}
        items = items or []
        errors = {
            str(index): {"thema": [_("Geen thema of subthema van het IMV van deze ronde.")]}
            for index, item in enumerate(items)
            if item["thema"] not in by_uuid
        }
        if errors:
            raise exceptions.ValidationError({"standpunten": errors})
        return {
            by_uuid[item["thema"]].pk: DraftPointInput(
                theme_uuid=str(item["thema"]), position=item["standpunt"] or "", text=item["toelichting"]
            )
            for item in items
        }

    def _response(self, draft: OpinionDraft, themes: list[Theme] | None = None) -> Response:
        context = {
            **self.get_serializer_context(),
            "participation": self.participation,
            "themes": cycle_themes(cycle=self.participation.round.cycle) if themes is None else themes,
        }
        data = OpinionDraftOutputSerializer(draft, context=context).data
        return Response(data, headers={"ETag": draft_etag(draft)})
