"""API v1: consultation rounds (consultatierondes): every council of the police unit gives its
opinion on one draft version of the IMV, until the RBOP meeting closes the round.

A round's state (closed or not) is read on the database clock (imv.clock). The list of a round's
participations, under the round's path, is in api.v1.imv.participations.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, viewsets

from api.v1.common import API, links, links_schema, query_uuid, uuid_filter, uuid_path
from api.v1.imv.common import ImvViewSetMixin, ParticipationStatusField, round_href
from imv import selectors
from imv.clock import db_now
from imv.models import ConsultationRound, DraftVersion, ParticipationStatus
from tenants.access import readable_unit_ids


@extend_schema_serializer(component_name="Conceptversie")
class DraftVersionSerializer(serializers.ModelSerializer[DraftVersion]):
    """De conceptversie van het IMV waarover de raden hun zienswijze geven."""

    naam = serializers.CharField(source="label")
    datum = serializers.DateField(source="date")
    wijzigingen = serializers.CharField(source="change_note", allow_blank=True)

    class Meta:
        model = DraftVersion
        fields = ["uuid", "naam", "datum", "wijzigingen"]


@extend_schema_serializer(component_name="AantalPerStatus")
class StatusCountSerializer(serializers.Serializer[dict[str, Any]]):
    """Hoeveel gemeenten een deelnamestatus hebben."""

    status = ParticipationStatusField()
    aantal = serializers.IntegerField()


@extend_schema_serializer(component_name="Consultatieronde")
class RoundOutputSerializer(serializers.ModelSerializer[ConsultationRound]):
    """Een consultatieronde: alle raden van de politie-eenheid geven hun zienswijze op één conceptversie.

    Na de RBOP-vergadering is de ronde gesloten (volgens de klok van de database) en kan er niets
    meer worden ingediend of gewijzigd.
    """

    # Needs ``now`` (imv.clock.db_now) in the context; the rounds come from round_list_counted.

    imvCyclus = serializers.CharField(source="cycle.name", help_text="Naam van het IMV.")  # noqa: N815
    concept = DraftVersionSerializer(source="draft_version")
    uitersteMoment = serializers.DateTimeField(  # noqa: N815
        source="deadline", help_text="Uiterste moment voor de zienswijze; een gemeente kan uitstel krijgen."
    )
    rbopVergadering = serializers.DateTimeField(source="rbop_meeting")  # noqa: N815
    geopendOp = serializers.DateTimeField(source="opened_at")  # noqa: N815
    gesloten = serializers.SerializerMethodField(help_text="Waar na de RBOP-vergadering.")
    aantallenPerStatus = serializers.SerializerMethodField(  # noqa: N815
        help_text="Aantal gemeenten per deelnamestatus, elke status één keer."
    )
    isVoorbeeld = serializers.BooleanField(source="is_example")  # noqa: N815
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = ConsultationRound
        fields = [
            "uuid",
            "imvCyclus",
            "concept",
            "uitersteMoment",
            "rbopVergadering",
            "geopendOp",
            "gesloten",
            "aantallenPerStatus",
            "isVoorbeeld",
            "_links",
        ]

    def get_gesloten(self, obj: ConsultationRound) -> bool:
        now: datetime = self.context["now"]
        return obj.is_closed(now)

    @extend_schema_field(StatusCountSerializer(many=True))
    def get_aantallenPerStatus(self, obj: ConsultationRound) -> list[dict[str, Any]]:  # noqa: N802
        return [
            {"status": status, "aantal": getattr(obj, f"count_{status}", 0)} for status in ParticipationStatus.values
        ]

    @extend_schema_field(links_schema("self", "imvCyclus", "deelnames"))
    def get__links(self, obj: ConsultationRound) -> dict[str, dict[str, str]]:
        return links(
            self=round_href(obj),
            imvCyclus=f"{API}/imv-cycli/{obj.cycle.uuid}",
            deelnames=f"{round_href(obj)}/deelnames",
        )


@extend_schema_view(
    list=extend_schema(
        summary="Consultatierondes",
        description="De consultatierondes van uw politie-eenheid, nieuwste eerst, met het aantal gemeenten per status.",
        parameters=[uuid_filter("imvCyclus", "Alleen die van dit IMV (UUID).")],
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
