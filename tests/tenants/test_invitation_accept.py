"""Taking up an invitation (tenants.services.accounts.invitation_accept): the account, its name and
password, its role; and every link that no longer works is refused with nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.exceptions import PortalError
from tenants.models import AuditEvent, Invitation, Membership, Role, User
from tenants.services import invitation_accept, invitation_create, invitation_revoke
from tests.tenants.people_helpers import PASSWORD, token_for, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(coordinator, heemstede) -> Invitation:
    return invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)


def accept(
    token: str, *, first_name: str = "Anna", last_name: str = "de Vries", password: str = PASSWORD
) -> Membership:
    return invitation_accept(token=token, first_name=first_name, last_name=last_name, password=password)


def test_accepting_makes_an_account_with_name_address_and_password_and_the_role(invited, heemstede):
    membership = accept(token_for("anna@heemstede.nl"))

    user = membership.user
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "anna@heemstede.nl",
        "anna@heemstede.nl",
        "Anna",
        "de Vries",
    )
    assert user.is_active
    assert user.check_password(PASSWORD)
    assert (membership.role, membership.municipality) == (Role.OOV, heemstede)
    invited.refresh_from_db()
    assert invited.accepted_at is not None
    assert invited.user == user
    events = {(e.object_type, e.field, e.new_value) for e in AuditEvent.objects.filter(actor=user)}
    assert events == {
        ("gebruiker", "account", "anna@heemstede.nl"),
        ("rol", "rol", "anna@heemstede.nl: medewerker openbare orde en veiligheid van gemeente Heemstede"),
        ("uitnodiging", "status", "aanvaard"),
    }


def test_a_link_works_once(invited):
    token = token_for("anna@heemstede.nl")
    accept(token)
    before = written()

    with pytest.raises(PortalError) as refused:
        accept(token, first_name="Iemand", last_name="Anders")

    assert refused.value.status == 409
    assert refused.value.message == "Deze uitnodiging is al gebruikt. Log in met uw gebruikersnaam en wachtwoord."
    assert written() == before


def test_an_expired_link_is_refused(invited):
    Invitation.objects.filter(pk=invited.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    before = written()

    with pytest.raises(PortalError) as refused:
        accept(token_for("anna@heemstede.nl"))

    assert refused.value.status == 410
    assert refused.value.message.startswith("Deze uitnodiging is verlopen op ")
    assert "opnieuw te versturen" in refused.value.message
    assert written() == before


@pytest.mark.parametrize("token", ["", "niet-een-token", "x" * 43])
def test_an_invalid_link_is_refused(invited, token):
    before = written()

    with pytest.raises(PortalError) as refused:
        accept(token)

    assert refused.value.status == 404
    assert refused.value.message.startswith("Deze uitnodigingslink is ongeldig.")
    assert written() == before


def test_a_revoked_link_is_refused(invited, coordinator):
    invitation_revoke(actor=coordinator, invitation=invited)
    before = written()

    with pytest.raises(PortalError, match="ingetrokken"):
        accept(token_for("anna@heemstede.nl"))

    assert written() == before


def test_first_and_last_name_are_required(invited):
    before = written()

    with pytest.raises(PortalError) as refused:
        accept(token_for("anna@heemstede.nl"), first_name="  ", last_name="")

    assert refused.value.errors == {"first_name": ["Vul uw voornaam in."], "last_name": ["Vul uw achternaam in."]}
    assert written() == before


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort", "Dit wachtwoord is te kort: het moet minstens 12 tekens hebben."),
        ("123456789012345", "Dit wachtwoord bevat alleen cijfers."),
        ("anna@heemstede.nl", "lijkt te veel op"),
        ("", "Kies een wachtwoord."),
    ],
)
def test_the_password_must_pass_djangos_validators(invited, password, message):
    before = written()

    with pytest.raises(PortalError) as refused:
        accept(token_for("anna@heemstede.nl"), password=password)

    assert any(message in text for text in refused.value.errors["password"]), refused.value.errors
    assert written() == before


def test_an_active_account_with_the_address_signs_in_first(invited, make_user):
    existing = make_user(Role.GRIFFIE, invited.municipality, email="Anna@Heemstede.nl")
    before = written()

    with pytest.raises(PortalError) as refused:
        accept(token_for("anna@heemstede.nl"))

    assert refused.value.code == "account_exists"
    assert existing.username in refused.value.message
    assert written() == before


def test_signed_in_with_the_address_the_role_is_added_to_that_account(invited, make_user):
    existing = make_user(Role.GRIFFIE, invited.municipality, email="anna@heemstede.nl", first_name="Anna")

    membership = invitation_accept(token=token_for("anna@heemstede.nl"), user=existing)

    assert membership.user == existing
    assert {m.role for m in existing.memberships.all()} == {Role.GRIFFIE, Role.OOV}
    assert not User.objects.filter(username="anna@heemstede.nl").exists()


def test_signed_in_with_another_address_is_refused(invited, make_user):
    other = make_user(None, email="iemand@anders.nl")
    before = written()

    with pytest.raises(PortalError) as refused:
        invitation_accept(token=token_for("anna@heemstede.nl"), user=other)

    assert refused.value.status == 403
    assert "Deze uitnodiging is voor anna@heemstede.nl" in refused.value.message
    assert written() == before


def test_a_deactivated_account_with_the_address_is_switched_on_again_keeping_its_history(invited, make_user):
    former = make_user(None, email="anna@heemstede.nl", first_name="Anna", last_name="Oud", is_active=False)
    users = User.objects.count()

    membership = accept(token_for("anna@heemstede.nl"), last_name="Nieuw")

    assert membership.user == former
    former.refresh_from_db()
    assert former.is_active
    assert former.last_name == "Nieuw"
    assert former.check_password(PASSWORD)
    assert User.objects.count() == users
    assert AuditEvent.objects.filter(object_uuid=former.uuid, field="actief", new_value="ja").exists()


def test_once_accepted_the_address_cannot_be_invited_to_the_same_role_again(invited, coordinator, heemstede):
    accept(token_for("anna@heemstede.nl"))

    with pytest.raises(PortalError, match="is al medewerker openbare orde en veiligheid van gemeente Heemstede"):
        invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)


def test_a_taken_username_gets_another_one(invited):
    User.objects.create_user(username="Anna@heemstede.nl")  # an old account named like the address, without it

    membership = accept(token_for("anna@heemstede.nl"))

    assert membership.user.username.startswith("gebruiker-")
    assert membership.user.email == "anna@heemstede.nl"
