"""Helpers of the people tests: the people who manage others, the link in an invitation e-mail,
and a count of every row an invitation step may write (to show that a refusal wrote nothing)."""

from __future__ import annotations

import re

from imv.models import OutgoingEmail
from tenants.models import AuditEvent, EndedMembership, Invitation, Membership, User

LINK = re.compile(r"(?P<base>\S*)/uitnodiging/(?P<token>[A-Za-z0-9_-]+)/")
PASSWORD = "een lang wachtwoord voor de test"


def written() -> dict[str, int]:
    """How many rows there are of everything an invitation, an acceptance or an ending writes."""
    return {
        "invitations": Invitation.objects.count(),
        "memberships": Membership.objects.count(),
        "ended": EndedMembership.objects.count(),
        "users": User.objects.count(),
        "active_users": User.objects.filter(is_active=True).count(),
        "audit": AuditEvent.objects.count(),
        "emails": OutgoingEmail.objects.count(),
        "accepted": Invitation.objects.exclude(accepted_at=None).count(),
        "revoked": Invitation.objects.exclude(revoked_at=None).count(),
        "hashes": hash(tuple(Invitation.objects.order_by("pk").values_list("token_hash", flat=True))),
    }


def invitation_mail(email: str) -> OutgoingEmail:
    """The newest invitation e-mail queued for this address."""
    return OutgoingEmail.objects.filter(to=email, subject__startswith="Uitnodiging voor").latest("pk")


def token_for(email: str) -> str:
    """The token in the newest invitation e-mail to this address (the link as the invitee gets it)."""
    match = LINK.search(invitation_mail(email).body)
    assert match is not None, invitation_mail(email).body
    return match["token"]
