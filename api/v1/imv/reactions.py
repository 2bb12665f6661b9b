"""API v1: the region's reactions (reactienota) to a submitted zienswijze, and their corrections.

A reaction is shown inside its opinion (``reacties``) and on its own, with its ``versie`` as
ETag. Once the answer is sent (deelname beantwoord) a reaction changes only by a correction:
a new version with a reason, the earlier versions listed in ``eerdereVersies``.
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

from api.conditional import if_match_parameter, if_match_versions
from api.v1.common import API, StrictInputSerializer, enum_field, links, links_schema, uuid_path
from api.v1.imv.common import ImvViewSetMixin, opinion_href
from imv import selectors, services
from imv.models import Disposition, Reaction, ReactionVersion
from tenants.access import can_manage_round

DispositionField = enum_field(Disposition, "Verwerking", "Wat de regio met het punt heeft gedaan.")


def reaction_href(reaction: Reaction) -> str:
    return f"{API}/reacties/{reaction.uuid}"


def reaction_etag(reaction: Reaction) -> str:
    return f'"{services.reaction_version(reaction)}"'


@extend_schema_serializer(component_name="EerdereReactie")
class ReactionVersionSerializer(serializers.ModelSerializer[ReactionVersion]):
    """Een eerdere versie van een reactie: de tekst die de gemeente had, tot een correctie haar verving."""

    versie = serializers.IntegerField(source="number", help_text="1 voor de reactie zoals die eerst is verstuurd.")
    verwerking = DispositionField(source="disposition")
    toelichting = serializers.CharField(source="explanation")
    geschrevenOp = serializers.DateTimeField(  # noqa: N815
        source="written_at", help_text="Wanneer deze versie is geschreven."
    )
    gecorrigeerdOp = serializers.DateTimeField(  # noqa: N815
        source="corrected_at", help_text="Wanneer de correctie deze versie verving."
    )
    reden = serializers.CharField(source="reason", help_text="Waarom de regio deze versie heeft gecorrigeerd.")

    class Meta:
        model = ReactionVersion
        fields = ["versie", "verwerking", "toelichting", "geschrevenOp", "gecorrigeerdOp", "reden"]


@extend_schema_serializer(component_name="Reactie")
class ReactionSerializer(serializers.ModelSerializer[Reaction]):
    """Het antwoord van de regio (reactienota) op één thema van de zienswijze, of op de zienswijze als geheel.

    De verwerking en toelichting zijn die van de huidige versie; een correctie na het versturen maakt een
    nieuwe versie en zet de vorige in ``eerdereVersies`` (nieuwste eerst). De ETag is de ``versie`` tussen
    aanhalingstekens (bijvoorbeeld "2").
    """

    thema = serializers.UUIDField(
        source="point.theme.uuid", allow_null=True, default=None, help_text="Null: over de zienswijze als geheel."
    )
    verwerking = DispositionField(source="disposition")
    toelichting = serializers.CharField(source="explanation")
    versie = serializers.IntegerField(source="version", help_text="1 zoals verstuurd; +1 bij elke correctie.")
    geschrevenOp = serializers.DateTimeField(  # noqa: N815
        source="updated_at", help_text="Wanneer deze versie is geschreven."
    )
    eerdereVersies = ReactionVersionSerializer(source="earlier_versions.all", many=True)  # noqa: N815

    class Meta:
        model = Reaction
        fields = ["uuid", "thema", "verwerking", "toelichting", "versie", "geschrevenOp", "eerdereVersies"]


@extend_schema_serializer(component_name="ReactieLos")
class ReactionOutputSerializer(ReactionSerializer):
    """Een reactie van de regio op zichzelf, met een link naar de zienswijze waarop zij antwoordt."""

    _links = serializers.SerializerMethodField(label="Links")

    class Meta(ReactionSerializer.Meta):
        fields = [*ReactionSerializer.Meta.fields, "_links"]

    @extend_schema_field(links_schema("self", "zienswijze"))
    def get__links(self, obj: Reaction) -> dict[str, dict[str, str]]:
        return links(self=reaction_href(obj), zienswijze=opinion_href(obj.opinion))


@extend_schema_serializer(
    component_name="ReactieCorrectie",
    examples=[
        OpenApiExample(
            "Correctie",
            value={
                "verwerking": "deels_overgenomen",
                "toelichting": "De regio neemt de aanpak van ondermijning in de haven op in het uitvoeringsprogramma.",
                "reden": "In de eerste versie ontbrak de haven; de gemeente wees ons erop.",
            },
            request_only=True,
        )
    ],
)
class ReactionCorrectInputSerializer(StrictInputSerializer):
    """Een correctie van een verstuurde reactie: de nieuwe verwerking en toelichting, en waarom."""

    verwerking = DispositionField(source="disposition")
    toelichting = serializers.CharField(source="explanation", allow_blank=True)
    reden = serializers.CharField(
        source="reason", allow_blank=True, help_text="Verplicht: de gemeente leest de reden naast de eerdere versie."
    )


@extend_schema_view(
    retrieve=extend_schema(
        summary="Eén reactie",
        description=(
            "Een reactie van de regio met haar eerdere versies, en haar versie als ETag. De gemeente ziet haar "
            "pas als de regio het antwoord heeft verstuurd (deelnamestatus beantwoord); daarvóór 404."
        ),
        parameters=[uuid_path("UUID van de reactie.")],
        extensions={"x-etag": True},
    ),
    correct=extend_schema(
        summary="Reactie corrigeren",
        description=(
            "Corrigeer een reactie die al naar de gemeente is verstuurd: de nieuwe verwerking en toelichting "
            "worden een nieuwe versie, de vorige blijft bewaard in eerdereVersies met de reden. De gemeente krijgt "
            "een bericht en een e-mail. Alleen de adviseur van de eenheid (anderen 403); vóór het versturen, of "
            "bij een ingetrokken zienswijze, 409; zonder reden of toelichting, of als er niets verandert, 400. "
            "Met If-Match (de ETag van de reactie) alleen als zij sinds het ophalen niet is gecorrigeerd."
        ),
        request=ReactionCorrectInputSerializer,
        responses={
            201: ReactionOutputSerializer,
            409: OpenApiResponse(description="De zienswijze is nog niet beantwoord, of is ingetrokken."),
        },
        parameters=[uuid_path("UUID van de reactie."), if_match_parameter(required=False, what="de reactie")],
        extensions={"x-etag": True},
    ),
)
@extend_schema(tags=["zienswijzen"])
class ReactionViewSet(ImvViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Reaction]):
    serializer_class = ReactionOutputSerializer

    def get_queryset(self) -> QuerySet[Reaction]:
        return selectors.reaction_list(police_unit_ids=self.regional_units, municipality_ids=self.own_municipalities)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        reaction = self.get_object()
        return Response(self.get_serializer(reaction).data, headers={"ETag": reaction_etag(reaction)})

    @action(detail=True, methods=["post"], url_path="correcties")
    def correct(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        reaction = self.get_object()
        if not can_manage_round(self.memberships, reaction.opinion.participation.round.cycle.police_unit_id):
            raise exceptions.PermissionDenied(
                _("Alleen de adviseur van de regioburgemeester kan een reactie corrigeren.")
            )
        serializer = ReactionCorrectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.reaction_correct(
            actor=self.actor(),
            reaction=reaction,
            disposition=data["disposition"],
            explanation=data["explanation"],
            reason=data["reason"],
            expected_versions=if_match_versions(request),
        )
        reaction = self.get_queryset().get(pk=reaction.pk)
        headers = {"ETag": reaction_etag(reaction), "Location": reaction_href(reaction)}
        return Response(self.get_serializer(reaction).data, status=status.HTTP_201_CREATED, headers=headers)
