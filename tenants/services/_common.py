"""Shared by the people services: names for the audit trail, how a role and its organisation are
named, and the refusal when someone reaches beyond the people they manage."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.exceptions import PortalError
from tenants.access import EVERYTHING, PeopleScope, people_scope
from tenants.models import MUNICIPAL_ROLES, REGIONAL_ROLES, Invitation, Membership, Municipality, PoliceUnit, Role, User

INVITATION = "uitnodiging"
MEMBERSHIP = "rol"
USER = "gebruiker"


def scope_of(actor: User | None) -> PeopleScope:
    """Whose roles the actor manages; no actor is a command run by the operator: everyone's."""
    if actor is None:
        return EVERYTHING
    return people_scope(actor, Membership.objects.filter(user=actor))


def organisation_name(*, police_unit: PoliceUnit | None, municipality: Municipality | None) -> str:
    """How a sentence names the organisation: "gemeente Heemstede", "politie-eenheid Noord-Holland"."""
    if municipality is not None:
        return _("gemeente %(name)s") % {"name": municipality.name}
    if police_unit is not None:
        return _("politie-eenheid %(name)s") % {"name": police_unit.name}
    return ""


def role_in_organisation(*, role: str, police_unit: PoliceUnit | None, municipality: Municipality | None) -> str:
    """ "coördinator van gemeente Heemstede": the audit's and the messages' name for a role somewhere."""
    return _("%(role)s van %(organisation)s") % {
        "role": Role(role).label,
        "organisation": organisation_name(police_unit=police_unit, municipality=municipality),
    }


def role_organisation_assert(*, role: str, police_unit: PoliceUnit | None, municipality: Municipality | None) -> None:
    """Refuse (400) an unknown role, or a role given to the wrong kind of organisation."""
    if role not in Role.values:
        raise PortalError(_("Kies een rol."), errors={"role": [_("onbekende rol")]})
    if role in REGIONAL_ROLES and (police_unit is None or municipality is not None):
        raise PortalError(
            _("Een regionale rol hoort bij een politie-eenheid, niet bij een gemeente."),
            errors={"organisation": [_("kies een politie-eenheid")]},
        )
    if role in MUNICIPAL_ROLES and (municipality is None or police_unit is not None):
        raise PortalError(
            _("Een gemeentelijke rol hoort bij een gemeente, niet bij een politie-eenheid."),
            errors={"organisation": [_("kies een gemeente")]},
        )


def scope_assert(
    scope: PeopleScope, *, role: str, police_unit: PoliceUnit | None, municipality: Municipality | None
) -> None:
    """Refuse (403), saying why, a role the scope does not hand out or end."""
    if scope.covers(role=role, police_unit=police_unit, municipality=municipality):
        return
    if not scope.any:
        message = _(
            "U beheert geen mensen: alleen de beheerder, de adviseur en de coördinator van een gemeente doen dat."
        )
    elif role in REGIONAL_ROLES and not scope.unit_ids:
        message = _(
            "Een coördinator gaat alleen over de mensen van de eigen gemeente. Een regionale rol kent de "
            "adviseur van de eenheid of de beheerder van het portaal toe."
        )
    elif role in REGIONAL_ROLES:
        message = _("U kent alleen regionale rollen toe in politie-eenheid %(units)s.") % {"units": _units(scope)}
    elif scope.unit_ids and municipality is not None:
        message = _("%(municipality)s hoort niet bij politie-eenheid %(units)s: over de mensen daar gaat u niet.") % {
            "municipality": municipality.name,
            "units": _units(scope),
        }
    else:
        message = _("U gaat alleen over de mensen van %(own)s, niet over die van %(other)s.") % {
            "own": ", ".join(Municipality.objects.filter(pk__in=scope.municipality_ids).values_list("name", flat=True)),
            "other": municipality.name if municipality is not None else "",
        }
    raise PortalError(message, errors={"organisation": [_("daar gaat u niet over")]}, status=403, code="forbidden")


def _units(scope: PeopleScope) -> str:
    return ", ".join(PoliceUnit.objects.filter(pk__in=scope.unit_ids).values_list("name", flat=True))


def has_role_assert(
    *, email: str, role: str, police_unit: PoliceUnit | None, municipality: Municipality | None
) -> None:
    if Membership.objects.filter(
        user__email__iexact=email, role=role, police_unit=police_unit, municipality=municipality
    ).exists():
        raise PortalError(
            _("%(email)s is al %(role)s.")
            % {
                "email": email,
                "role": role_in_organisation(role=role, police_unit=police_unit, municipality=municipality),
            },
            errors={"email": [_("heeft deze rol hier al")]},
            status=409,
            code="duplicate",
        )


def role_note(invitation: Invitation) -> str:
    role = role_in_organisation(
        role=invitation.role, police_unit=invitation.police_unit, municipality=invitation.municipality
    )
    return f"{invitation.email}: {role}"
