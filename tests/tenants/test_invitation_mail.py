"""The invitation as the invitee gets it: sent through the mail outbox (imv.mail), read from the
mailbox, its link followed and the invitation accepted through the page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client, override_settings

from imv.mail import mail_send
from imv.models import OutgoingEmail
from tenants.models import Role, User
from tests.tenants.people_helpers import LINK, PASSWORD

pytestmark = pytest.mark.django_db


@override_settings(PORTAL_BASE_URL="https://regioportaal.example.nl")
def test_the_invitee_follows_the_link_in_the_sent_mail_and_lands_on_the_municipality(client_for, coordinator):
    client_for(coordinator).post(
        "/mensen/uitnodigen/",
        {"email": "anna@heemstede.nl", "role": Role.OOV, "organisation": "gemeente-GM0397"},
    )
    queued = OutgoingEmail.objects.get(to="anna@heemstede.nl")

    assert mail_send(ids=[queued.pk]) == 1

    (sent,) = [m for m in mail.outbox if m.to == ["anna@heemstede.nl"]]
    assert sent.subject == "Uitnodiging voor het Regioportaal Veiligheid"
    assert "Cora Coördinator nodigt u uit" in sent.body
    assert "medewerker openbare orde en veiligheid van gemeente Heemstede" in sent.body
    match = LINK.search(str(sent.body))
    assert match is not None
    assert match["base"] == "https://regioportaal.example.nl"  # absolute: it works when clicked in a mail program
    path = urlsplit(match[0]).path

    invitee = Client()
    form = invitee.get(path)
    assert form.status_code == 200
    response = invitee.post(
        path,
        {"first_name": "Anna", "last_name": "de Vries", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/gemeenten/heemstede/"
    assert "Ingelogd als Anna de Vries" in response.content.decode()
    user = User.objects.get(email="anna@heemstede.nl")
    assert user.memberships.get().role == Role.OOV
    # The address is the username: signing in later works with what the invitee knows.
    assert Client().post("/inloggen/", {"username": "anna@heemstede.nl", "password": PASSWORD}).status_code == 302
    # And the link was used: a second visit is refused.
    assert invitee.get(path).status_code == 409
