"""The invitation link's page, /uitnodiging/<token>/ (Django test client): open without login, a form
for name and password, and a Dutch page for every link that no longer works."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tenants.models import Invitation, Role, User
from tenants.services import invitation_create, invitation_revoke
from tests.tenants.people_helpers import PASSWORD, token_for, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(coordinator, heemstede) -> Invitation:
    return invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)


def fields(**changes: str) -> dict[str, str]:
    return {"first_name": "Anna", "last_name": "de Vries", "password1": PASSWORD, "password2": PASSWORD, **changes}


def test_the_link_opens_a_dutch_form_without_login(invited):
    response = Client().get(f"/uitnodiging/{token_for('anna@heemstede.nl')}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="nl"' in body
    assert "U bent uitgenodigd als medewerker openbare orde en veiligheid van Heemstede." in body
    assert "Cora Coördinator" in body
    for label in ("Voornaam", "Achternaam", "Wachtwoord", "Wachtwoord nog een keer"):
        assert f">{label}</label>" in body
    assert "Uw wachtwoord moet minstens 12 tekens lang zijn." in body  # Django's validators, in Dutch


def test_accepting_signs_in_and_lands_on_the_municipality(invited):
    client = Client()

    response = client.post(f"/uitnodiging/{token_for('anna@heemstede.nl')}/", fields(), follow=True)

    assert response.redirect_chain[-1][0] == "/gemeenten/heemstede/"
    body = response.content.decode()
    assert "Ingelogd als Anna de Vries" in body
    assert "U logt voortaan in met de gebruikersnaam anna@heemstede.nl." in body
    assert User.objects.get(username="anna@heemstede.nl").memberships.get().role == Role.OOV


def test_a_regional_role_lands_on_the_regions_pages(adviser, noord_holland):
    invitation_create(actor=adviser, email="rbop@politie.example", role=Role.RBOP, police_unit=noord_holland)

    response = Client().post(f"/uitnodiging/{token_for('rbop@politie.example')}/", fields())

    assert response.status_code == 302
    assert response["Location"] == "/regio/imv/"


def test_the_form_refuses_in_dutch_and_writes_nothing(invited):
    before = written()

    response = Client().post(
        f"/uitnodiging/{token_for('anna@heemstede.nl')}/",
        fields(first_name="", password1="kort", password2="anders"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["first_name"] == ["Vul uw voornaam in."]
    assert errors["password2"] == ["De twee wachtwoorden zijn niet gelijk."]
    assert written() == before


def test_a_weak_password_is_refused_at_its_field(invited):
    before = written()

    response = Client().post(
        f"/uitnodiging/{token_for('anna@heemstede.nl')}/", fields(password1="kort", password2="kort")
    )

    assert response.context["form"].errors["password1"] == [
        "Dit wachtwoord is te kort: het moet minstens 12 tekens hebben."
    ]
    assert written() == before


def test_a_used_link_says_so(invited):
    token = token_for("anna@heemstede.nl")
    Client().post(f"/uitnodiging/{token}/", fields())
    before = written()

    response = Client().post(f"/uitnodiging/{token}/", fields(first_name="Iemand"))

    assert response.status_code == 409
    assert "Deze uitnodiging is al gebruikt." in response.content.decode()
    assert written() == before


def test_an_expired_link_says_so(invited):
    Invitation.objects.filter(pk=invited.pk).update(expires_at=timezone.now() - timedelta(days=1))

    response = Client().get(f"/uitnodiging/{token_for('anna@heemstede.nl')}/")

    assert response.status_code == 410
    assert "Deze uitnodiging is verlopen op" in response.content.decode()


def test_an_invalid_or_revoked_link_says_so(invited, coordinator):
    assert Client().get("/uitnodiging/verzonnen/").status_code == 404
    assert "Deze uitnodigingslink is ongeldig." in Client().get("/uitnodiging/verzonnen/").content.decode()
    token = token_for("anna@heemstede.nl")
    invitation_revoke(actor=coordinator, invitation=invited)

    response = Client().get(f"/uitnodiging/{token}/")

    assert response.status_code == 409
    assert "Deze uitnodiging is ingetrokken." in response.content.decode()


def test_someone_who_has_an_account_signs_in_and_accepts_with_one_button(invited, make_user, client_for, heemstede):
    existing = make_user(Role.GRIFFIE, heemstede, email="anna@heemstede.nl", first_name="Anna", last_name="Griffie")
    path = f"/uitnodiging/{token_for('anna@heemstede.nl')}/"

    anonymous = Client().get(path).content.decode()
    assert "Er is al een account met dit e-mailadres." in anonymous
    assert f'href="/inloggen/?next={path}"' in anonymous
    assert "first_name" not in anonymous

    client = client_for(existing)
    assert "Rol aanvaarden" in client.get(path).content.decode()
    response = client.post(path)

    assert response.status_code == 302
    assert {m.role for m in existing.memberships.all()} == {Role.GRIFFIE, Role.OOV}


def test_signed_in_as_someone_else_the_page_says_to_sign_out(invited, make_user, client_for):
    other = make_user(None, email="iemand@anders.nl")
    path = f"/uitnodiging/{token_for('anna@heemstede.nl')}/"
    before = written()

    page = client_for(other).get(path).content.decode()
    refused = client_for(other).post(path).content.decode()

    assert "Deze uitnodiging is voor anna@heemstede.nl, maar u bent ingelogd als" in page
    assert "Deze uitnodiging is voor anna@heemstede.nl. U bent ingelogd als" in refused
    assert written() == before
