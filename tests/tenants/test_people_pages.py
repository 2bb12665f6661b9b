"""The people pages under /mensen/ (Django test client): the list, inviting, sending again, revoking,
ending a role, and the start page that leads there."""

from __future__ import annotations

import pytest
from django.test import Client

from tenants.models import EndedMembership, Invitation, Membership, Role
from tenants.services import invitation_create, membership_end
from tests.tenants.people_helpers import token_for, written

pytestmark = pytest.mark.django_db


def test_the_list_shows_role_status_and_who_cannot_receive_reminders(client_for, coordinator, heemstede, make_user):
    make_user(Role.OOV, heemstede, first_name="Hans", last_name="Zonder", email="")
    gone = make_user(Role.GRIFFIE, heemstede, first_name="Greet", last_name="Weg", email="greet@heemstede.nl")
    membership_end(actor=coordinator, membership=gone.memberships.get())
    invitation_create(actor=coordinator, email="nieuw@heemstede.nl", role=Role.GRIFFIE, municipality=heemstede)

    response = client_for(coordinator).get("/mensen/")

    assert response.status_code == 200
    body = response.content.decode()
    assert '<caption class="utrecht-table__caption">Gemeente Heemstede</caption>' in body
    rows = {row.name or row.email: (row.role, row.status, row.reachable) for row in response.context["rows"]}
    assert rows["Cora Coördinator"] == ("coördinator", "actief", True)
    assert rows["Hans Zonder"] == ("medewerker openbare orde en veiligheid", "actief", False)
    assert rows["Greet Weg"] == ("griffie", "beëindigd", True)
    assert rows["nieuw@heemstede.nl"] == ("griffie", "uitgenodigd", True)
    assert "geen e-mailadres" in body
    assert "Eén persoon heeft geen e-mailadres en ontvangt dus geen herinneringen" in body
    assert "Opnieuw versturen" in body
    assert "Intrekken" in body
    assert "Rol beëindigen" in body


def test_the_adviser_sees_the_unit_and_the_administrator_everything(
    client_for, adviser, platform_admin, haarlem, utrecht_city, make_user
):
    make_user(Role.OOV, haarlem, first_name="Hanna", last_name="Haarlem")
    make_user(Role.OOV, utrecht_city, first_name="Ulla", last_name="Utrecht")

    adviser_rows = client_for(adviser).get("/mensen/").context["rows"]
    admin_rows = client_for(platform_admin).get("/mensen/").context["rows"]

    assert "Hanna Haarlem" in {r.name for r in adviser_rows}
    assert "Ulla Utrecht" not in {r.name for r in adviser_rows}
    assert {"Politie-eenheid Noord-Holland", "Gemeente Haarlem"} <= {r.organisation for r in adviser_rows}
    assert "Ulla Utrecht" in {r.name for r in admin_rows}


def test_the_list_narrows_to_one_organisation(client_for, adviser, heemstede, haarlem, make_user):
    make_user(Role.OOV, haarlem, first_name="Hanna", last_name="Haarlem")

    rows = client_for(adviser).get("/mensen/?organisatie=gemeente-GM0397").context["rows"]

    assert rows
    assert {r.organisation for r in rows} == {"Gemeente Heemstede"}


@pytest.mark.parametrize("path", ["/mensen/", "/mensen/uitnodigen/"])
def test_people_who_manage_no_one_are_refused(client_for, make_user, heemstede, path):
    response = client_for(make_user(Role.OOV, heemstede)).get(path)

    assert response.status_code == 403
    assert (
        "Alleen de beheerder, de adviseur en de coördinator van een gemeente beheren mensen"
        in response.content.decode()
    )


def test_the_people_pages_need_a_login():
    response = Client().get("/mensen/")

    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_the_invitation_form_offers_a_coordinator_only_the_own_municipality_and_its_roles(client_for, coordinator):
    form = client_for(coordinator).get("/mensen/uitnodigen/").context["form"]

    assert list(form.fields["organisation"].choices) == [("gemeente-GM0397", "Gemeente Heemstede")]
    assert [value for value, _label in form.fields["role"].choices] == [Role.OOV, Role.GRIFFIE, Role.COORDINATOR]


