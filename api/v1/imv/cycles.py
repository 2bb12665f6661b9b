"""API v1: the IMV cycles of a police unit (imv-cycli), with their themes, subthemes and timeline.

Read only; the regional roles and the staff of the unit's municipalities all read them.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, viewsets

from api.v1.common import API, links, links_schema, uuid_path
from api.v1.imv.common import ImvViewSetMixin, ThemeStatusField, cycle_href
from imv import selectors
from imv.models import ImvCycle, Theme, TimelineEvent
from tenants.access import readable_unit_ids


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
