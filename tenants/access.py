"""Who may see and change what. Deny by default: no membership, no access.

A request acts through a set of memberships: a signed-in person through all of theirs, an API
client only through the one membership its token is bound to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from tenants.models import MUNICIPAL_ROLES, REGIONAL_ROLES, ApiToken, Membership, Municipality, PoliceUnit, Role, User


def request_user(request: Any) -> User:
    """The signed-in person behind a page or API request; anyone else is refused (403)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def request_memberships(request: Any) -> list[Membership]:
    """The memberships a request acts through (cached on the request)."""
    cached = getattr(request, "_portal_memberships", None)
    if cached is not None:
        return cached
    auth = getattr(request, "auth", None)
    user = getattr(request, "user", None)
    if isinstance(auth, ApiToken):
        memberships = [auth.membership]
    elif user is not None and user.is_authenticated:
        memberships = list(Membership.objects.filter(user=user).select_related("municipality", "police_unit"))
    else:
        memberships = []
    request._portal_memberships = memberships
    return memberships


def can_read_municipality(memberships: Iterable[Membership], municipality: Municipality) -> bool:
    """Staff of the municipality itself, and the adviser and RBOP members of its police unit."""
    for m in memberships:
        if m.role in MUNICIPAL_ROLES and m.municipality_id == municipality.pk:
            return True
        if m.role in REGIONAL_ROLES and m.police_unit_id == municipality.police_unit_id:
            return True
    return False


def can_edit_municipality(memberships: Iterable[Membership], municipality: Municipality) -> bool:
    """Only the municipality's own staff (OOV, griffie, coordinator) change its data."""
    return any(m.role in MUNICIPAL_ROLES and m.municipality_id == municipality.pk for m in memberships)


def is_regional_adviser(memberships: Iterable[Membership]) -> bool:
    return any(m.role == Role.ADVISER for m in memberships)


def readable_municipalities(memberships: Iterable[Membership]) -> QuerySet[Municipality]:
    """Every municipality the memberships may read; none for no memberships."""
    condition = Q(pk__in=[])
    for m in memberships:
        if m.role in MUNICIPAL_ROLES:
            condition |= Q(pk=m.municipality_id)
        elif m.role in REGIONAL_ROLES:
            condition |= Q(police_unit_id=m.police_unit_id)
    return Municipality.objects.filter(condition, is_active=True)


# --- The IMV consultation (shared schema): a police unit's cycles and rounds ------------------
def regional_unit_ids(memberships: Iterable[Membership]) -> frozenset[int]:
    """Police units in which the memberships hold a regional role (adviser, RBOP): they read all of it."""
    return frozenset(m.police_unit_id for m in memberships if m.role in REGIONAL_ROLES and m.police_unit_id is not None)


def staff_municipality_ids(memberships: Iterable[Membership]) -> frozenset[int]:
    """Active municipalities whose own staff (OOV, griffie) the memberships are."""
    return frozenset(
        m.municipality.pk
        for m in memberships
        if m.role in MUNICIPAL_ROLES and m.municipality is not None and m.municipality.is_active
    )


def readable_unit_ids(memberships: Iterable[Membership]) -> frozenset[int]:
    """Police units whose IMV cycles and rounds the memberships may read.

    The regional roles of the unit, and the staff of its (active) municipalities: every council
    is consulted on the same IMV. Which municipality's participation they see is narrower.
    """
    memberships = list(memberships)
    staff_units = frozenset(
        m.municipality.police_unit_id
        for m in memberships
        if m.role in MUNICIPAL_ROLES and m.municipality is not None and m.municipality.is_active
    )
    return regional_unit_ids(memberships) | staff_units


def can_manage_round(memberships: Iterable[Membership], police_unit_id: int) -> bool:
    """Only the adviser of the unit runs its rounds (decides on extensions); RBOP members only read."""
    return any(m.role == Role.ADVISER and m.police_unit_id == police_unit_id for m in memberships)


# --- Alignment of local and regional priorities (shared-schema projection) --------------------
def can_compare_unit(memberships: Iterable[Membership], police_unit_id: int) -> bool:
    """The alignment of all municipalities of a unit side by side: its adviser and RBOP members only.

    Municipal staff read their own municipality's alignment (can_read_municipality), never the
    overview that shows their neighbours' priorities.
    """
    return police_unit_id in regional_unit_ids(memberships)


# --- People: who hands out and ends whose roles -----------------------------------------------
@dataclass(frozen=True)
class PeopleScope:
    """Whose roles someone may hand out (invite) and end.

    The platform administrator (``is_staff``): everyone's. The adviser: the regional roles of their
    police unit and the roles in its municipalities. A coordinator: the roles in their own municipality.
    """

    everything: bool = False
    unit_ids: frozenset[int] = frozenset()  # units whose adviser this is
    municipality_ids: frozenset[int] = frozenset()  # municipalities this person coordinates

    @property
    def any(self) -> bool:
        return self.everything or bool(self.unit_ids or self.municipality_ids)

    def covers(self, *, role: str, police_unit: PoliceUnit | None, municipality: Municipality | None) -> bool:
        if self.everything:
            return True
        if role in REGIONAL_ROLES:
            return police_unit is not None and police_unit.pk in self.unit_ids
        if role in MUNICIPAL_ROLES and municipality is not None:
            return municipality.pk in self.municipality_ids or municipality.police_unit_id in self.unit_ids
        return False

    def municipalities(self) -> QuerySet[Municipality]:
        """The municipalities whose people this scope manages (all of them, for the administrator)."""
        if self.everything:
            return Municipality.objects.all()
        return Municipality.objects.filter(Q(pk__in=self.municipality_ids) | Q(police_unit_id__in=self.unit_ids))

    def police_units(self) -> QuerySet[PoliceUnit]:
        """The police units whose regional roles this scope hands out."""
        if self.everything:
            return PoliceUnit.objects.all()
        return PoliceUnit.objects.filter(pk__in=self.unit_ids)


EVERYTHING = PeopleScope(everything=True)


def people_scope(user: User, memberships: Iterable[Membership]) -> PeopleScope:
    """Whose roles this signed-in person manages; nothing for a deactivated account or an API token."""
    if not user.is_active:
        return PeopleScope()
    memberships = list(memberships)
    return PeopleScope(
        everything=user.is_staff,
        unit_ids=frozenset(
            m.police_unit_id for m in memberships if m.role == Role.ADVISER and m.police_unit_id is not None
        ),
        municipality_ids=frozenset(
            m.municipality_id for m in memberships if m.role == Role.COORDINATOR and m.municipality_id is not None
        ),
    )
