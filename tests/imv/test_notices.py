"""Who hears what, by message and e-mail: the invitation when a round opens, the adviser on every
extension request, the municipality on every decision on it. Every link in an e-mail is absolute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings

from imv import services
from imv.clock import dutch_moment
from imv.models import Notification, OutgoingEmail
from tenants.models import Role
from tests.factories import round_open_for_test

pytestmark = pytest.mark.django_db

BASE = "https://regioportaal.example.nl"


@pytest.fixture
def people(make_user, heemstede, haarlem):
    return {
        "adviser": make_user(Role.ADVISER, email="adviseur@regio.example"),
        "oov": make_user(Role.OOV, municipality=heemstede, email="oov@heemstede.example"),
        "griffie": make_user(Role.GRIFFIE, municipality=heemstede, email="griffie@heemstede.example"),
        "haarlem": make_user(Role.OOV, municipality=haarlem, email="oov@haarlem.example"),
    }


@override_settings(PORTAL_BASE_URL=BASE)
def test_opening_a_round_invites_every_municipality_with_deadline_version_and_link(cycle, people, heemstede, haarlem):
    consultation = round_open_for_test(actor=people["adviser"], cycle=cycle, label="Concept 2", invitations=True)

    invited = set(consultation.participations.values_list("municipality_id", flat=True))
    messages = Notification.objects.filter(message__startswith="Uitnodiging")
    assert set(messages.values_list("municipality_id", flat=True)) == invited
    message = messages.get(municipality=heemstede)
    assert "Concept 2" in message.message
    assert dutch_moment(consultation.deadline) in message.message
    assert message.url == f"/gemeenten/{heemstede.slug}/imv/{consultation.uuid}/"
    mails = {m.to: m for m in OutgoingEmail.objects.filter(subject__startswith="Uitnodiging")}
    assert {"oov@heemstede.example", "griffie@heemstede.example", "oov@haarlem.example"} <= set(mails)
    body = mails["oov@heemstede.example"].body
    assert f"{BASE}/gemeenten/{heemstede.slug}/imv/{consultation.uuid}/" in body
    assert "Heemstede" in body
    assert "Haarlem" not in body  # each municipality's invitation is its own


@override_settings(PORTAL_BASE_URL=BASE)
def test_the_adviser_hears_of_a_request_and_the_municipality_of_the_decision(cycle, people, heemstede):
    consultation = round_open_for_test(actor=people["adviser"], cycle=cycle, label="Concept 2", invitations=True)
    p = consultation.participations.get(municipality=heemstede)
    request = services.extension_request(
        actor=people["oov"],
        participation=p,
        reason="De raad vergadert later.",
        requested_deadline=p.deadline + timedelta(days=7),
    )

    to_adviser = Notification.objects.get(user=people["adviser"], message__contains="vraagt uitstel")
    assert "Heemstede" in to_adviser.message
    assert str(consultation) in to_adviser.message
    mail = OutgoingEmail.objects.get(to="adviseur@regio.example", subject__startswith="Uitstelverzoek")
    assert f"{BASE}/regio/imv/uitstelverzoeken/{request.uuid}/" in mail.body
    assert "De raad vergadert later." in mail.body

    services.extension_decide(actor=people["adviser"], request=request, grant=True, note="Akkoord.")

    decided = Notification.objects.get(municipality=heemstede, message__contains="uitstelverzoek")
    assert "toegekend" in decided.message
    mails = OutgoingEmail.objects.filter(subject__startswith="Besluit over uitstel")
    addresses = set(mails.values_list("to", flat=True))
    assert {"oov@heemstede.example", "griffie@heemstede.example"} <= addresses
    assert "oov@haarlem.example" not in addresses  # only the municipality the decision is about
    assert all("Toelichting van de adviseur: Akkoord." in body for body in mails.values_list("body", flat=True))


def test_a_message_names_its_round_and_municipality_on_the_messages_page(cycle, people, heemstede, client_for):
    consultation = round_open_for_test(actor=people["adviser"], cycle=cycle, label="Concept 3", invitations=True)
    p = consultation.participations.get(municipality=heemstede)
    services.extension_request(
        actor=people["oov"], participation=p, reason="Later.", requested_deadline=p.deadline + timedelta(days=3)
    )
    notice = Notification.objects.get(user=people["adviser"], message__contains="vraagt uitstel")
    assert (notice.about, notice.round) == (heemstede, consultation)
    page = client_for(people["adviser"]).get("/meldingen/").content.decode()
    row = page[page.index("vraagt uitstel") - 600 : page.index("vraagt uitstel")]
    assert '<td class="utrecht-table__cell">Heemstede</td>' in row
    assert str(consultation) in row
