"""The role matrix of tests/api/role_matrix.txt as data, and the request of one of its cells: the callers
(columns), the operations (rows), the bodies and query parameters the writes send, and how a path
template becomes Heemstede's concrete path. Used by test_role_matrix.py, whose docstring explains it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from rest_framework.test import APIClient

from imv.clock import amsterdam_date, db_now
from imv.demo import minimal_pdf
from imv.models import ExtensionStatus, ImvCycle, Openbaarheid, Participation, Theme, WooCategory
from municipalities.models import ActionStatus, Priority
from tenants.models import Role
from tests.api.conftest import opinion_body

API = "/api/v1"
MATRIX_FILE = Path(__file__).with_name("role_matrix.txt")
OPENAPI_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
# The methods a client may try on any path; those the document does not list must be 405.
TRIED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CHANGES_IN_PLACE = ("PUT", "PATCH", "DELETE")
PLAN_PART = "/gemeenten/{cbs_code}/veiligheidsplannen/{veiligheidsplan_uuid}"
# File uploads: multipart/form-data, not JSON.
MULTIPART = {
    ("PUT", "/deelnames/{uuid}/raadsbesluit"),
    ("POST", f"{PLAN_PART}/raadsbesluiten"),
    ("PATCH", f"{PLAN_PART}/raadsbesluiten/{{uuid}}"),
}
PROBLEM = "application/problem+json"

OWN, OTHER = "GM0397", "GM0392"  # Heemstede, whose objects every path names; Haarlem
# How each column of the matrix is made: (role, municipality) or None for no token. Regional roles
# belong to the police unit Noord-Holland.
CALLERS: dict[str, tuple[Role, str | None] | None] = {
    "anoniem": None,
    "adviseur": (Role.ADVISER, None),
    "rbop": (Role.RBOP, None),
    "oov": (Role.OOV, OWN),
    "griffie": (Role.GRIFFIE, OWN),
    "oov-ander": (Role.OOV, OTHER),
}
OWN_STAFF, OTHER_STAFF = "oov", "oov-ander"

Operation = tuple[str, str]  # ("GET", "/gemeenten/{cbs_code}")


def load_matrix(path: Path) -> tuple[tuple[str, ...], dict[Operation, dict[str, int]]]:
    """The callers (from the '# operation' header line) and {operation: {caller: status}} of the table."""
    callers: tuple[str, ...] = ()
    rows: dict[Operation, dict[str, int]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path.name}:{number}"
        if line.startswith("# operation"):
            callers = tuple(line.split()[2:])
            continue
        if not line.strip() or line.startswith("#"):
            continue
        method, template, *cells = line.split()
        if not callers:
            raise ValueError(f"{where}: the header line '# operation <callers>' must come before the rows")
        if method not in OPENAPI_METHODS or not template.startswith("/"):
            raise ValueError(f"{where}: a row is METHOD /path/template followed by the statuses, not {line!r}")
        if len(cells) != len(callers) or not all(re.fullmatch(r"[1-5][0-9][0-9]", c) for c in cells):
            raise ValueError(f"{where}: give one status (three digits) for each of {', '.join(callers)}")
        if (method, template) in rows:
            raise ValueError(f"{where}: {method} {template} has a row already")
        rows[(method, template)] = dict(zip(callers, map(int, cells), strict=True))
    return callers, rows


MATRIX_CALLERS, MATRIX = load_matrix(MATRIX_FILE)
CELLS = [(operation, caller) for operation in MATRIX for caller in MATRIX_CALLERS]
UNLISTED = [
    (method, template)
    for template in sorted({template for _method, template in MATRIX})
    for method in TRIED_METHODS
    if (method, template) not in MATRIX
]


def operation_id(operation: Operation) -> str:
    return f"{operation[0]} {operation[1]}"


# --- What a request carries besides the path -------------------------------------------------------
@dataclass(frozen=True)
class World:
    """The module's data set: tokens, path parameter values and what the bodies refer to."""

    document: dict[str, Any]
    keys: dict[str, str | None]  # caller → API token (None: anonymous)
    path_values: dict[str, str]  # path segment → the value of the parameter that follows it
    etags: dict[str, str]  # concrete path → the ETag a GET of it gave Heemstede's OOV
    private_uuids: frozenset[str]  # Heemstede's own rows: never in an answer to another municipality
    cycle: ImvCycle
    themes: list[Theme]
    priority: Priority  # of the plan in path_values; its field and theme make a valid new priority
    ready: Participation  # Heemstede's, adopted, nothing submitted and no open request: the POSTs use it


