"""Serializers of the IMV consultation API. The class docstrings are the API documentation (Dutch).

Output serializers read what imv.selectors prefetched; none of them queries per row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from api.v1.common import API, StrictInputSerializer, enum_field, links, links_schema
from imv.models import (
    ConsultationRound,
    Disposition,
    DraftVersion,
    ExtensionRequest,
    ExtensionStatus,
    ImvCycle,
    Opinion,
    OpinionPoint,
    Participation,
    ParticipationStatus,
    Position,
    Reaction,
    Theme,
    ThemeStatus,
    TimelineEvent,
)
from tenants.models import Municipality


# --- Paths ---------------------------------------------------------------------------------
def cycle_href(cycle: ImvCycle) -> str:
    return f"{API}/imv-cycli/{cycle.uuid}"


def round_href(consultation: ConsultationRound) -> str:
    return f"{API}/consultatierondes/{consultation.uuid}"


def participation_href(participation: Participation) -> str:
    return f"{API}/deelnames/{participation.uuid}"


def opinion_href(opinion: Opinion) -> str:
    return f"{API}/zienswijzen/{opinion.uuid}"


def extension_href(request: ExtensionRequest) -> str:
    return f"{API}/uitstelverzoeken/{request.uuid}"


def municipality_href(municipality: Municipality) -> str:
    return f"{API}/gemeenten/{municipality.cbs_code}"


# --- Enumerations, each a named component ----------------------------------------------------
ThemeStatusField = enum_field(ThemeStatus, "ThemaStatus", "Vastgesteld thema, of een thema dat nog wordt verkend.")
ParticipationStatusField = enum_field(
    ParticipationStatus, "DeelnameStatus", "Hoe ver de gemeente is met haar zienswijze."
)
PositionField = enum_field(Position, "Standpunt", "Het standpunt van de raad.")
DispositionField = enum_field(Disposition, "Verwerking", "Wat de regio met het punt heeft gedaan.")
ExtensionStatusField = enum_field(ExtensionStatus, "UitstelverzoekStatus", "Of over het verzoek is besloten.")
ExtensionDecisionField = enum_field(
    ExtensionStatus,
    "UitstelverzoekBeslissing",
    "Het besluit van de adviseur.",
    values=[ExtensionStatus.GRANTED, ExtensionStatus.REFUSED],
)


# --- Small nested objects ------------------------------------------------------------------
@extend_schema_serializer(component_name="GemeenteVerwijzing")
class MunicipalityReferenceSerializer(serializers.ModelSerializer[Municipality]):
    """De gemeente waar het om gaat."""

    cbsCode = serializers.CharField(source="cbs_code")  # noqa: N815 (ADR: camelCase in the API)
    naam = serializers.CharField(source="name")

    class Meta:
        model = Municipality
        fields = ["cbsCode", "naam"]


# --- IMV cycles ----------------------------------------------------------------------------
@extend_schema_serializer(component_name="Subthema")
class SubthemeSerializer(serializers.ModelSerializer[Theme]):
    """Een subthema van een thema."""

    nummer = serializers.IntegerField(source="number", allow_null=True)
    naam = serializers.CharField(source="name")
    status = ThemeStatusField()
    toelichting = serializers.CharField(source="note", allow_blank=True)

    class Meta:
        model = Theme
        fields = ["uuid", "nummer", "naam", "status", "toelichting"]


@extend_schema_serializer(component_name="Thema")
class ThemeSerializer(SubthemeSerializer):
    """Een thema van het IMV, met zijn subthema's."""

    subthemas = SubthemeSerializer(source="subthemes.all", many=True)

    class Meta(SubthemeSerializer.Meta):
        fields = [*SubthemeSerializer.Meta.fields, "subthemas"]


@extend_schema_serializer(component_name="Mijlpaal")
class TimelineEventSerializer(serializers.ModelSerializer[TimelineEvent]):
    """Een gedateerde stap in het IMV-proces."""

    datum = serializers.DateField(source="date")
    gebeurtenis = serializers.CharField(source="description")
    bron = serializers.CharField(source="source", allow_blank=True)

    class Meta:
        model = TimelineEvent
        fields = ["datum", "gebeurtenis", "bron"]


