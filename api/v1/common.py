"""Building blocks shared by every API v1 module: paths, links, enumerations, strict input, query parameters."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.request import Request

API = "/api/v1"
UUID_REGEX = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
CBS_CODE_REGEX = "GM[0-9]{4}"
LINK_SCHEMA = {"type": "object", "properties": {"href": {"type": "string"}}, "required": ["href"]}


# --- Links (HAL-style _links) ----------------------------------------------------------------
def links_schema(*names: str, optional: Sequence[str] = ()) -> dict[str, Any]:
    """The schema of a _links object with these links; ``optional`` ones may be absent."""
    schema: dict[str, Any] = {"type": "object", "properties": dict.fromkeys([*names, *optional], LINK_SCHEMA)}
    if names:  # OpenAPI 3.0: "required" may not be an empty list
        schema["required"] = list(names)
    return schema


def links(**hrefs: str) -> dict[str, dict[str, str]]:
    return {name: {"href": href} for name, href in hrefs.items()}


# --- Enumerations, each a named component ----------------------------------------------------
class EnumChoiceField(serializers.ChoiceField):
    """A ChoiceField whose choices are fixed by the subclass (see enum_field)."""

    enum_choices: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=self.enum_choices, **kwargs)


def enum_field(
    choices: type[models.TextChoices] | Sequence[tuple[str, str]],
    component_name: str,
    description: str,
    *,
    values: list[str] | None = None,
) -> type[EnumChoiceField]:
    """A ChoiceField over ``choices`` (TextChoices or (value, label) pairs, or a subset), documented once
    as the component ``component_name``."""
    pairs = (
        [(str(v), str(label)) for v, label in choices.choices]
        if isinstance(choices, type)
        else [(v, str(label)) for v, label in choices]
    )
    labels = dict(pairs)
    allowed = values or [v for v, _label in pairs]
    meaning = "; ".join(f"`{value}`: {labels[value]}" for value in allowed)

    @extend_schema_field(
        {"type": "string", "enum": allowed, "description": f"{description} Waarden: {meaning}."},
        component_name=component_name,
    )
    class Field(EnumChoiceField):
        enum_choices: ClassVar[list[tuple[str, str]]] = [(v, labels[v]) for v in allowed]

    Field.__name__ = Field.__qualname__ = f"{component_name}Field"
    return Field


# --- Input -------------------------------------------------------------------------------------
class StrictInputSerializer(serializers.Serializer[dict[str, Any]]):
    """Reports unknown fields together with invalid ones (ADR /core/error-handling/all-errors): a client
    that misspells a field must learn that nothing of it was used.
    """

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        attrs: dict[str, Any] = {}
        try:
            attrs = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            errors.update(exc.detail)
        if isinstance(data, Mapping):
            for name in sorted(set(data) - set(self.fields)):
                errors[name] = [_("Dit veld bestaat niet of kan niet via de API gewijzigd worden.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class StrictInputSchema(OpenApiSerializerExtension):
    """In the document a strict input refuses unknown fields too (``additionalProperties: false``), so that
    generated clients and validators know before the server says so."""

    target_class = StrictInputSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema


class StrictPatchSerializer(StrictInputSerializer):
    """A partial change: every field optional, an empty body is refused (nothing to change)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                {"nonFieldErrors": [_("Geef minstens één veld om te wijzigen: %(f)s.") % {"f": ", ".join(self.fields)}]}
            )
        return attrs


def amount(**kwargs: Any) -> serializers.DecimalField:
    """An amount as stored (12 digits, 2 decimals), as a JSON number rather than DRF's default string."""
    return serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False, **kwargs)


# --- Query parameters --------------------------------------------------------------------------
def query_uuid(request: Request, name: str) -> uuid.UUID | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise exceptions.ValidationError({name: [_("Geen geldige UUID.")]}) from None


def query_year(request: Request, name: str) -> int | None:
    """A four-digit year (1000-9999; year_filter documents it so), or None when not given."""
    value = request.query_params.get(name)
    if value is None:
        return None
    if not re.fullmatch(r"[1-9][0-9]{3}", value):
        raise exceptions.ValidationError({name: [_("Een jaartal van vier cijfers, bijvoorbeeld 2025.")]})
    return int(value)


def uuid_path(description: str, name: str = "uuid") -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.UUID, OpenApiParameter.PATH, description=description)


def year_filter(name: str, description: str) -> OpenApiParameter:
    """The query parameter that query_year reads."""
    return OpenApiParameter(
        name, {"type": "integer", "minimum": 1000, "maximum": 9999}, OpenApiParameter.QUERY, description=description
    )


# A filter on a well-formed UUID that names nothing the caller can see is no error: the list is empty, on
# every list alike, so that a UUID of another police unit's row looks the same as one that never existed.
UNKNOWN_UUID_FILTER = "Een UUID die niets aanwijst (of niets dat u mag zien) geeft een lege lijst."


def uuid_filter(name: str, description: str) -> OpenApiParameter:
    """A list filter on a UUID (query_uuid reads it); an unknown one gives an empty list, as it says."""
    return OpenApiParameter(
        name, OpenApiTypes.UUID, OpenApiParameter.QUERY, description=f"{description} {UNKNOWN_UUID_FILTER}"
    )
