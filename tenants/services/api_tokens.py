"""Writes for API clients: the bearer tokens bound to one membership."""

from __future__ import annotations

import secrets

from django.db import transaction

from tenants.models import ApiToken, Membership


@transaction.atomic
def api_token_create(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """Make a token for one membership. Returns the token and its key; the key is not stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(name=name, membership=membership, key_hash=ApiToken.hash_key(key))
    return token, key