# Bodies the municipality's own staff succeed with. None: the write sends no body.
BODIES: dict[Operation, Callable[[World], dict[str, Any]] | None] = {
    ("POST", "/gemeenten/{cbs_code}/veiligheidsplannen"): lambda w: {
        "titel": "Integraal Veiligheidsplan 2028-2031 uit de rollenmatrix",
        "eersteJaar": 2028,
        "laatsteJaar": 2031,
    },
    ("PATCH", "/gemeenten/{cbs_code}/veiligheidsplannen/{uuid}"): lambda w: {
        "samenvatting": "Samenvatting, bijgewerkt door de rollenmatrix."
    },
    ("POST", f"{PLAN_PART}/participatiemomenten"): lambda w: {"vorm": "thematafel", "datum": "2019-10-01"},
    ("PATCH", f"{PLAN_PART}/participatiemomenten/{{uuid}}"): lambda w: {"opbrengst": "Meer licht in het park."},
    ("POST", f"{PLAN_PART}/raadsbesluiten"): lambda w: {
        "datum": "2020-05-28",
        "zaaknummer": "Z-ROLLEN-IVP",
        "openbaarheid": Openbaarheid.ACTIVE,
        "document": SimpleUploadedFile("besluit.pdf", minimal_pdf("Raadsbesluit IVP"), content_type="application/pdf"),
    },
    ("PATCH", f"{PLAN_PART}/raadsbesluiten/{{uuid}}"): lambda w: {"zaaknummer": "560652-A"},
    ("POST", "/gemeenten/{cbs_code}/uitvoeringsplannen"): lambda w: {
        "veiligheidsplan": str(w.priority.plan.uuid),
        "jaar": w.priority.plan.period_start + 1,
    },
    ("PATCH", "/gemeenten/{cbs_code}/uitvoeringsplannen/{uuid}"): lambda w: {"terugblik": "Terugblik uit de matrix."},
    ("POST", "/gemeenten/{cbs_code}/prioriteiten"): lambda w: {
        "veiligheidsplan": str(w.priority.plan.uuid),
        "titel": "Nieuwe prioriteit uit de rollenmatrix",
        "veiligheidsveld": w.priority.field_code,
        "thema": w.priority.theme_code,
    },
    ("PATCH", "/gemeenten/{cbs_code}/prioriteiten/{uuid}"): lambda w: {"titel": "Prioriteit, nieuwe titel"},
    ("POST", "/gemeenten/{cbs_code}/indicatoren"): lambda w: {
        "prioriteit": str(w.priority.uuid),
        "naam": "Aantal woninginbraken",
        "eenheid": "aantal",
        "metingen": [{"jaar": w.priority.plan.period_start, "waarde": 42}],
    },
    ("PATCH", "/gemeenten/{cbs_code}/indicatoren/{uuid}"): lambda w: {"verhaal": "Het verhaal achter de cijfers."},
    ("POST", "/gemeenten/{cbs_code}/uitvoeringsplannen/{uitvoeringsplan_uuid}/acties"): lambda w: {
        "titel": "Wijkschouw met de wijkagent",
        "trekker": "Team OOV",
        "prioriteit": str(w.priority.uuid),
    },
    ("PATCH", "/gemeenten/{cbs_code}/uitvoeringsplannen/{uitvoeringsplan_uuid}/acties/{uuid}"): lambda w: {
        "status": ActionStatus.RUNNING
    },
    ("PUT", "/gemeenten/{cbs_code}/concept-zienswijzen/{ronde_uuid}"): lambda w: {
        "standpunt": None,
        "toelichting": "Concept van de rollenmatrix.",
        "standpunten": [],
    },
    ("PATCH", "/gemeenten/{cbs_code}/concept-zienswijzen/{ronde_uuid}"): lambda w: {"toelichting": "Bijgewerkt."},
    ("PATCH", "/deelnames/{uuid}"): lambda w: {"raadsvergadering": (db_now().date() + timedelta(days=21)).isoformat()},
    ("PUT", "/deelnames/{uuid}/raadsbesluit"): lambda w: {
        "datum": amsterdam_date(db_now()).isoformat(),
        "zaaknummer": "Z-ROLLEN-1",
        "document": SimpleUploadedFile("besluit.pdf", minimal_pdf("Raadsbesluit"), content_type="application/pdf"),
        "openbaarheid": Openbaarheid.ACTIVE,
        "wooCategorie": WooCategory.objects.order_by("order").values_list("tooi_uri", flat=True).first(),
    },
    ("POST", "/deelnames/{uuid}/geen-zienswijze"): lambda w: {"toelichting": "De raad ziet af van een zienswijze."},
    ("POST", "/deelnames/{uuid}/beantwoording"): None,
    ("POST", "/zienswijzen"): lambda w: opinion_body(w.ready, w.themes),
    ("POST", "/zienswijzen/{uuid}/intrekking"): None,
    ("POST", "/reacties/{uuid}/correcties"): lambda w: {
        "verwerking": "deels_overgenomen",
        "toelichting": "Deels verwerkt in hoofdstuk 2.",
        "reden": "De eerste reactie noemde het verkeerde hoofdstuk.",
    },
    ("POST", "/uitstelverzoeken"): lambda w: {
        "deelname": str(w.ready.uuid),
        "reden": "De raad vergadert pas na de uiterste datum.",
        # After the participation's own deadline (10 days) and before the RBOP meeting (30 days).
        "gevraagdUitersteMoment": (w.ready.deadline + timedelta(days=7)).isoformat(),
    },
    ("PATCH", "/uitstelverzoeken/{uuid}"): lambda w: {"status": ExtensionStatus.GRANTED},
}
# Required query parameters.
QUERIES: dict[Operation, Callable[[World], dict[str, str]]] = {
    ("GET", "/afstemming"): lambda w: {"imvCyclus": str(w.cycle.uuid)},
    ("GET", "/afstemming/gemeenten/{cbs_code}"): lambda w: {"imvCyclus": str(w.cycle.uuid)},
}
PATH_PARAMETER = re.compile(r"([^/{}]+)/\{([^}]+)\}")


