"""Reads about people: the list of people someone manages, and the invitation behind a link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import PortalError
from tenants.access import PeopleScope
from tenants.models import EndedMembership, Invitation, Membership, Municipality, PoliceUnit, Role, User

ACTIVE = "actief"
INVITED = "uitgenodigd"
ENDED = "beëindigd"
STATUS_ORDER = {ACTIVE: 0, INVITED: 1, ENDED: 2}


def invitation_get(*, token: str, for_update: bool = False) -> Invitation:
    """The invitation whose link carries ``token``, if that link still works; else a Dutch refusal.

    404 for a token nobody issued (or one replaced by a resend), 409 for a used or revoked
    invitation, 410 for an expired one. ``for_update`` locks the row (the accepting transaction).
    """
    invitations = Invitation.objects.select_related("municipality", "police_unit", "invited_by")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=Invitation.hash_token(token)).first() if token else None
    if invitation is None:
        raise PortalError(
            _(
                "Deze uitnodigingslink is ongeldig. Is de uitnodiging opnieuw verstuurd, gebruik dan de link uit "
                "de nieuwste e-mail; vraag anders wie u uitnodigde om een nieuwe uitnodiging."
            ),
            status=404,
            code="invitation_invalid",
        )
    if invitation.accepted_at is not None:
        raise PortalError(
            _("Deze uitnodiging is al gebruikt. Log in met uw gebruikersnaam en wachtwoord."),
            status=409,
            code="invitation_used",
        )
    if invitation.revoked_at is not None:
        raise PortalError(
            _("Deze uitnodiging is ingetrokken. Vraag wie u uitnodigde om een nieuwe uitnodiging."),
            status=409,
            code="invitation_revoked",
        )
    if invitation.expires_at <= timezone.now():
        raise PortalError(
            _("Deze uitnodiging is verlopen op %(date)s. Vraag wie u uitnodigde om hem opnieuw te versturen.")
            % {"date": f"{timezone.localtime(invitation.expires_at):%d-%m-%Y %H:%M}"},
            status=410,
            code="invitation_expired",
        )
    return invitation


def active_account_exists(*, email: str) -> bool:
    """Whether someone can already sign in with this address (then an invitation adds a role to that account)."""
    return User.objects.filter(email__iexact=email.strip(), is_active=True).exists()


@dataclass(frozen=True)
class PersonRow:
    """One line of the list of people: a person (or an invited address) with one role in one organisation."""

    kind: str  # "membership", "invitation" or "ended"
    uuid: UUID
    name: str
    username: str
    email: str
    role: str
    organisation: str
    organisation_key: str
    status: str  # ACTIVE, INVITED or ENDED
    since: datetime | None  # an invitation: sent; an ended role: ended
    user_id: int | None = None
    expires_at: datetime | None = None
    account_disabled: bool = False

    @property
    def reachable(self) -> bool:
        """Whether reminders and notices can reach this person: only by e-mail, so only with an address."""
        return bool(self.email)

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


def organisation_key(*, police_unit: PoliceUnit | None, municipality: Municipality | None) -> str:
    """How forms and filters name an organisation: "gemeente-GM0397", "eenheid-noord-holland"."""
    if municipality is not None:
        return f"gemeente-{municipality.cbs_code}"
    return f"eenheid-{police_unit.slug}" if police_unit is not None else ""


def people_organisations(*, scope: PeopleScope) -> list[tuple[str, str, PoliceUnit | Municipality]]:
    """The organisations whose people the scope manages: (key, label, organisation), units first."""
    found: list[tuple[str, str, PoliceUnit | Municipality]] = [
        (organisation_key(police_unit=unit, municipality=None), organisation_label(unit), unit)
        for unit in scope.police_units().order_by("name")
    ]
    found += [
        (organisation_key(police_unit=None, municipality=municipality), organisation_label(municipality), municipality)
        for municipality in scope.municipalities().filter(is_active=True).order_by("name")
    ]
    return found


def organisation_label(organisation: PoliceUnit | Municipality | None) -> str:
    """ "Gemeente Heemstede", "Politie-eenheid Noord-Holland": a heading or a choice."""
    if isinstance(organisation, Municipality):
        return _("Gemeente %(name)s") % {"name": organisation.name}
    return _("Politie-eenheid %(name)s") % {"name": organisation.name} if organisation is not None else ""


def _in_scope(scope: PeopleScope) -> Q:
    if scope.everything:
        return Q()
    return (
        Q(municipality_id__in=scope.municipality_ids)
        | Q(municipality__police_unit_id__in=scope.unit_ids)
        | Q(police_unit_id__in=scope.unit_ids)
    )


def people_list(*, scope: PeopleScope, organisation: PoliceUnit | Municipality | None = None) -> list[PersonRow]:
    """Everyone with a role, an open invitation or an ended role in the organisations the scope manages.

    Per organisation (units first, then municipalities by name): active, then invited, then ended;
    by name within each. ``organisation`` narrows it to one (which must lie in the scope). Three queries.
    """
    where = _in_scope(scope)
    if isinstance(organisation, Municipality):
        where &= Q(municipality=organisation)
    elif isinstance(organisation, PoliceUnit):
        where &= Q(police_unit=organisation)
    related = ("user", "municipality", "police_unit")
    rows = [
        _row(m, "membership", m.user, ACTIVE, None) for m in Membership.objects.filter(where).select_related(*related)
    ]
    rows += [
        _row(i, "invitation", None, INVITED, i.sent_at)
        for i in Invitation.objects.filter(where, accepted_at=None, revoked_at=None).select_related(
            "municipality", "police_unit"
        )
    ]
    rows += [
        _row(e, "ended", e.user, ENDED, e.ended_at)
        for e in EndedMembership.objects.filter(where).select_related(*related)
    ]
    return sorted(
        rows,
        key=lambda r: (
            not r.organisation_key.startswith("eenheid-"),
            r.organisation,
            STATUS_ORDER[r.status],
            r.name.lower() or r.email,
        ),
    )


def _row(
    source: Membership | Invitation | EndedMembership,
    kind: str,
    user: User | None,
    status: str,
    since: datetime | None,
) -> PersonRow:
    return PersonRow(
        kind=kind,
        uuid=source.uuid,
        name=(user.get_full_name() if user else ""),
        username=(user.get_username() if user else ""),
        email=(user.email if user else getattr(source, "email", "")),
        role=str(Role(source.role).label),
        organisation=organisation_label(source.municipality or source.police_unit),
        organisation_key=organisation_key(police_unit=source.police_unit, municipality=source.municipality),
        status=status,
        since=since,
        expires_at=source.expires_at if isinstance(source, Invitation) else None,
        user_id=user.pk if user else None,
        account_disabled=bool(user is not None and kind == "membership" and not user.is_active),
    )


def membership_in_scope(*, scope: PeopleScope, uuid: UUID) -> Membership | None:
    """A membership the scope manages, or None (the page answers 404: nothing about others is told)."""
    return (
        Membership.objects.filter(_in_scope(scope), uuid=uuid)
        .select_related("user", "municipality", "police_unit")
        .first()
    )


def invitation_in_scope(*, scope: PeopleScope, uuid: UUID) -> Invitation | None:
    """An invitation the scope manages, or None."""
    return Invitation.objects.filter(_in_scope(scope), uuid=uuid).select_related("municipality", "police_unit").first()
