"""Writes of tenants: municipalities and their reference data, API tokens, and people (invitations,
ending a role). One module per subject; everything is importable from ``tenants.services``."""

from tenants.services.accounts import invitation_accept
from tenants.services.api_tokens import api_token_create
from tenants.services.invitations import (
    INVITATION_VALID,
    InvitationOpenError,
    email_normalise,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from tenants.services.memberships import membership_end
from tenants.services.municipalities import municipality_create, police_unit_get_or_create, region_load, region_plan

__all__ = [
    "INVITATION_VALID",
    "InvitationOpenError",
    "api_token_create",
    "email_normalise",
    "invitation_accept",
    "invitation_create",
    "invitation_resend",
    "invitation_revoke",
    "membership_end",
    "municipality_create",
    "police_unit_get_or_create",
    "region_load",
    "region_plan",
]