def concrete_path(template: str, world: World) -> str:
    """/api/v1 + the template with every parameter replaced by Heemstede's value of its kind."""

    def value(match: re.Match[str]) -> str:
        segment, name = match.groups()
        if segment not in world.path_values:
            raise LookupError(
                f"no value for {{{name}}} after '{segment}/' in {template}: add Heemstede's {segment} to "
                "World.path_values in world()"
            )
        return f"{segment}/{world.path_values[segment]}"

    path = PATH_PARAMETER.sub(value, template)
    assert "{" not in path, f"a path parameter in {template} that follows no segment"
    return API + path


def documented_operation(document: dict[str, Any], operation: Operation) -> dict[str, Any]:
    method, template = operation
    return document["paths"][template][method.lower()]


def header_parameters(document: dict[str, Any], operation: Operation) -> set[str]:
    parameters = documented_operation(document, operation).get("parameters", [])
    return {p["name"] for p in parameters if p.get("in") == "header"}


def send(world: World, operation: Operation, caller: str) -> HttpResponse:
    """The request of one cell, as the caller, with Heemstede's values, body and headers.

    An operation without a row (the 405 test) is sent bare: no body, no conditional headers.
    """
    method, template = operation
    if template not in world.document["paths"]:
        pytest.fail(f"{template} is not in the OpenAPI document: see test_every_row_names_an_operation_of_the_document")
    url = concrete_path(template, world)
    if operation in QUERIES:
        url += "?" + urlencode(QUERIES[operation](world))
    key = world.keys[caller]
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = ""
    if operation in MATRIX:
        if method in ("POST", "PUT", "PATCH"):
            if operation not in BODIES:
                pytest.fail(f"{operation_id(operation)} has no body: add one to BODIES (None for a write without)")
            make_body = BODIES[operation]
            body = json.dumps(make_body(world)) if make_body and operation not in MULTIPART else ""
        documented_headers = header_parameters(world.document, operation)
        if needs_if_match(world.document, operation):
            headers["If-Match"] = world.etags[url]
        if "Idempotency-Key" in documented_headers:
            headers["Idempotency-Key"] = f"rollenmatrix-{caller}"
        if operation in MULTIPART:
            form = BODIES[operation]
            data = encode_multipart(BOUNDARY, form(world) if form else {})
            # The client passes bytes through unchanged (force_bytes); its stubs only say str.
            client = APIClient()
            return client.generic(method, url, data, MULTIPART_CONTENT, headers=headers)  # type: ignore[arg-type]
    return APIClient().generic(method, url, data=body, content_type="application/json", headers=headers)


def needs_if_match(document: dict[str, Any], operation: Operation) -> bool:
    """A change in place that lists If-Match, or a POST whose document requires it (an action on a resource)."""
    parameters = documented_operation(document, operation).get("parameters", [])
    if_match = [p for p in parameters if p.get("in") == "header" and p["name"] == "If-Match"]
    return bool(if_match) and (operation[0] in CHANGES_IN_PLACE or bool(if_match[0].get("required")))


def etag_source(document: dict[str, Any], template: str) -> str:
    """The path whose GET gives the ETag a change of ``template`` sends: itself, or for an action
    without a GET of its own (…/raadsbesluit, …/beantwoording) the resource it belongs to."""
    while "get" not in document["paths"].get(template, {}):
        template = template.rsplit("/", 1)[0]
    return template
