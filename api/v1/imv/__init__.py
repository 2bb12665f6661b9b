"""API v1: the IMV and the consultation of the councils on it (shared schema).

An IMV cycle (imv-cycli) has themes and a timeline; a consultation round (consultatierondes)
asks every council of the police unit for its zienswijze on one draft, with one participation
(deelname) per municipality. Councils submit opinions (zienswijzen) and may ask for more time
(uitstelverzoeken); the region answers each with reactions (reacties), corrected after sending.
What a caller sees comes from tenants.access: the regional roles see their
whole police unit, municipal staff only their own municipality's rows (anything else is 404).
Writes go through imv.services.
"""

from api.v1.imv.common import (
    MunicipalityReferenceSerializer,
    PositionField,
    ThemeStatusField,
    cycle_href,
    municipality_href,
    participation_href,
    round_href,
)
from api.v1.imv.cycles import CycleViewSet
from api.v1.imv.extensions import ExtensionViewSet
from api.v1.imv.opinions import OpinionViewSet
from api.v1.imv.participations import ParticipationViewSet, RoundParticipationViewSet
from api.v1.imv.reactions import ReactionViewSet
from api.v1.imv.rounds import RoundViewSet

__all__ = [
    "CycleViewSet",
    "ExtensionViewSet",
    "MunicipalityReferenceSerializer",
    "OpinionViewSet",
    "ParticipationViewSet",
    "PositionField",
    "ReactionViewSet",
    "RoundParticipationViewSet",
    "RoundViewSet",
    "ThemeStatusField",
    "cycle_href",
    "municipality_href",
    "participation_href",
    "round_href",
]