def test_inviting_through_the_page_sends_the_invitation(client_for, coordinator, heemstede):
    response = client_for(coordinator).post(
        "/mensen/uitnodigen/",
        {"email": "anna@heemstede.nl", "role": Role.GRIFFIE, "organisation": "gemeente-GM0397"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/mensen/?organisatie=gemeente-GM0397"
    assert "De uitnodiging is verstuurd naar anna@heemstede.nl. De link is 7 dagen geldig." in response.content.decode()
    invitation = Invitation.objects.get(email="anna@heemstede.nl")
    assert (invitation.role, invitation.municipality, invitation.invited_by) == (Role.GRIFFIE, heemstede, coordinator)
    assert token_for("anna@heemstede.nl")


def test_a_second_invitation_is_refused_on_the_page_with_a_button_to_send_the_first_again(
    client_for, coordinator, heemstede
):
    first = invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)
    before = written()

    response = client_for(coordinator).post(
        "/mensen/uitnodigen/", {"email": "anna@heemstede.nl", "role": Role.OOV, "organisation": "gemeente-GM0397"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Er staat al een uitnodiging open voor anna@heemstede.nl bij gemeente Heemstede" in body
    assert f'action="/mensen/uitnodigingen/{first.uuid}/opnieuw-versturen/"' in body
    assert "De open uitnodiging voor anna@heemstede.nl opnieuw versturen" in body
    assert written() == before


def test_the_invitation_form_says_what_is_wrong_in_dutch(client_for, coordinator):
    before = written()

    response = client_for(coordinator).post(
        "/mensen/uitnodigen/", {"email": "geen-adres", "role": "", "organisation": "gemeente-GM0397"}
    )

    errors = response.context["form"].errors
    assert errors["email"] == ["Vul een geldig e-mailadres in."]
    assert errors["role"] == ["Kies een rol."]
    assert written() == before


def test_sending_again_and_revoking_from_the_list(client_for, coordinator, heemstede):
    invitation = invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)
    first_token = token_for("anna@heemstede.nl")
    client = client_for(coordinator)

    resent = client.post(f"/mensen/uitnodigingen/{invitation.uuid}/opnieuw-versturen/", follow=True)
    assert "is opnieuw verstuurd, met een nieuwe link; de vorige werkt niet meer." in resent.content.decode()
    assert token_for("anna@heemstede.nl") != first_token

    revoked = client.post(f"/mensen/uitnodigingen/{invitation.uuid}/intrekken/", follow=True)
    assert "De uitnodiging voor anna@heemstede.nl is ingetrokken: de link werkt niet meer." in revoked.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None

    again = client.post(f"/mensen/uitnodigingen/{invitation.uuid}/intrekken/", follow=True)
    assert "Deze uitnodiging is ingetrokken." in again.content.decode()


def test_resend_and_revoke_take_post_only(client_for, coordinator, heemstede):
    invitation = invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)

    assert client_for(coordinator).get(f"/mensen/uitnodigingen/{invitation.uuid}/intrekken/").status_code == 405


def test_ending_a_role_asks_first_then_ends_it(client_for, coordinator, heemstede, make_user):
    person = make_user(Role.OOV, heemstede, first_name="Hans", last_name="Vertrek")
    membership = person.memberships.get()
    client = client_for(coordinator)
    path = f"/mensen/rollen/{membership.uuid}/beeindigen/"

    question = client.get(path)
    assert question.status_code == 200
    assert "De rol van Hans Vertrek beëindigen?" in question.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()

    done = client.post(path, follow=True)
    assert done.redirect_chain[-1][0] == "/mensen/?organisatie=gemeente-GM0397"
    assert "De rol van Hans Vertrek is beëindigd." in done.content.decode()
    assert EndedMembership.objects.filter(uuid=membership.uuid).exists()


def test_the_own_role_cannot_be_ended_on_the_page(client_for, coordinator):
    membership = coordinator.memberships.get()
    before = written()

    response = client_for(coordinator).post(f"/mensen/rollen/{membership.uuid}/beeindigen/")

    assert response.status_code == 200
    assert "U kunt uw eigen rol niet beëindigen" in response.content.decode()
    assert written() == before


# --- The start page -----------------------------------------------------------------------------
def test_the_administrators_start_page_links_to_what_they_can_do(client_for, platform_admin):
    body = client_for(platform_admin).get("/").content.decode()

    assert "Vraag de beheerder van het portaal om een rol" not in body
    assert "Beheer van het portaal" in body
    assert 'href="/mensen/uitnodigen/"' in body
    assert 'href="/mensen/"' in body
    assert 'href="/beheer/"' in body


def test_a_coordinators_start_page_links_to_the_people(client_for, coordinator, make_user, heemstede):
    assert 'href="/mensen/"' in client_for(coordinator).get("/").content.decode()
    assert 'href="/mensen/"' not in client_for(make_user(Role.OOV, heemstede)).get("/").content.decode()


def test_someone_without_any_role_is_still_told_to_ask_for_one(client_for, make_user):
    body = client_for(make_user(None)).get("/").content.decode()

    assert "Vraag de beheerder van het portaal om een rol" in body
    assert "Beheer van het portaal" not in body


def test_the_list_takes_as_many_queries_for_many_people_as_for_few(client_for, adviser, haarlem, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(adviser)
    client.get("/mensen/")  # the session and the caches of the first request
    with CaptureQueriesContext(connection) as few:
        client.get("/mensen/")
    for number in range(8):
        person = make_user(Role.OOV, haarlem, email=f"p{number}@haarlem.nl")
        invitation_create(actor=adviser, email=f"n{number}@haarlem.nl", role=Role.GRIFFIE, municipality=haarlem)
        if number % 2:
            membership_end(actor=adviser, membership=person.memberships.get())
    with CaptureQueriesContext(connection) as many:
        response = client.get("/mensen/")

    assert len(response.context["rows"]) >= 16
    # Nine queries (session, user, memberships, units, municipalities, the three lists, unread
    # messages), each after django-tenants' SET search_path.
    assert len(many) == len(few) <= 18, "\n".join(q["sql"][:160] for q in many.captured_queries)
