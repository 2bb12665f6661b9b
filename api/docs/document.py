"""The OpenAPI document read for people: tags with their operations, each with its parameters,
request body, answers, the fields of each body and an example built from its schema.

It reads exactly what /api/v1/openapi.json publishes (the same generator, in Dutch, the API's
language), so the page cannot describe an operation the document lacks, or miss one. The words
around the document's own texts (types, "required", the notes on a field) are in the language of
the page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
JSON_TYPES = ("application/json", "application/problem+json", "application/merge-patch+json")
# Examples of the formats that have no example in the document: values an API client may send.
FORMAT_EXAMPLES: dict[str, Any] = {
    "uuid": "5b0f9f3e-8d6c-4d8e-9a53-2f8f1c1e7a10",
    "date": "2024-10-15",
    "date-time": "2024-10-15T17:00:00+02:00",
    "uri": "https://example.org/",
    "email": "naam@example.org",
    "binary": "(bestand)",
}
MAX_DEPTH = 4  # nested bodies deeper than this are summed up as "object", not unfolded field by field


@dataclass(frozen=True)
class Field:
    """One field of a body, its name a path through the nesting (``standpunten[].thema``)."""

    name: str
    type: str
    required: bool
    description: SafeString  # the document's text (Dutch)
    notes: SafeString  # allowed values, default, length: in the language of the page


@dataclass(frozen=True)
class Body:
    """A request or answer body: its media types, the fields of its schema and an example (JSON only)."""

    media_types: list[str]
    schema_name: str
    fields: list[Field]
    example: str


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    type: str
    required: bool
    description: SafeString


@dataclass(frozen=True)
class Answer:
    status: str
    description: SafeString
    media_types: list[str]
    headers: list[str]
    body: Body | None

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2")


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: SafeString
    authentication: list[str]
    parameters: list[Parameter]
    request_body: Body | None
    request_required: bool
    answers: list[Answer]

    @property
    def path_html(self) -> SafeString:
        """The path, breakable after each slash on a narrow screen."""
        return mark_safe("/<wbr>".join(escape(part) for part in self.path.split("/")))  # noqa: S308 (escaped)


@dataclass(frozen=True)
class Tag:
    name: str
    title: str
    anchor: str
    description: SafeString
    operations: list[Operation] = field(default_factory=list)


@dataclass(frozen=True)
class ApiReference:
    title: str
    version: str
    description: SafeString
    server: str
    contact: dict[str, str]
    license: dict[str, str]
    authentication: list[tuple[str, SafeString]]
    headers: list[tuple[str, SafeString]]
    problem: Body
    tags: list[Tag]

    @property
    def operations(self) -> list[Operation]:
        return [operation for tag in self.tags for operation in tag.operations]


def api_reference() -> ApiReference:
    """The reference of the API as /api/v1/openapi.json describes it, labelled in the active language."""
    return _reference(get_language())


@cache
def _reference(language: str) -> ApiReference:
    with override(language):
        return _Reader(_document()).reference()


@cache
def _document() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    with override("nl"):
        return dict(SchemaGenerator().get_schema(request=None, public=True))


def prose(text: str) -> SafeString:
    """The small part of Markdown the document uses: paragraphs, ``*`` lists and `code`, escaped."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith(("* ", "- ")) for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            blocks.append(f'<ul class="utrecht-unordered-list">{items}</ul>')
        elif lines:
            blocks.append(f'<p class="utrecht-paragraph">{_inline(" ".join(lines))}</p>')
    return mark_safe("".join(blocks))  # noqa: S308 (every piece of the document's text went through escape)


def _inline(text: str) -> str:
    parts = re.split(r"``(.+?)``|`(.+?)`", text)
    html = []
    for index, part in enumerate(parts):
        if part is None:
            continue
        html.append(f"<code>{escape(part)}</code>" if index % 3 else escape(part))
    return "".join(html)


