"""The adviser's reminder now: exactly who has not finished is reminded, audited; the adviser only,
and not twice in a row."""

from __future__ import annotations

import pytest
from django.core import mail

from imv import services
from imv.mail import mail_send
from imv.models import Notification, Reminder
from imv.services.reminders import reminders_send_now
from portal.exceptions import PortalError
from tenants.models import AuditEvent
from tests.imv.reminder_helpers import (
    _other_rounds_closed,  # noqa: F401 (autouse: closes every other round, for this module's tests)
    before,
    committed,
    mails_to,
    run,
    submit,
)


def test_reminders_send_now_returns_exactly_who_was_reminded(
    deadline, staff, participation_of, consultation, heemstede, bloemendaal, django_capture_on_commit_callbacks
):
    submit(participation_of(heemstede), staff["heemstede-oov"])
    services.participation_decline(
        actor=staff["bloemendaal-griffie"], participation=participation_of(bloemendaal), note="Geen zienswijze."
    )
    missing = list(
        consultation.participations.exclude(municipality__in=[heemstede, bloemendaal])
        .order_by("municipality__name")
        .values_list("municipality__name", flat=True)
    )
    mail_send()  # the submission's own e-mail to the advisers: not a reminder
    mail.outbox.clear()

    with committed(django_capture_on_commit_callbacks):
        reminded = reminders_send_now(actor=staff["adviseur"], consultation=consultation)

    assert [m.name for m in reminded] == missing
    assert "Haarlem" in missing
    reminders_made = Reminder.objects.filter(participation__round=consultation, manual=True)
    assert sorted(reminders_made.values_list("participation__municipality__name", flat=True)) == missing
    audited = AuditEvent.objects.filter(
        field="herinnering", object_uuid__in=consultation.participations.values_list("uuid", flat=True)
    )
    assert sorted(audited.values_list("municipality__name", flat=True)) == missing
    assert all(event.actor == staff["adviseur"] for event in audited)
    assert mails_to("oov@haarlem.example")
    assert not mails_to("oov@heemstede.example")
    assert not mails_to("griffie@bloemendaal.example")
    # The municipalities' reminders (the submission also told the adviser, personally: user, no municipality).
    reminded_in_portal = Notification.objects.filter(url__contains="/imv/", municipality__isnull=False)
    assert set(reminded_in_portal.values_list("municipality__name", flat=True)) == set(missing)


def test_reminders_send_now_is_for_the_adviser_only_and_not_twice_in_a_row(
    deadline, staff, consultation, django_capture_on_commit_callbacks
):
    with pytest.raises(PortalError) as info:
        reminders_send_now(actor=staff["haarlem-oov"], consultation=consultation)
    assert info.value.status == 403
    assert not Reminder.objects.filter(participation__round=consultation).exists()

    with committed(django_capture_on_commit_callbacks):
        reminded = reminders_send_now(actor=staff["adviseur"], consultation=consultation)
    mails = len(mail.outbox)
    with pytest.raises(PortalError) as info:
        reminders_send_now(actor=staff["adviseur"], consultation=consultation)
    assert info.value.code == "reminder_just_sent"
    assert Reminder.objects.filter(participation__round=consultation).count() == len(reminded)
    assert len(mail.outbox) == mails

    # A manual reminder does not stand in for the automatic ones.
    assert run(before(deadline, 13), django_capture_on_commit_callbacks)["Haarlem"] == 14
