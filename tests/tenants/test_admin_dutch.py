"""The admin speaks Dutch: every name it shows from our models, and every string Django and
django-axes ship without Dutch, which frontend/locale_admin/nl translates.

tests/browser/test_admin.py reads every admin page in Chromium (with axe); these are the fast checks.
"""

from __future__ import annotations

import ast
import gettext
from datetime import timedelta
from pathlib import Path
from typing import Any

import axes
import django
import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.utils import timezone
from django.utils.functional import Promise

from tenants.models import Membership, Role, User
from tests.test_i18n import PoEntry, read_po

NL = Path(__file__).resolve().parents[2] / "frontend" / "locale_admin" / "nl" / "LC_MESSAGES"
DJANGO = Path(django.__file__).parent
DJANGO_CATALOGUES = ["conf", "contrib/admin", "contrib/auth", "contrib/contenttypes", "contrib/sessions"]
OUR_APPS = {"tenants", "imv", "municipalities"}


def _admin_models() -> set[Any]:
    models = set()
    for model, model_admin in admin.site._registry.items():
        models.add(model)
        models.update(inline.model for inline in model_admin.inlines)
    return models


def _translated(entries: list[PoEntry]) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in entries if e.msgid and not e.fuzzy and all(e.msgstrs.values())}


def _axes_msgids() -> set[str]:
    """Every literal string django-axes passes to gettext (it ships no Dutch catalogue)."""
    msgids = set()
    for source in Path(axes.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("_", "gettext", "gettext_lazy")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                msgids.add(node.args[0].value)
    return msgids


def test_every_field_and_app_the_admin_shows_has_a_dutch_name():
    unnamed = []
    for model in _admin_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if field.concrete and not field.auto_created and not isinstance(field.verbose_name, Promise):
                unnamed.append(f"{model._meta.label}.{field.name}")  # named after itself, in English
    assert unnamed == []
    for label in {model._meta.app_label for model in _admin_models()}:
        assert isinstance(apps.get_app_config(label).verbose_name, Promise), label


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_string_django_ships_for_the_admin_has_dutch(domain: str):
    ours = _translated(read_po(NL / f"{domain}.po"))
    missing = []
    for catalogue in DJANGO_CATALOGUES:
        english = DJANGO / catalogue / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        if not english.exists():
            continue
        dutch = _translated(read_po(DJANGO / catalogue / "locale" / "nl" / "LC_MESSAGES" / f"{domain}.po"))
        missing += [
            f"{catalogue}: {e.msgid!r}"
            for e in read_po(english)
            if e.msgid and (e.msgctxt, e.msgid) not in dutch | ours
        ]
    assert missing == []


def test_every_string_of_django_axes_has_dutch():
    ours = {msgid for _context, msgid in _translated(read_po(NL / "django.po"))}

    assert "Access Attempt" in _axes_msgids()  # the reading of axes' source finds its strings
    assert sorted(_axes_msgids() - ours) == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_dutch_catalogue_matches_its_po(domain: str):
    with (NL / f"{domain}.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in read_po(NL / f"{domain}.po"):
        if not entry.msgid:
            continue
        if entry.msgid_plural is None:
            assert compiled.gettext(entry.msgid) == entry.msgstrs[0], entry.msgid
        else:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstrs[0], entry.msgid
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstrs[1], entry.msgid


@pytest.fixture
def administrator(db: None, client_for: Any) -> Any:
    return client_for(User.objects.create_superuser(username="platformbeheer", password="correct horse battery"))


def test_the_user_form_names_roles_and_permissions_in_dutch(administrator, make_user, heemstede):
    user = make_user(Role.OOV, heemstede)

    html = administrator.get(f"/beheer/tenants/user/{user.pk}/change/").content.decode()

    for english in ("Police unit", "Municipality", "- Select an option -", "Can add", "Can change", "Can view"):
        assert english not in html
    assert '<label for="id_memberships-0-police_unit">Politie-eenheid:</label>' in html
    assert '<label for="id_memberships-0-municipality">Gemeente:</label>' in html
    assert "- Kies een optie -" in html
    assert "Organisaties en mensen | gemeente | wijzigen</option>" in html
    assert Membership.objects.get(user=user).municipality == heemstede


def test_the_access_attempt_pages_are_dutch(administrator):
    attempt = AccessAttempt.objects.create(
        username="iemand", ip_address="127.0.0.1", user_agent="Firefox", path_info="/inloggen/", failures_since_start=3
    )

    listing = administrator.get("/beheer/axes/accessattempt/").content.decode()
    form = administrator.get(f"/beheer/axes/accessattempt/{attempt.pk}/change/").content.decode()
    index = administrator.get("/beheer/").content.decode()

    assert "Inlogbeveiliging" in index
    assert ">Axes<" not in index
    for html in (listing, form):
        for english in ("Access attempt", "access attempt", "Attempt Time", "User Agent", "IP Address", "Attempted"):
            assert english not in html
    assert "Verlopen inlogpogingen opruimen" in listing
    assert "7 poging(en) over" in listing
    assert "Inlogpogingen van iemand, laatst op" in form


def test_the_access_attempt_clean_up_works_and_reports_in_dutch(administrator):
    old = AccessAttempt.objects.create(username="oud", ip_address="127.0.0.1", path_info="/", failures_since_start=1)
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(hours=2))  # cool-off: 1 h
    recent = AccessAttempt.objects.create(
        username="nieuw", ip_address="127.0.0.1", path_info="/", failures_since_start=1
    )

    response = administrator.post(
        "/beheer/axes/accessattempt/",
        {
            "action": "cleanup_expired_attempts",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )

    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == ["1 verlopen inlogpoging opgeruimd."]
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_date_picker_speaks_dutch(administrator):
    catalogue = administrator.get("/beheer/jsi18n/").content.decode()

    assert '"Today (%(date)s)": "Vandaag (%(date)s)"' in catalogue
    assert '"%(month)s %(day)s, %(year)s": "%(day)s %(month)s %(year)s"' in catalogue
