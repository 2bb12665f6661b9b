"""Every validation message of the API is Dutch, named by the field as the API spells it.

DRF's own messages come from its catalogue; where DRF's Dutch is missing ("Must be a valid UUID.") or
half English ("Date heeft het verkeerde formaat") the portal's Dutch catalogue (frontend/locale/nl)
has its own words. A message counts as English when it is one of DRF's English msgids or holds a word
of them that is not also Dutch or a technical name.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

import django
import pytest
import rest_framework
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_tenants.utils import schema_context
from rest_framework import serializers

from api.v1.common import StrictInputSerializer
from municipalities.models import ImplementationPlan, Priority, SafetyPlan
from tenants.models import Role
from tests.api.test_errors import assert_problem
from tests.test_i18n import read_po

DRF_EN = Path(rest_framework.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.mo"
DJANGO_NL = Path(django.__file__).parent / "conf" / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
NL_CATALOG = Path(__file__).resolve().parents[2] / "frontend" / "locale" / "nl" / "LC_MESSAGES"
# Words of DRF's msgids that are Dutch as well, or names of formats and types.
ALSO_DUTCH = {"json", "null", "uuid", "object", "header", "string", "form", "data", "letters", "token", "extra", "type"}
UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


def drf_msgids() -> list[str]:
    with DRF_EN.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    return [key for key in catalog if isinstance(key, str) and key]


MSGIDS = drf_msgids()
PATTERNS = [re.compile(re.sub(r"\\\{[^}]*\\\}", ".*", re.escape(msgid))) for msgid in MSGIDS]
ENGLISH = {w.lower() for m in MSGIDS for w in re.findall(r"[A-Za-z]{4,}", re.sub(r"\{[^}]*\}", "", m))} - ALSO_DUTCH


def english_in(text: str) -> list[str]:
    found = [p.pattern for p in PATTERNS if p.fullmatch(text)]
    words = re.findall(r"[A-Za-z]+", re.sub(r"\{[^}]*\}", "", text))  # a {placeholder} is no text
    return found + sorted({w for w in words if w.lower() in ENGLISH})


def assert_dutch_problem(response: Any, names: set[str]) -> None:
    body = assert_problem(response, 400)
    reasons = {(p["name"], p["reason"]) for p in body["invalidParams"]}
    assert {name for name, _reason in reasons} == names, reasons
    english = {reason: english_in(reason) for _name, reason in reasons if english_in(reason)}
    assert not english, english


@pytest.fixture
def oov(make_user, api_client_for, heemstede):
    return api_client_for(make_user(Role.OOV, heemstede))


@pytest.fixture
def local(heemstede, local_content):
    with schema_context(heemstede.schema_name):
        return {
            "plan": SafetyPlan.objects.first(),
            "priority": Priority.objects.first(),
            "yearly": ImplementationPlan.objects.first(),
        }


def test_submission_with_wrong_uuid_choice_null_and_type_is_refused_in_dutch(oov):
    body = {"deelname": "geen-uuid", "standpunt": "misschien", "toelichting": None, "standpunten": "geen lijst"}

    response = oov.post("/api/v1/zienswijzen", body, format="json")

    assert_dutch_problem(response, {"deelname", "standpunt", "toelichting", "standpunten"})


def test_submission_with_missing_fields_and_broken_points_is_refused_in_dutch(oov):
    body = {"standpunten": [{"thema": [1], "standpunt": [], "toelichting": "x" * 100_000, "extra": 1}, "tekst"]}

    response = oov.post("/api/v1/zienswijzen", body, format="json")

    assert_dutch_problem(
        response,
        {
            "deelname",
            "standpunt",
            "standpunten.0.thema",
            "standpunten.0.standpunt",
            "standpunten.0.toelichting",
            "standpunten.0.extra",
            "standpunten.1",
        },
    )


def test_body_that_is_no_object_is_refused_in_dutch(oov):
    assert_dutch_problem(oov.post("/api/v1/uitstelverzoeken", [1, 2], format="json"), {"nonFieldErrors"})


def test_extension_request_with_blank_reason_and_bad_moment_is_refused_in_dutch(oov):
    body = {"deelname": UUID, "reden": "", "gevraagdUitersteMoment": "morgen"}

    response = oov.post("/api/v1/uitstelverzoeken", body, format="json")

    assert_dutch_problem(response, {"reden", "gevraagdUitersteMoment"})


def test_meeting_dates_with_bad_date_and_type_are_refused_in_dutch(oov, participation_of, heemstede):
    url = f"/api/v1/deelnames/{participation_of(heemstede).uuid}"
    body = {"commissievergadering": "31-03-2025", "raadsvergadering": 20250331}

    response = oov.patch(url, body, format="json", HTTP_IF_MATCH=oov.get(url)["ETag"])

    assert_dutch_problem(response, {"commissievergadering", "raadsvergadering"})


def test_priority_too_long_bad_choice_null_and_bad_list_items_are_refused_in_dutch(oov, heemstede, local):
    body = {"veiligheidsplan": "x", "titel": "x" * 201, "veiligheidsveld": "Z", "thema": None, "imvThemas": ["a", 1.5]}

    response = oov.post("/api/v1/gemeenten/GM0397/prioriteiten", body, format="json")

    assert_dutch_problem(
        response, {"veiligheidsplan", "titel", "veiligheidsveld", "thema", "imvThemas.0", "imvThemas.1"}
    )


def test_indicator_with_bad_numbers_and_years_is_refused_in_dutch(oov, local):
    body = {
        "prioriteit": str(local["priority"].uuid),
        "naam": "Aangiften",
        "eenheid": "aantal",
        "nulmeting": "veel",
        "jaarNulmeting": "twintig",
        "streefwaarde": 12345678901.5,
        "metingen": [{"jaar": 1800, "waarde": 1.234}],
    }

    response = oov.post("/api/v1/gemeenten/GM0397/indicatoren", body, format="json")

    assert_dutch_problem(
        response, {"nulmeting", "jaarNulmeting", "streefwaarde", "metingen.0.jaar", "metingen.0.waarde"}
    )


def test_action_with_blank_wrong_type_bad_date_and_choice_is_refused_in_dutch(oov, local):
    url = f"/api/v1/gemeenten/GM0397/uitvoeringsplannen/{local['yearly'].uuid}/acties"
    body = {"titel": "", "trekker": True, "deadline": "2025-13-01", "kosten": "gratis", "status": "klaar"}

    response = oov.post(url, body, format="json")

    assert_dutch_problem(response, {"titel", "trekker", "deadline", "kosten", "status"})


def test_council_decision_form_with_bad_values_is_refused_in_dutch(oov, participation_of, heemstede):
    url = f"/api/v1/deelnames/{participation_of(heemstede).uuid}"
    form = {
        "datum": "gisteren",
        "zaaknummer": "",
        "openbaarheid": "geheim",
        "wooCategorie": "https://identifier.overheid.nl/onbekend",
        "document": SimpleUploadedFile("leeg.pdf", b"", content_type="application/pdf"),
    }

    response = oov.put(f"{url}/raadsbesluit", form, format="multipart", HTTP_IF_MATCH=oov.get(url)["ETag"])

    assert_dutch_problem(response, {"datum", "zaaknummer", "openbaarheid", "wooCategorie", "document"})


def test_extension_decision_with_bad_choice_and_moment_is_refused_in_dutch(api_client_for, adviser, busy_round):
    client = api_client_for(adviser)
    url = client.get("/api/v1/uitstelverzoeken").json()["results"][0]["_links"]["self"]["href"]
    body = {"status": "misschien", "nieuwUitersteMoment": "2025-02-30T10:00", "toelichting": ["lijst"]}

    response = client.patch(url, body, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])

    assert_dutch_problem(response, {"status", "nieuwUitersteMoment", "toelichting"})


def input_serializers() -> list[type[StrictInputSerializer]]:
    import api.v1.urls  # noqa: F401 (imports every resource module, and with them every input serializer)

    found, todo = [], [StrictInputSerializer]
    while todo:
        for subclass in todo.pop().__subclasses__():
            found.append(subclass)
            todo.append(subclass)
    return found


def field_messages(field: Any, name: str) -> list[tuple[str, str]]:
    """(field, message) for every error message ``field`` and what it holds could give."""
    messages = [(name, str(text)) for text in getattr(field, "error_messages", {}).values()]
    if isinstance(field, serializers.ListSerializer | serializers.ListField):
        messages += field_messages(field.child, f"{name}.0")
    if isinstance(field, serializers.Serializer):
        for child_name, child in field.fields.items():
            messages += field_messages(child, f"{name}.{child_name}")
    return messages


def test_every_error_message_of_every_input_field_is_dutch():
    serializer_classes = input_serializers()
    assert len(serializer_classes) > 15

    with translation.override("nl"):
        messages = [m for cls in serializer_classes for m in field_messages(cls(), cls.__name__)]
        english = {f"{name}: {text}": english_in(text) for name, text in messages if english_in(text)}

    assert len(messages) > 200
    assert not english, english


def test_the_dutch_catalogue_is_compiled_from_its_po():
    with (NL_CATALOG / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    entries = [e for e in read_po(NL_CATALOG / "django.po") if e.msgid]

    assert {e.msgid: e.msgstrs[0] for e in entries} == {k: v for k, v in compiled.items() if k}
    assert {e.msgid for e in entries} <= set(MSGIDS), "an msgid DRF does not have"
    with DJANGO_NL.open("rb") as mo:
        django_msgids = set(gettext.GNUTranslations(mo)._catalog)  # type: ignore[attr-defined]
    assert not {e.msgid for e in entries} & django_msgids, "Django's forms use it too: the pages would change"
