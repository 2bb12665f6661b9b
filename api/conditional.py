"""Conditional writes (ETag and If-Match, RFC 9110 §13) and the Idempotency-Key header.

A resource that can be changed by more than one person sends an ETag; a change must send it
back in If-Match. No If-Match is 428 (RFC 6585), a stale one 412: whoever changed it in the
meantime is not overwritten. Where a service owns the comparison (it takes ``expected_versions``
and compares under the row's lock), the viewset passes ``if_match_versions``; elsewhere
``check_if_match`` compares. ``If-Match: *`` means "whatever version is current" (RFC 9110
§13.1.1): the client says it knowingly overwrites, so it is let through, not refused as missing.
The comparison is strong: a weak tag (W/"…") never matches.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.request import Request

from portal.exceptions import StaleVersionError, VersionRequiredError

# Printable ASCII without spaces, as long as Opinion.idempotency_key allows.
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,100}$"
_ENTITY_TAG = re.compile(r'\s*(W/)?("[^"]*")\s*(?:,|$)')


def _stable(value: Any) -> str:
    # 1.5 and 1.50 are the same amount: a value read back from the database must give the same tag.
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_stable(v) for v in value) + "]"
    return repr(value)


def row_etag(instance: models.Model, *related: Any) -> str:
    """A strong ETag for a row without a version column: a hash of every concrete field's value.

    ``related`` adds what else belongs to the representation and can change with it (an
    indicator's yearly values, say). Any change of a field changes the tag; reading does not.
    """
    values = [_stable(field.value_from_object(instance)) for field in instance._meta.concrete_fields]
    values.extend(_stable(value) for value in related)
    digest = hashlib.sha256("\x1f".join(values).encode()).hexdigest()
    return f'"{digest[:20]}"'


def if_match_tags(request: Request) -> list[str] | None:
    """The strong entity tags in If-Match, or None when the header is absent. Weak tags are dropped."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    if header.strip() == "*":
        return ["*"]
    return [tag for weak, tag in _ENTITY_TAG.findall(header) if not weak]


def require_if_match_header(request: Request, *, what: str) -> None:
    """Refuse with 428 without If-Match (``*`` is an If-Match: any current version). Check this first."""
    if if_match_tags(request) is None:
        raise VersionRequiredError(
            _(
                "Stuur de ETag van %(what)s mee in de If-Match-header, zodat u geen wijziging van een ander "
                "overschrijft."
            )
            % {"what": what}
        )


def require_if_match(request: Request, current: str, *, what: str) -> None:
    """428 without If-Match, 412 when it names neither ``current`` nor ``*``."""
    require_if_match_header(request, what=what)
    check_if_match(request, current, what=what)


def check_if_match(request: Request, current: str, *, what: str) -> None:
    """An optional If-Match: when sent, it must name ``current`` (412 otherwise)."""
    tags = if_match_tags(request)
    if tags is None or tags == ["*"]:
        return
    if current not in tags:
        raise StaleVersionError(
            _(
                "%(what)s is intussen gewijzigd (ETag nu %(current)s). Haal de gegevens opnieuw op en stuur "
                "de nieuwe ETag mee."
            )
            % {"what": what[:1].upper() + what[1:], "current": current},
            current=current,
        )


def if_match_versions(request: Request) -> list[str] | None:
    """The versions If-Match names, for a service's ``expected_versions``: the strong tags without their
    quotes, or None when the header is absent or ``*`` (nothing to compare)."""
    tags = if_match_tags(request)
    if tags is None or tags == ["*"]:
        return None
    return [tag[1:-1] for tag in tags]


def idempotency_key(request: Request) -> str:
    """The Idempotency-Key header, or "" without one; 400 when it is not 1-100 printable characters."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return ""
    if not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, key):
        raise exceptions.ValidationError(
            {"Idempotency-Key": [_("Gebruik 1 tot 100 zichtbare ASCII-tekens zonder spaties, bijvoorbeeld een UUID.")]}
        )
    return key


def if_match_parameter(*, required: bool, what: str) -> OpenApiParameter:
    """The If-Match header of an operation; api.openapi adds the 412 (and, when required, 428) answers."""
    description = (
        f"De ETag van {what}, zoals u die bij het ophalen kreeg. "
        + ("Verplicht: zonder deze header 428. " if required else "Optioneel. ")
        + "Is de resource intussen gewijzigd, dan 412 en verandert er niets. "
        + "Met * overschrijft u bewust de versie die er nu is (RFC 9110)."
    )
    return OpenApiParameter(
        "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=required, description=description
    )


IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    pattern=IDEMPOTENCY_KEY_PATTERN,
    description=(
        "Een unieke sleutel per bedoelde indiening (bijvoorbeeld een UUID), zodat opnieuw versturen na een "
        "netwerkfout veilig is. Dezelfde sleutel voor dezelfde deelname geeft dezelfde zienswijze terug "
        "(de eerste keer 201, daarna 200 met dezelfde inhoud), ook als de verzoeken tegelijk binnenkomen. "
        "Dezelfde sleutel met een andere inhoud geeft 422."
    ),
)
