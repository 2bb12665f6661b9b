"""Who may see and change what. Deny by default: no membership, no access.

A request acts through a set of memberships: a signed-in person through all of theirs, an API
client only through the one membership its token is bound to.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from tenants.models import MUNICIPAL_ROLES, REGIONAL_ROLES, ApiToken, Membership, Municipality, Role, User


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
    """Only the municipality's own staff (OOV, griffie) change its data."""
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
