"""The password rules speak Dutch on Dutch pages (portal.passwords), also where Django's own
catalogue lags behind its wording."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db


def test_a_short_new_password_is_refused_in_dutch(make_user):
    user = make_user(None, email="anna@example.nl")
    client = Client()
    link = f"/wachtwoord-herstellen/{urlsafe_base64_encode(force_bytes(user.pk))}/"
    form = client.get(link + default_token_generator.make_token(user) + "/", follow=True)
    assert form.status_code == 200

    response = client.post(form.redirect_chain[-1][0], {"new_password1": "kort", "new_password2": "kort"})

    body = response.content.decode()
    assert "Dit wachtwoord is te kort: het moet minstens 12 tekens hebben." in body
    assert "This password is too short" not in body