class _Reader:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components = document.get("components", {})

    def reference(self) -> ApiReference:
        info = self.document["info"]
        server = self.document.get("servers", [{"url": ""}])[0]["url"]
        tags = {
            tag["name"]: Tag(
                name=tag["name"],
                title=tag.get("x-displayName") or tag["name"][:1].upper() + tag["name"][1:],
                anchor=f"tag-{tag['name']}",
                description=prose(tag.get("description", "")),
            )
            for tag in self.document.get("tags", [])
        }
        for path, item in self.document["paths"].items():
            for method in HTTP_METHODS:
                if method in item:
                    operation = self.operation(server, path, method, item[method], item.get("parameters", []))
                    name = (item[method].get("tags") or ["overig"])[0]
                    tags.setdefault(name, Tag(name, name.capitalize(), f"tag-{name}", prose(""))).operations.append(
                        operation
                    )
        schemes = self.components.get("securitySchemes", {})
        return ApiReference(
            title=info["title"],
            version=info["version"],
            description=prose(info.get("description", "")),
            server=server,
            contact=info.get("contact", {}),
            license=info.get("license", {}),
            authentication=[(self.scheme_label(name), prose(s.get("description", ""))) for name, s in schemes.items()],
            headers=[(name, prose(h.get("description", ""))) for name, h in self.components.get("headers", {}).items()],
            problem=self.body({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}),
            tags=[tag for tag in tags.values() if tag.operations],
        )

    def operation(
        self, server: str, path: str, method: str, spec: dict[str, Any], shared: list[dict[str, Any]]
    ) -> Operation:
        parameters = [self.parameter(p) for p in [*shared, *spec.get("parameters", [])]]
        request = spec.get("requestBody")
        return Operation(
            anchor=spec.get("operationId") or re.sub(r"\W+", "-", f"{method}{path}").strip("-"),
            method=method.upper(),
            path=f"{server}{path}",
            summary=spec.get("summary") or f"{method.upper()} {path}",
            description=prose(spec.get("description", "")),
            authentication=self.authentication(spec.get("security", self.document.get("security", []))),
            parameters=parameters,
            request_body=self.body(request["content"]) if request and request.get("content") else None,
            request_required=bool(request and request.get("required")),
            answers=[self.answer(status, answer) for status, answer in sorted(spec.get("responses", {}).items())],
        )

    def parameter(self, spec: dict[str, Any]) -> Parameter:
        spec = self.resolve(spec)
        locations = {"path": _("pad"), "query": _("query"), "header": _("header"), "cookie": _("cookie")}
        return Parameter(
            name=spec["name"],
            location=locations.get(spec["in"], spec["in"]),
            type=self.type_label(spec.get("schema", {})),
            required=bool(spec.get("required")),
            description=prose(spec.get("description", "")),
        )

    def answer(self, status: str, spec: dict[str, Any]) -> Answer:
        spec = self.resolve(spec)
        content = spec.get("content", {})
        problem = all(media == "application/problem+json" for media in content)
        return Answer(
            status=status,
            description=prose(spec.get("description", "")),
            media_types=list(content),
            headers=list(spec.get("headers", {})),
            # Every error has the one problem+json body, described once at the top of the page.
            body=self.body(content, answer=True) if content and not problem else None,
        )

    def authentication(self, security: list[dict[str, Any]]) -> list[str]:
        return [" + ".join(self.scheme_label(name) for name in option) or _("geen (openbaar)") for option in security]

    def scheme_label(self, name: str) -> str:
        scheme = self.components.get("securitySchemes", {}).get(name, {})
        if scheme.get("type") == "http" and scheme.get("scheme") == "bearer":
            return _("API-token (Authorization: Bearer …)")
        if scheme.get("type") == "apiKey" and scheme.get("in") == "cookie":
            return _("inlogsessie van het portaal (cookie %(name)s)") % {"name": scheme.get("name", "")}
        return name

    # --- Bodies ---------------------------------------------------------------------------------
    def body(self, content: dict[str, Any], *, answer: bool = False) -> Body:
        media_types = list(content)
        schema: dict[str, Any] = next((media["schema"] for media in content.values() if "schema" in media), {})
        json_media = next((media for media in media_types if media in JSON_TYPES), None)
        example = ""
        if json_media is not None:
            given = content[json_media].get("example")
            value = given if given is not None else self.example(schema, answer=answer)
            example = json.dumps(value, ensure_ascii=False, indent=2)
        return Body(
            media_types=media_types,
            schema_name=schema.get("$ref", "").rpartition("/")[2],
            fields=self.fields(schema, answer=answer),
            example=example,
        )

    def fields(self, schema: dict[str, Any], *, answer: bool, prefix: str = "", depth: int = 0) -> list[Field]:
        schema = self.merged(schema)
        if schema.get("type") == "array" and not prefix:
            return self.fields(schema.get("items", {}), answer=answer, prefix="[]", depth=depth)
        rows = []
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            merged = self.merged(prop)
            if merged.get("readOnly" if not answer else "writeOnly"):
                continue
            path = f"{prefix}.{name}" if prefix else name
            description = prop.get("description") or (merged.get("description", "") if "enum" in merged else "")
            rows.append(
                Field(
                    path, self.type_label(prop), name in required, prose(description), self.notes(description, merged)
                )
            )
            if depth + 1 < MAX_DEPTH:
                if merged.get("type") == "array":
                    rows += self.fields(merged.get("items", {}), answer=answer, prefix=f"{path}[]", depth=depth + 1)
                elif "properties" in merged:
                    rows += self.fields(merged, answer=answer, prefix=path, depth=depth + 1)
        return rows

    def notes(self, description: str, merged: dict[str, Any]) -> SafeString:
        notes = []
        if "enum" in merged and "`" not in description:
            values = ", ".join(f"`{value}`" for value in merged["enum"] if value not in ("", None))
            notes.append(_("Een van: %(values)s.") % {"values": values})
        if "default" in merged and merged["default"] not in ("", None):
            notes.append(_("Standaard: `%(value)s`.") % {"value": json.dumps(merged["default"], ensure_ascii=False)})
        if "maxLength" in merged:
            notes.append(_("Hoogstens %(count)s tekens.") % {"count": merged["maxLength"]})
        return prose(" ".join(notes))

    def type_label(self, schema: dict[str, Any]) -> str:
        name = self.ref_name(schema)
        merged = self.merged(schema)
        if "oneOf" in merged or "anyOf" in merged:
            # drf-spectacular adds a BlankEnum option (the value "") to a choice that may be blank.
            options = [
                self.type_label(option)
                for option in merged.get("oneOf", merged.get("anyOf", []))
                if self.merged(option).get("enum") != [""]
            ]
            label = f" {_('of')} ".join(dict.fromkeys(options)) or "string"
        elif merged.get("type") == "array":
            label = _("lijst van %(items)s") % {"items": self.type_label(merged.get("items", {}))}
        elif name and "properties" in merged:
            label = name
        else:
            label = merged.get("type", "object")
            if "format" in merged:
                label = f"{label} ({merged['format']})"
        if merged.get("nullable"):
            label = _("%(type)s of null") % {"type": label}
        return label

    def example(self, schema: dict[str, Any], *, answer: bool, seen: frozenset[str] = frozenset()) -> Any:
        ref = schema.get("$ref")
        if ref in seen:
            return {}
        seen = seen | {ref} if ref else seen
        merged = self.merged(schema)
        for key in ("example", "default"):
            if key in merged and merged[key] not in ("", None):
                return merged[key]
        if "enum" in merged:
            return next((value for value in merged["enum"] if value not in ("", None)), None)
        if "oneOf" in merged or "anyOf" in merged:
            return self.example(merged.get("oneOf", merged.get("anyOf", [{}]))[0], answer=answer, seen=seen)
        kind = merged.get("type", "object" if "properties" in merged else "string")
        if kind == "array":
            return [self.example(merged.get("items", {}), answer=answer, seen=seen)]
        if kind == "object":
            return {
                name: self.example(prop, answer=answer, seen=seen)
                for name, prop in merged.get("properties", {}).items()
                if not self.merged(prop).get("readOnly" if not answer else "writeOnly")
            }
        if kind in ("integer", "number"):
            low = merged.get("minimum", 1)
            return max(low, 1) if kind == "integer" else float(max(low, 1))
        if kind == "boolean":
            return True
        return FORMAT_EXAMPLES.get(merged.get("format", ""), "tekst")

    # --- $ref and allOf ----------------------------------------------------------------------
    def resolve(self, spec: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in spec:
            section, _slash, name = spec["$ref"].removeprefix("#/components/").partition("/")
            spec = self.components[section][name]
        return spec

    def ref_name(self, schema: dict[str, Any]) -> str:
        if "$ref" in schema:
            return str(schema["$ref"]).rpartition("/")[2]
        parts = schema.get("allOf", [])
        return self.ref_name(parts[0]) if len(parts) == 1 else ""

    def merged(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The schema with its $ref resolved and allOf parts folded in; its own keys win."""
        own = {key: value for key, value in schema.items() if key not in ("$ref", "allOf")}
        result: dict[str, Any] = {}
        for part in [*([{"$ref": schema["$ref"]}] if "$ref" in schema else []), *schema.get("allOf", [])]:
            resolved = self.merged(self.resolve(part))
            result.update({key: value for key, value in resolved.items() if key not in ("properties", "required")})
            result.setdefault("properties", {}).update(resolved.get("properties", {}))
            result["required"] = [*result.get("required", []), *resolved.get("required", [])]
        result.update(own)
        if not result.get("properties"):
            result.pop("properties", None)
        return result
