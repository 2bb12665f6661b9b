"""Login, lockout, demo accounts, password reset and health: the doors of the portal."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core import mail
from django.test import Client, override_settings

from tenants.models import Role, User
from tests.test_quality import PRODUCTION_ENV, ROOT

pytestmark = pytest.mark.django_db


def test_login_page_is_dutch_and_public():
    response = Client().get("/inloggen/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="nl"' in body
    assert "Inloggen" in body
    assert "Wachtwoord vergeten?" in body


def test_login_with_wrong_password_says_so_in_dutch(make_user):
    user = make_user(None)
    response = Client().post("/inloggen/", {"username": user.username, "password": "fout"})
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()


def test_login_then_logout(make_user, heemstede):
    user = make_user(Role.OOV, heemstede)
    client = Client()
    response = client.post("/inloggen/", {"username": user.username, "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/uitloggen/")
    assert client.get("/").status_code == 302


def test_tenth_failure_locks_the_account_even_with_the_right_password(make_user):
    user = make_user(None)
    client = Client()
    for _ in range(10):
        client.post("/inloggen/", {"username": user.username, "password": "fout"})
    response = client.post("/inloggen/", {"username": user.username, "password": "correct horse battery"})
    assert response.status_code == 429
    assert "Account tijdelijk geblokkeerd" in response.content.decode()


@override_settings(DEMO_ACCOUNTS_ALLOWED=False)
def test_demo_accounts_cannot_log_in_with_production_rules(make_user):
    user = make_user(None, is_demo=True)
    response = Client().post("/inloggen/", {"username": user.username, "password": "correct horse battery"})
    assert response.status_code == 200  # the form again, not a redirect into the portal
    assert "_auth_user_id" not in Client().session


def test_demo_accounts_exist_with_one_role_each():
    roles = {u.username: {m.role for m in u.memberships.all()} for u in User.objects.filter(is_demo=True)}
    assert roles["adviseur"] == {Role.ADVISER}
    assert roles["heemstede-oov"] == {Role.OOV}
    assert roles["heemstede-griffie"] == {Role.GRIFFIE}
    assert roles["haarlem-oov"] == {Role.OOV}
    assert roles["rbop"] == {Role.RBOP}
    assert User.objects.get(username="beheerder").is_superuser


def test_password_reset_sends_a_dutch_mail(make_user):
    user = make_user(None, email="anna@example.nl")
    response = Client().post("/wachtwoord-vergeten/", {"email": "anna@example.nl"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "Nieuw wachtwoord" in mail.outbox[0].subject
    assert "/wachtwoord-herstellen/" in mail.outbox[0].body


def test_language_switch_to_english():
    client = Client()
    client.post("/taal/", {"language": "en", "next": "/inloggen/"})
    body = client.get("/inloggen/").content.decode()
    assert '<html lang="en"' in body


def test_production_cookies_are_host_prefixed_and_secure():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.DEMO_ACCOUNTS_ALLOWED, s.SESSION_COOKIE_AGE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **PRODUCTION_ENV},
        check=True,
    )
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "True", "True", "False", "28800"]


def test_health_reports_both_services_up():
    response = Client().get("/health")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "up"
    assert data["postgresql"]["status"] == "up"
    assert data["redis"]["status"] == "up"


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_health_is_degraded_not_down_when_redis_is_gone():
    response = Client().get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["redis"]["status"] == "down"


def test_pages_are_dutch_even_for_an_english_browser():
    body = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/inloggen/").content.decode()
    assert '<html lang="nl"' in body
    assert "Wachtwoord vergeten?" in body


def test_the_language_button_choice_wins():
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.post("/taal/", {"language": "en", "next": "/inloggen/"})
    assert '<html lang="en"' in client.get("/inloggen/").content.decode()


def test_refused_access_across_municipalities_is_logged_as_a_security_event(make_user, client_for, heemstede, caplog):
    client = client_for(make_user(Role.OOV, heemstede))
    with caplog.at_level("WARNING", logger="portal.security"):
        assert client.get("/gemeenten/haarlem/").status_code == 403
    events = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert len(events) == 1
    assert events[0].startswith("access_denied user=user")
    assert "path=/gemeenten/haarlem/" in events[0]
    assert "tenant=gm0392" in events[0]


def test_a_bad_api_token_is_logged_as_a_security_event(caplog):
    with caplog.at_level("WARNING", logger="portal.security"):
        Client().get("/api/v1/gemeenten", HTTP_AUTHORIZATION="Bearer nope")
    assert any(r.getMessage().startswith("api_authentication_failed") for r in caplog.records)


def test_help_text_is_escaped_unless_django_marked_it_safe():
    """A help text is text: markup in it is shown, not run. Django's own password rules come as
    safe HTML (a list) and stay a list."""
    from django import forms
    from django.contrib.auth.password_validation import password_validators_help_text_html
    from django.template.loader import render_to_string

    class Probe(forms.Form):
        plain = forms.CharField(help_text='<script>alert("x")</script>')
        rules = forms.CharField(help_text=password_validators_help_text_html())

    form = Probe()
    plain = render_to_string("registration/_field.html", {"field": form["plain"]})
    rules = render_to_string("registration/_field.html", {"field": form["rules"]})
    assert "<script>" not in plain
    assert "&lt;script&gt;" in plain
    assert "<ul>" in rules


def test_an_api_probe_of_another_municipality_is_a_404_and_a_security_event(
    make_user, api_client_for, heemstede, haarlem, caplog
):
    client = api_client_for(make_user(Role.OOV, heemstede))
    with caplog.at_level("WARNING", logger="portal.security"):
        probe = client.get(f"/api/v1/gemeenten/{haarlem.cbs_code}/prioriteiten")
        unknown = client.get("/api/v1/gemeenten/GM9999/prioriteiten")
    assert (probe.status_code, unknown.status_code) == (404, 404)  # the two look the same to the caller
    events = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert len(events) == 1  # a code that names no municipality is no probe of one
    assert events[0].startswith("api_other_municipality user=")
    assert "cbs_code=GM0392" in events[0]
