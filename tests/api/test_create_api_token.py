"""manage.py create_api_token: one token for one membership, its key printed once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from tenants.models import ApiToken, Membership, Role


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue()


def test_create_api_token_prints_a_key_that_authenticates(make_user, heemstede):
    user = make_user(Role.OOV, heemstede)

    output = run("--user", user.username, "--name", "koppeling zaaksysteem")

    token = ApiToken.objects.get(membership__user=user)
    assert token.name == "koppeling zaaksysteem"
    key = next(line for line in output.splitlines() if ApiToken.hash_key(line.strip()) == token.key_hash)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/gemeenten/GM0397/veiligheidsplannen").status_code == 200


def test_create_api_token_stores_only_the_hash_of_the_key(make_user, heemstede):
    user = make_user(Role.GRIFFIE, heemstede)

    output = run("--user", user.username, "--name", "test")

    token = ApiToken.objects.get(membership__user=user)
    assert token.key_hash not in output
    assert len(token.key_hash) == 64


def test_create_api_token_chooses_membership_by_role_and_gemeente(make_user, heemstede, haarlem):
    user = make_user(Role.OOV, heemstede)
    Membership.objects.create(user=user, role=Role.OOV, municipality=haarlem)
    Membership.objects.create(user=user, role=Role.GRIFFIE, municipality=haarlem)

    run("--user", user.username, "--role", "oov", "--gemeente", "gm0392", "--name", "haarlem")

    token = ApiToken.objects.get(membership__user=user)
    assert (token.membership.role, token.membership.municipality) == (Role.OOV, haarlem)


def test_create_api_token_for_regional_role_binds_the_police_unit(make_user, noord_holland):
    user = make_user(Role.RBOP)

    run("--user", user.username, "--name", "dashboard")

    assert ApiToken.objects.get(membership__user=user).membership.police_unit == noord_holland


def test_create_api_token_refuses_unknown_user(db):
    with pytest.raises(CommandError, match="geen gebruiker"):
        run("--user", "niemand", "--name", "x")
    assert not ApiToken.objects.exists()


def test_create_api_token_refuses_user_without_membership(make_user):
    user = make_user(None)

    with pytest.raises(CommandError, match="heeft geen rol"):
        run("--user", user.username, "--name", "x")


def test_create_api_token_refuses_when_no_membership_matches(make_user, heemstede):
    user = make_user(Role.OOV, heemstede)

    with pytest.raises(CommandError, match="geen rol met gemeente GM0392"):
        run("--user", user.username, "--gemeente", "GM0392", "--name", "x")


def test_create_api_token_refuses_ambiguous_membership_and_lists_the_choices(make_user, heemstede, haarlem):
    user = make_user(Role.OOV, heemstede)
    Membership.objects.create(user=user, role=Role.OOV, municipality=haarlem)

    with pytest.raises(CommandError, match="2 rollen") as error:
        run("--user", user.username, "--role", "oov", "--name", "x")

    assert "--gemeente GM0397" in str(error.value)
    assert "--gemeente GM0392" in str(error.value)
    assert not ApiToken.objects.exists()


def test_create_api_token_refuses_inactive_user(make_user, heemstede):
    user = make_user(Role.OOV, heemstede, is_active=False)

    with pytest.raises(CommandError, match="niet actief"):
        run("--user", user.username, "--name", "x")


def test_create_api_token_requires_a_name(make_user, heemstede):
    user = make_user(Role.OOV, heemstede)

    with pytest.raises(CommandError, match="--name"):
        run("--user", user.username)
    with pytest.raises(CommandError, match="naam"):
        run("--user", user.username, "--name", "  ")


def test_create_api_token_refuses_unknown_role(make_user, heemstede):
    user = make_user(Role.OOV, heemstede)

    with pytest.raises(CommandError, match="--role"):
        run("--user", user.username, "--role", "burgemeester", "--name", "x")
