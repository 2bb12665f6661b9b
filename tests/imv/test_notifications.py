"""In-portal messages: a municipality's staff see theirs (and only theirs) and mark them read."""

from __future__ import annotations

import pytest

from imv.models import Notification
from tenants.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def heemstede_message(heemstede):
    return Notification.objects.create(
        municipality=heemstede, message="Herinnering: nog 7 dagen voor Heemstede", url="/gemeenten/heemstede/imv/"
    )


def test_staff_see_their_municipalitys_messages_and_the_unread_count(
    heemstede_message, heemstede, make_user, client_for
):
    client = client_for(make_user(Role.OOV, heemstede))
    page = client.get("/meldingen/").content.decode()
    assert "Herinnering: nog 7 dagen voor Heemstede" in page
    assert "Meldingen (1" in client.get("/").content.decode()


def test_another_municipality_neither_sees_nor_marks_them(heemstede_message, haarlem, make_user, client_for):
    client = client_for(make_user(Role.OOV, haarlem))
    assert "Heemstede" not in client.get("/meldingen/").content.decode()
    assert client.post(f"/meldingen/{heemstede_message.uuid}/gelezen/").status_code == 404
    assert not heemstede_message.reads.exists()


def test_marking_read_clears_the_count(heemstede_message, heemstede, make_user, client_for):
    client = client_for(make_user(Role.GRIFFIE, heemstede))
    assert client.post(f"/meldingen/{heemstede_message.uuid}/gelezen/").status_code == 302
    assert heemstede_message.reads.count() == 1
    assert "Meldingen (" not in client.get("/").content.decode()


def test_one_colleague_reading_does_not_clear_it_for_the_other(heemstede_message, heemstede, make_user, client_for):
    griffie, oov = client_for(make_user(Role.GRIFFIE, heemstede)), client_for(make_user(Role.OOV, heemstede))
    assert griffie.post(f"/meldingen/{heemstede_message.uuid}/gelezen/").status_code == 302
    assert "Meldingen (" not in griffie.get("/").content.decode()
    assert "Meldingen (1" in oov.get("/").content.decode()
    page = oov.get("/meldingen/").content.decode()
    assert "Markeer als gelezen" in page  # still unread for this colleague


def test_a_reminder_becomes_a_message_on_the_page(participation_of, heemstede, heemstede_staff, client_for):
    from datetime import timedelta

    from imv.clock import db_now
    from imv.services.reminders import reminders_send_due

    participation = participation_of(heemstede)
    participation.__class__.objects.filter(pk=participation.pk).update(deadline=db_now() + timedelta(days=6))
    reminders_send_due()
    page = client_for(heemstede_staff).get("/meldingen/").content.decode()
    assert "Heemstede" in page
