"""Invitations (uitnodigingen): someone is asked by e-mail to take up a role, and takes it up by a link.

Who may invite whom is the actor's PeopleScope (tenants.access). The link carries a random token
of which only a hash is stored; it works once, for seven days, and sending the invitation again
voids it. Every step is one transaction with its audit line; the e-mail is queued in it
(tenants.signals.mail_request) and goes out after commit.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.exceptions import PortalError
from tenants.audit import audit_record
from tenants.models import Invitation, Municipality, PoliceUnit, User
from tenants.services._common import (
    INVITATION,
    has_role_assert,
    organisation_name,
    role_in_organisation,
    role_note,
    role_organisation_assert,
    scope_assert,
    scope_of,
)
from tenants.signals import mail_request

INVITATION_VALID = timedelta(days=7)


class InvitationOpenError(PortalError):
    """The address already has an open invitation in this organisation (409): send that one again instead."""

    def __init__(self, invitation: Invitation) -> None:
        super().__init__(
            _(
                "Er staat al een uitnodiging open voor %(email)s bij %(organisation)s, verstuurd op %(date)s. "
                "Verstuur die opnieuw in plaats van een tweede te maken."
            )
            % {
                "email": invitation.email,
                "organisation": organisation_name(
                    police_unit=invitation.police_unit, municipality=invitation.municipality
                ),
                "date": f"{timezone.localtime(invitation.sent_at):%d-%m-%Y}",
            },
            errors={"email": [_("heeft hier al een open uitnodiging")]},
            status=409,
            code="invitation_open",
        )
        self.invitation = invitation


def email_normalise(email: str) -> str:
    """One address, one invitee: surrounding spaces off, lower case. Refuses (400) an empty or malformed one."""
    email = email.strip().lower()
    if not email:
        raise PortalError(_("Een uitnodiging heeft een e-mailadres nodig."), errors={"email": [_("verplicht")]})
    try:
        validate_email(email)
    except ValidationError:
        raise PortalError(
            _("“%(email)s” is geen geldig e-mailadres.") % {"email": email},
            errors={"email": [_("geen geldig e-mailadres")]},
        ) from None
    return email


@transaction.atomic
def invitation_create(
    *,
    actor: User | None,
    email: str,
    role: str,
    police_unit: PoliceUnit | None = None,
    municipality: Municipality | None = None,
) -> Invitation:
    """Invite ``email`` to take up ``role`` in a police unit (regional roles) or a municipality.

    Writes the invitation, its audit line and a Dutch e-mail with a link valid for seven days.
    Refuses, writing nothing: a bad address or role, an organisation the actor does not manage
    (403), an inactive municipality, an address that already has this role there, and a second
    open invitation for the address there (InvitationOpenError, 409). ``actor`` None: a command.
    """
    email = email_normalise(email)
    role_organisation_assert(role=role, police_unit=police_unit, municipality=municipality)
    scope_assert(scope_of(actor), role=role, police_unit=police_unit, municipality=municipality)
    if municipality is not None and not municipality.is_active:
        raise PortalError(
            _("Gemeente %(name)s is niet actief: daar kan niemand een rol krijgen.") % {"name": municipality.name},
            errors={"organisation": [_("niet actief")]},
            status=409,
            code="inactive",
        )
    has_role_assert(email=email, role=role, police_unit=police_unit, municipality=municipality)
    if (open_one := _open_invitation(email=email, police_unit=police_unit, municipality=municipality)) is not None:
        raise InvitationOpenError(open_one)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation(
        email=email,
        role=role,
        police_unit=police_unit,
        municipality=municipality,
        token_hash=Invitation.hash_token(token),
        invited_by=actor,
        sent_at=now,
        expires_at=now + INVITATION_VALID,
    )
    try:
        with transaction.atomic():  # a savepoint: a colleague inviting the same address at this moment wins
            invitation.save()
    except IntegrityError:
        if (open_one := _open_invitation(email=email, police_unit=police_unit, municipality=municipality)) is None:
            raise
        raise InvitationOpenError(open_one) from None
    audit_record(
        actor=actor,
        object_type=INVITATION,
        object_uuid=invitation.uuid,
        field="status",
        old="",
        new="uitgenodigd",
        municipality=municipality,
        note=role_note(invitation),
    )
    _mail(invitation, token=token, actor=actor)
    return invitation


@transaction.atomic
def invitation_resend(*, actor: User | None, invitation: Invitation) -> Invitation:
    """Send an open (or expired) invitation again: a new link, valid seven days from now; the old link stops working.

    Refuses (409) an accepted or revoked invitation, and one whose address meanwhile has the role.
    """
    invitation = _locked(invitation)
    scope_assert(
        scope_of(actor), role=invitation.role, police_unit=invitation.police_unit, municipality=invitation.municipality
    )
    _open_assert(invitation)
    has_role_assert(
        email=invitation.email,
        role=invitation.role,
        police_unit=invitation.police_unit,
        municipality=invitation.municipality,
    )
    token = secrets.token_urlsafe(32)
    previous = invitation.sent_at
    invitation.token_hash = Invitation.hash_token(token)
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + INVITATION_VALID
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "send_count"])
    audit_record(
        actor=actor,
        object_type=INVITATION,
        object_uuid=invitation.uuid,
        field="verstuurd",
        old=previous,
        new=invitation.sent_at,
        municipality=invitation.municipality,
        note=_("opnieuw verstuurd met een nieuwe link; de vorige link werkt niet meer"),
    )
    _mail(invitation, token=token, actor=actor)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User | None, invitation: Invitation) -> Invitation:
    """Revoke an open invitation: its link stops working. Refuses (409) one already accepted or revoked."""
    invitation = _locked(invitation)
    scope_assert(
        scope_of(actor), role=invitation.role, police_unit=invitation.police_unit, municipality=invitation.municipality
    )
    _open_assert(invitation)
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        object_type=INVITATION,
        object_uuid=invitation.uuid,
        field="status",
        old="uitgenodigd",
        new="ingetrokken",
        municipality=invitation.municipality,
        note=role_note(invitation),
    )
    return invitation


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("municipality", "police_unit")
        .get(pk=invitation.pk)
    )


def _open_assert(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise PortalError(
            _("Deze uitnodiging is al aanvaard: %(email)s heeft de rol.") % {"email": invitation.email},
            status=409,
            code="invitation_used",
        )
    if invitation.revoked_at is not None:
        raise PortalError(_("Deze uitnodiging is ingetrokken."), status=409, code="invitation_revoked")


def _open_invitation(
    *, email: str, police_unit: PoliceUnit | None, municipality: Municipality | None
) -> Invitation | None:
    return (
        Invitation.objects.filter(
            email=email, police_unit=police_unit, municipality=municipality, accepted_at=None, revoked_at=None
        )
        .select_related("municipality", "police_unit")
        .first()
    )


def _mail(invitation: Invitation, *, token: str, actor: User | None) -> None:
    """The invitation e-mail, always in Dutch, with an absolute link (settings.PORTAL_BASE_URL)."""
    link = settings.PORTAL_BASE_URL + reverse("tenants:invitation_accept", kwargs={"token": token})
    with translation.override("nl"):
        role = role_in_organisation(
            role=invitation.role, police_unit=invitation.police_unit, municipality=invitation.municipality
        )
    who = (actor.get_full_name() or actor.get_username()) if actor else "De beheerder van het Regioportaal Veiligheid"
    until = timezone.localtime(invitation.expires_at)
    mail_request(
        to=[invitation.email],
        subject="Uitnodiging voor het Regioportaal Veiligheid",
        body=(
            f"Beste collega,\n\n{who} nodigt u uit voor het Regioportaal Veiligheid als {role}.\n\n"
            f"Kies met deze link uw naam en wachtwoord:\n{link}\n\n"
            f"De link werkt één keer, tot {until:%d-%m-%Y} om {until:%H:%M} uur. Is hij verlopen, vraag dan "
            f"{who if actor else 'de beheerder'} om de uitnodiging opnieuw te versturen. Verwachtte u deze "
            "uitnodiging niet, dan kunt u dit bericht negeren.\n\n"
            "Met vriendelijke groet,\nRegioportaal Veiligheid\n"
        ),
    )