@extend_schema_serializer(component_name="ImvCyclus")
class CycleOutputSerializer(serializers.ModelSerializer[ImvCycle]):
    """Een integraal meerjarenbeleidsplan veiligheid (IMV) van een politie-eenheid, met thema's en tijdlijn."""

    naam = serializers.CharField(source="name")
    eersteJaar = serializers.IntegerField(source="period_start")  # noqa: N815
    laatsteJaar = serializers.IntegerField(source="period_end")  # noqa: N815
    politieEenheid = serializers.CharField(source="police_unit.name")  # noqa: N815
    themas = ThemeSerializer(source="top_themes", many=True, help_text="De thema's in volgorde.")
    tijdlijn = TimelineEventSerializer(source="timeline.all", many=True)
    _links = serializers.SerializerMethodField(label="Links")

    class Meta:
        model = ImvCycle
        fields = ["uuid", "naam", "eersteJaar", "laatsteJaar", "politieEenheid", "themas", "tijdlijn", "_links"]

    @extend_schema_field(links_schema("self", "consultatierondes"))
    def get__links(self, obj: ImvCycle) -> dict[str, dict[str, str]]:
        return links(self=cycle_href(obj), consultatierondes=f"{API}/consultatierondes?imvCyclus={obj.uuid}")


# --- Rounds --------------------------------------------------------------------------------
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


# --- Participations ------------------------------------------------------------------------
@extend_schema_serializer(component_name="Deelname")
class ParticipationOutputSerializer(serializers.ModelSerializer[Participation]):
    """De deelname van één gemeente aan een consultatieronde: status, eigen uiterste moment, vergaderdata.

    De ETag van een deelname is haar ``versie`` tussen aanhalingstekens (bijvoorbeeld "3").
    """

    gemeente = MunicipalityReferenceSerializer(source="municipality")
    status = ParticipationStatusField()
    uitersteMoment = serializers.DateTimeField(  # noqa: N815
        source="deadline", help_text="Het eigen uiterste moment van deze gemeente (later na toegekend uitstel)."
    )
    commissievergadering = serializers.DateField(source="committee_date", allow_null=True)
    raadsvergadering = serializers.DateField(source="council_date", allow_null=True)
    raadsbesluitDatum = serializers.DateField(source="decision_date", allow_null=True)  # noqa: N815
    zaaknummer = serializers.CharField(source="decision_case_number", allow_blank=True)
    ingediendOp = serializers.DateTimeField(source="submitted_at", allow_null=True)  # noqa: N815
    dagenTeLaat = serializers.IntegerField(  # noqa: N815
        source="days_late", help_text="Begonnen dagen na het uiterste moment waarop de zienswijze binnenkwam."
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


@extend_schema_serializer(component_name="DeelnameWijziging")
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


# --- Opinions ------------------------------------------------------------------------------
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


@extend_schema_serializer(component_name="Reactie")
class ReactionSerializer(serializers.ModelSerializer[Reaction]):
    """Het antwoord van de regio (reactienota) op één thema van de zienswijze, of op de zienswijze als geheel."""

    thema = serializers.UUIDField(
        source="point.theme.uuid", allow_null=True, default=None, help_text="Null: over de zienswijze als geheel."
    )
    verwerking = DispositionField(source="disposition")
    toelichting = serializers.CharField(source="explanation")

    class Meta:
        model = Reaction
        fields = ["uuid", "thema", "verwerking", "toelichting"]


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
        source="days_late", help_text="Begonnen dagen na het uiterste moment van de gemeente; 0 als op tijd."
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
            "ingediendOp",
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
    toelichting = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="ZienswijzeIndiening")
class OpinionSubmitInputSerializer(StrictInputSerializer):
    """De zienswijze van de raad, in te dienen voor een deelname van de eigen gemeente."""

    deelname = serializers.UUIDField(help_text="UUID van de deelname van uw gemeente.")
    standpunt = PositionField()
    toelichting = serializers.CharField(required=False, allow_blank=True, default="")
    standpunten = OpinionPointInputSerializer(many=True, required=False, default=list)


# --- Extension requests --------------------------------------------------------------------
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


@extend_schema_serializer(component_name="UitstelverzoekAanvraag")
class ExtensionRequestInputSerializer(StrictInputSerializer):
    """Een verzoek om meer tijd voor de deelname van de eigen gemeente. Eén open verzoek per gemeente."""

    deelname = serializers.UUIDField(help_text="UUID van de deelname van uw gemeente.")
    reden = serializers.CharField(source="reason")
    gevraagdUitersteMoment = serializers.DateTimeField(  # noqa: N815
        source="requested_deadline", help_text="Na het huidige uiterste moment en vóór de RBOP-vergadering."
    )


@extend_schema_serializer(component_name="UitstelverzoekBesluit")
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
