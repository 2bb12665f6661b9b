"""OpenAPI post-processing so that the document meets the Dutch API Design Rules (Spectral ruleset).

Every operation documents the API-Version header on its answers, and errors as problem+json.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Foutmelding volgens RFC 9457 (problem details).",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "code": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
    "required": ["title", "status"],
}
ERROR_DESCRIPTIONS = {
    "400": "Ongeldige invoer",
    "401": "Niet geauthenticeerd",
    "403": "Geen toegang",
    "404": "Niet gevonden",
}


def adr_postprocess(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components.setdefault("headers", {})["API-Version"] = {
        "description": "De versie van de API die het antwoord gaf.",
        "schema": {"type": "string", "example": settings.API_VERSION},
    }
    version_header = {"API-Version": {"$ref": "#/components/headers/API-Version"}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            security = operation.get("security", result.get("security"))
            needs_auth = bool(security) and any(s for s in security)
            errors = ["400"] if method in {"post", "put", "patch"} else []
            if needs_auth:
                errors += ["401", "403"]
            if "{" in next((p for p, item in result["paths"].items() if item is path_item), ""):
                errors.append("404")
            for code in errors:
                responses.setdefault(code, {
                    "description": ERROR_DESCRIPTIONS[code],
                    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                })
            for response in responses.values():
                response.setdefault("headers", {}).update(version_header)
    return result
