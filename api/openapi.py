"""OpenAPI post-processing so that the document meets the Dutch API Design Rules (Spectral ruleset).

Every answer documents the API-Version header (/core/version-header) and every operation the
problem+json errors it can really give (/core/error-handling/problem-details): 400 for any
write and for reads with parameters (/core/error-handling/invalid-input), 401 where a token is
checked, 403 where a write can be refused, 404 where a path or page may not exist, 413 and 415
where there is a request body.

Conditional and idempotent writes (api.conditional) are documented from what the views declare:
an If-Match header parameter adds 412 (and 428 when it is required), an Idempotency-Key
parameter adds 422, the vendor extension ``x-etag`` puts the ETag header on the success
answers, and every 201 carries Location. An error answer that a view declares with only a
description (409, say) gets the problem+json content here.
The lint test is tests/api/test_openapi.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Foutmelding volgens RFC 9457 (problem details), met een Nederlandse titel.",
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "Soort fout, als URI."},
        "title": {
            "type": "string",
            "description": "Korte, vaste omschrijving van de soort fout.",
            "example": "Niet gevonden",
        },
        "status": {"type": "integer", "description": "De HTTP-statuscode.", "example": 404},
        "detail": {"type": "string", "description": "Uitleg bij dit geval."},
        "instance": {"type": "string", "description": "Het pad van het verzoek."},
        "invalidParams": {
            "type": "array",
            "description": "Bij ongeldige invoer: elk ongeldig veld met de reden.",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "Naam van het veld, zoals in het verzoek."},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
                "required": ["name", "code", "reason"],
            },
        },
        "huidigeEtag": {
            "type": "string",
            "description": "Bij 412: de ETag van de versie die nu is opgeslagen.",
            "example": '"3"',
        },
    },
    "required": ["type", "title", "status", "detail"],
}
BODY_LIMIT_MB = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20:.1f}".replace(".", ",")  # 2,5 (Django's default)
ERROR_DESCRIPTIONS = {
    "400": "Ongeldige invoer; elk ongeldig veld staat in invalidParams.",
    "401": "Geen of een onbekend of ingetrokken API-token.",
    "403": "Wel leesrechten, geen schrijfrechten.",
    "404": "Niet gevonden, of geen toegang tot deze gemeente.",
    "412": "De If-Match-header noemt niet de huidige ETag: de resource is intussen gewijzigd. Er is niets gewijzigd.",
    "413": f"De inhoud van het verzoek is groter dan de API aanneemt: {BODY_LIMIT_MB} MB, bestanden niet meegeteld.",
    "415": "Alleen application/json wordt geaccepteerd.",
    "422": "Deze Idempotency-Key is al gebruikt voor een verzoek met een andere inhoud.",
    "428": "De If-Match-header ontbreekt; stuur de ETag mee die u bij het ophalen kreeg.",
}
ETAG_EXTENSION = "x-etag"
SUCCESS_DESCRIPTIONS = {"200": "Gelukt.", "201": "Aangemaakt.", "204": "Gelukt, zonder inhoud."}
WRITE_METHODS = {"post", "put", "patch", "delete"}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def adr_postprocess(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular POSTPROCESSING_HOOKS entry: add headers, problem schema and error answers."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    headers = components.setdefault("headers", {})
    headers["API-Version"] = {
        "description": "De volledige versie van de API die het antwoord gaf (semver).",
        "schema": {"type": "string", "example": settings.API_VERSION},
    }
    headers["WWW-Authenticate"] = {
        "description": "Hoe u zich moet authenticeren: Bearer.",
        "schema": {"type": "string", "example": 'Bearer realm="api"'},
    }
    headers["ETag"] = {
        "description": "De versie van deze resource. Stuur haar bij een wijziging terug in If-Match.",
        "schema": {"type": "string", "example": '"3"'},
    }
    headers["Location"] = {
        "description": "Het pad van de aangemaakte resource.",
        "schema": {"type": "string", "example": "/api/v1/zienswijzen/5b0f9f3e-8d6c-4d8e-9a53-2f8f1c1e7a10"},
    }
    # Sorted by name, as readers of the docs page and linters expect (SPECTACULAR_SETTINGS keeps them by subject).
    result["tags"] = sorted(result.get("tags", []), key=lambda tag: tag["name"])
    for path, path_item in result.get("paths", {}).items():
        for method, operation in path_item.items():
            if method in HTTP_METHODS:
                _add_errors(path, method, operation, result.get("security"))
    _type_nullable_references(components.get("schemas", {}), components.get("schemas", {}))
    return result


def _type_nullable_references(schema: Any, schemas: dict[str, Any]) -> None:
    """Give ``{allOf: [$ref], nullable: true}`` (a nullable enumeration) the type of what it refers to.

    OpenAPI 3.0 lets nullable stand without a type, but validators of examples (Spectral's
    oas3-valid-media-example) refuse it: "nullable" cannot be used without "type".
    """
    if isinstance(schema, list):
        for item in schema:
            _type_nullable_references(item, schemas)
    elif isinstance(schema, dict):
        refs = schema.get("allOf", [])
        if schema.get("nullable") and "type" not in schema and len(refs) == 1 and "$ref" in refs[0]:
            target = schemas.get(refs[0]["$ref"].rsplit("/", 1)[-1], {})
            if "type" in target:
                schema["type"] = target["type"]
        for value in schema.values():
            _type_nullable_references(value, schemas)


def _add_errors(path: str, method: str, operation: dict[str, Any], default_security: Any) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    security = operation.get("security", default_security)
    checks_token = bool(security) and any(requirement for requirement in security)
    parameters = operation.get("parameters", [])
    header_parameters = {p.get("name"): p for p in parameters if p.get("in") == "header"}
    sends_etag = bool(operation.pop(ETAG_EXTENSION, False))
    errors = []
    if method in WRITE_METHODS or parameters:
        errors.append("400")
    if checks_token:
        errors.append("401")
    if checks_token and method in WRITE_METHODS:
        errors.append("403")
    if "{" in path or any(p.get("name") == "page" for p in parameters):
        errors.append("404")
    if "requestBody" in operation:
        errors.extend(["413", "415"])
    if "If-Match" in header_parameters:
        errors.append("412")
        if header_parameters["If-Match"].get("required"):
            errors.append("428")
    if "Idempotency-Key" in header_parameters:
        errors.append("422")
    for code in errors:
        responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
    for code, response in responses.items():
        if not response.get("description"):
            response["description"] = SUCCESS_DESCRIPTIONS.get(code, ERROR_DESCRIPTIONS.get(code, code))
        if code[0] in "45" and "content" not in response:
            response["content"] = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        response_headers = response.setdefault("headers", {})
        response_headers["API-Version"] = {"$ref": "#/components/headers/API-Version"}
        if code == "401":
            response_headers["WWW-Authenticate"] = {"$ref": "#/components/headers/WWW-Authenticate"}
        if sends_etag and code in ("200", "201"):
            response_headers["ETag"] = {"$ref": "#/components/headers/ETag"}
        if code == "201":
            response_headers["Location"] = {"$ref": "#/components/headers/Location"}
