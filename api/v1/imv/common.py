"""API v1: what the resources of the IMV consultation share: their paths, the enumerations and the
municipality reference several of them show, the query filters, and the base of their viewsets.

Every queryset is narrowed to what the caller may see (tenants.access) before a row is looked
up, so a row outside it is a plain 404. A visible row the caller may not change is 403.
Output serializers read what imv.selectors prefetched; none of them queries per row. The class
docstrings of the serializers are the API documentation (Dutch).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request

from api.v1.common import API, CBS_CODE_REGEX, UUID_REGEX, enum_field, uuid_filter
from imv import selectors
from imv.models import (
    ConsultationRound,
    ExtensionRequest,
    ImvCycle,
    Opinion,
    Participation,
    ParticipationStatus,
    Position,
    ThemeStatus,
)
from tenants.access import regional_unit_ids, request_memberships, request_user, staff_municipality_ids
from tenants.models import Membership, Municipality, User

# Field names of imv.services errors → the API's, so that invalidParams name what the client sent.
API_FIELD_NAMES = {
    "overall_position": "standpunt",
    "overall_text": "toelichting",
    "points": "standpunten",
    "decision_date": "raadsbesluitDatum",
    "committee_date": "commissievergadering",
    "council_date": "raadsvergadering",
    "reason": "reden",
    "disposition": "verwerking",
    "explanation": "toelichting",
    "requested_deadline": "gevraagdUitersteMoment",
    "deadline": "nieuwUitersteMoment",
    "__all__": "nonFieldErrors",
}


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


# --- Small nested objects ------------------------------------------------------------------
@extend_schema_serializer(component_name="GemeenteVerwijzing")
class MunicipalityReferenceSerializer(serializers.ModelSerializer[Municipality]):
    """De gemeente waar het om gaat."""

    cbsCode = serializers.CharField(source="cbs_code")  # noqa: N815 (ADR: camelCase in the API)
    naam = serializers.CharField(source="name")

    class Meta:
        model = Municipality
        fields = ["cbsCode", "naam"]


def query_cbs_code(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value is not None and not re.fullmatch(CBS_CODE_REGEX, value):
        raise exceptions.ValidationError({name: [_("Een CBS-code is GM met vier cijfers, bijvoorbeeld GM0397.")]})
    return value


ROUND_FILTER = uuid_filter("consultatieronde", "Alleen die van deze consultatieronde (UUID).")
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
