"""Notification recipients: A's reminders reach A's staff only, by e-mail and on /meldingen/.

A reminder is a Notification row for one municipality plus one e-mail per staff member
(imv.services.reminders); the messages page and the unread count in every page's header list the
notifications of the municipalities whose staff the reader is (imv.selectors).
Seen to fail: with the municipality dropped from the recipients query in imv.services.reminders._remind
(memberships__role__in only), A's e-mail also went to B's staff; with the municipality filter
dropped from notification_list, B's page showed A's reminder and B's header counted it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail

from imv import services
from imv.clock import db_now
from imv.mail import mail_send
from imv.models import Notification, Participation, Position
from imv.tasks import reminders_send_due_task
from tenants.models import MUNICIPAL_ROLES, User
from tests.api.conftest import adopt

pytestmark = pytest.mark.django_db

UNREAD = re.compile(r"Meldingen \((\d+)")


def unread_in_header(client) -> int:
    match = UNREAD.search(client.get("/").content.decode())
    return int(match[1]) if match else 0


def staff_emails(municipality) -> set[str]:
    """The e-mail addresses of the municipality's own staff (OOV, griffie), read from their memberships."""
    return set(
        User.objects.filter(memberships__municipality=municipality, memberships__role__in=MUNICIPAL_ROLES)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def mails_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def test_reminders_reach_only_their_own_municipalitys_staff(
    only_round, participation_of, side_a, side_b, adviser, client_for, django_capture_on_commit_callbacks
):
    soon = db_now() + timedelta(days=6)
    Participation.objects.filter(
        pk__in=[participation_of(side_a.municipality).pk, participation_of(side_b.municipality).pk]
    ).update(deadline=soon)
    Participation.objects.filter(round=only_round).exclude(
        municipality__in=[side_a.municipality, side_b.municipality]
    ).update(deadline=db_now() + timedelta(days=25))

    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_due_task.apply().get() == 2
    mail_send()  # the mail outbox (imv.mail), which a worker sends, into the locmem mailbox

    for own, other in ((side_a, side_b), (side_b, side_a)):
        # E-mail: one message per person, naming only the own municipality.
        for person in (own.oov, own.griffie):
            received = mails_to(person.email)
            assert len(received) == 1, person.email
            assert received[0].to == [person.email]
            assert own.municipality.name in received[0].subject
            assert other.municipality.name not in received[0].subject
            assert other.municipality.name not in received[0].body
        # The page and the header, as a real request of each staff member.
        reminder = Notification.objects.get(municipality=own.municipality, created_at__gte=only_round.opened_at)
        other_reminder = Notification.objects.get(municipality=other.municipality, created_at__gte=only_round.opened_at)
        assert reminder.url == f"/gemeenten/{own.municipality.slug}/imv/"
        for person in (own.oov, own.griffie):
            client = client_for(person)
            page = client.get("/meldingen/").content.decode()
            assert str(reminder.uuid) in page
            assert str(other_reminder.uuid) not in page
            assert other.municipality.name not in page
            expected = Notification.objects.filter(municipality=own.municipality).exclude(reads__user=person).count()
            assert unread_in_header(client) == expected >= 1

    # Every mail (the demo's staff get theirs too) went to staff of the municipality it names only.
    for message in mail.outbox:
        named = side_a if side_a.municipality.name in message.subject else side_b
        other = side_b if named is side_a else side_a
        assert message.to[0] in staff_emails(named.municipality)
        assert message.to[0] not in staff_emails(other.municipality)
    assert {m.to[0] for m in mail.outbox} == staff_emails(side_a.municipality) | staff_emails(side_b.municipality)
    # The region's adviser is staff of no municipality: neither reminder is on their page.
    adviser_page = client_for(adviser).get("/meldingen/").content.decode()
    assert not any(
        str(n.uuid) in adviser_page for n in Notification.objects.filter(created_at__gte=only_round.opened_at)
    )


def test_the_advisers_button_reminds_b_only_when_a_has_submitted(
    only_round,
    participation_of,
    side_a,
    side_b,
    bloemendaal,
    adviser,
    top_themes,
    client_for,
    django_capture_on_commit_callbacks,
):
    services.opinion_submit(
        actor=side_a.oov,
        participation=adopt(participation_of(side_a.municipality), side_a.oov),
        overall_position=Position.SUPPORTS,
        overall_text="Zienswijze van A.",
        points=[services.PointInput(theme=t, position=Position.SUPPORTS, text="") for t in top_themes],
    )
    a_before = unread_in_header(client_for(side_a.oov))
    mail_send()  # A's submission tells the region's adviser: not a reminder
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(adviser).post(f"/regio/imv/rondes/{only_round.uuid}/herinneren/")
    assert response.status_code == 302
    mail_send()

    assert mails_to(side_a.oov.email) == mails_to(side_a.griffie.email) == []
    assert {m.to[0] for m in mail.outbox} == staff_emails(side_b.municipality) | staff_emails(bloemendaal)
    assert all(side_a.municipality.name not in m.subject for m in mail.outbox)
    assert unread_in_header(client_for(side_a.oov)) == a_before
    assert unread_in_header(client_for(side_b.oov)) >= 1


def test_b_cannot_mark_as_notification_read(only_round, side_a, side_b, client_for):
    reminder = Notification.objects.create(municipality=side_a.municipality, message="Herinnering voor A", url="/")
    assert client_for(side_b.oov).post(f"/meldingen/{reminder.uuid}/gelezen/").status_code == 404
    assert not reminder.reads.exists()
    assert client_for(side_a.oov).post(f"/meldingen/{reminder.uuid}/gelezen/").status_code == 302
    assert list(reminder.reads.values_list("user", flat=True)) == [side_a.oov.pk]
