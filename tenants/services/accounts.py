"""Taking up an invitation: the account (new, switched on again, or the signed-in one) and its role."""

from __future__ import annotations

import secrets
import uuid

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import PortalError
from tenants.audit import audit_record
from tenants.models import Invitation, Membership, User
from tenants.selectors import invitation_get
from tenants.services._common import INVITATION, MEMBERSHIP, USER, has_role_assert, role_note

NAME_MAX = 150  # User.first_name and last_name
USERNAME_MAX = 150  # User.username


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> Membership:
    """Take up the invited role. Returns the new membership; its user is the one to sign in.

    With ``user`` (signed in, with the invited address) the role is added to that account.
    Otherwise a new account is made, with the address as its username, or the deactivated account
    with that address is switched on again; both get the name and password given here (Django's
    password validators). Refuses, writing nothing: an invalid, expired, used or revoked link, an
    active account with the address (sign in first), a name or password that does not pass.
    """
    invitation = invitation_get(token=token, for_update=True)
    has_role_assert(
        email=invitation.email,
        role=invitation.role,
        police_unit=invitation.police_unit,
        municipality=invitation.municipality,
    )
    if user is not None:
        if user.email.strip().lower() != invitation.email:
            raise PortalError(
                _(
                    "Deze uitnodiging is voor %(email)s. U bent ingelogd als %(username)s: log uit en open de "
                    "link opnieuw."
                )
                % {"email": invitation.email, "username": user.get_username()},
                status=403,
                code="forbidden",
            )
        account, reactivated, created = user, False, False
    else:
        account, reactivated, created = _account_for(invitation, first_name=first_name, last_name=last_name)
        _password_assert(account, password)
        account.set_password(password)
        account.save()
    membership = Membership.objects.create(
        user=account, role=invitation.role, police_unit=invitation.police_unit, municipality=invitation.municipality
    )
    invitation.accepted_at = timezone.now()
    invitation.user = account
    invitation.save(update_fields=["accepted_at", "user"])

    def audit(object_type: str, object_uuid: uuid.UUID, field: str, old: str, new: str, note: str) -> None:
        audit_record(
            actor=account,
            object_type=object_type,
            object_uuid=object_uuid,
            field=field,
            old=old,
            new=new,
            municipality=invitation.municipality,
            note=note,
        )

    if created:
        audit(USER, account.uuid, "account", "", account.username, _("aangemaakt met een uitnodiging"))
    if reactivated:
        audit(USER, account.uuid, "actief", "nee", "ja", _("weer actief met een uitnodiging"))
    audit(MEMBERSHIP, membership.uuid, "rol", "", role_note(invitation), account.get_full_name())
    audit(INVITATION, invitation.uuid, "status", "uitgenodigd", "aanvaard", role_note(invitation))
    return membership


def _account_for(invitation: Invitation, *, first_name: str, last_name: str) -> tuple[User, bool, bool]:
    """The account that takes up the role, named but unsaved: (account, reactivated, created)."""
    first_name, last_name = first_name.strip(), last_name.strip()
    errors: dict[str, list[str]] = {}
    for field, value, missing in (
        ("first_name", first_name, _("Vul uw voornaam in.")),
        ("last_name", last_name, _("Vul uw achternaam in.")),
    ):
        if not value:
            errors[field] = [missing]
        elif len(value) > NAME_MAX:
            errors[field] = [_("Hoogstens %(max)d tekens.") % {"max": NAME_MAX}]
    if errors:
        raise PortalError(_("Vul uw voornaam en achternaam in."), errors=errors)
    same_address = User.objects.filter(email__iexact=invitation.email)
    active = same_address.filter(is_active=True).order_by("-date_joined").first()
    if active is not None:
        raise PortalError(
            _(
                "Er is al een account met het e-mailadres %(email)s (gebruikersnaam %(username)s). "
                "Log daarmee in en open de link opnieuw om de rol te aanvaarden."
            )
            % {"email": invitation.email, "username": active.get_username()},
            status=409,
            code="account_exists",
        )
    account = same_address.order_by("-date_joined").first()
    reactivated = account is not None
    if account is None:
        account = User(username=_free_username(invitation.email), email=invitation.email)
    account.first_name, account.last_name, account.is_active = first_name, last_name, True
    return account, reactivated, not reactivated


def _free_username(email: str) -> str:
    """The address itself when it fits and is free (people sign in with what they know), else a new name."""
    if len(email) <= USERNAME_MAX and not User.objects.filter(username__iexact=email).exists():
        return email
    return f"gebruiker-{secrets.token_hex(6)}"


def _password_assert(account: User, password: str) -> None:
    if not password:
        raise PortalError(_("Kies een wachtwoord."), errors={"password": [_("Kies een wachtwoord.")]})
    try:
        password_validation.validate_password(password, user=account)
    except ValidationError as exc:
        raise PortalError(_("Kies een ander wachtwoord."), errors={"password": list(exc.messages)}) from None
