"""The API's request parsers: DRF's, refusing text that no field could store.

JSON can carry NUL (``\\u0000``), which PostgreSQL refuses in text, and lone surrogates
(``\\ud800``), which no UTF-8 answer can echo; a body with either in any key or value, at any
depth, is a 400 that names where, before a serializer or the database sees it. The query string
gets the same check in api.middleware. Nesting too deep for Python's JSON decoder is a 400 as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

UNSAFE = re.compile("[\x00\ud800-\udfff]")


def unsafe_text_reason(text: str) -> str | None:
    """Why ``text`` cannot be accepted, or None: the first NUL or lone surrogate it holds."""
    found = UNSAFE.search(text)
    if found is None:
        return None
    return _("Het teken U+%(code)s is niet toegestaan.") % {"code": f"{ord(found.group()):04X}"}


def printable(text: str) -> str:
    """``text`` with NUL and lone surrogates written as \\uXXXX, so that an answer can name it."""
    return UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _strings(data: Any) -> Iterator[tuple[str, str]]:
    """(path, text) of every key and string value in parsed JSON, depth first, without recursion."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, Mapping):
            for key, item in value.items():
                name = f"{path}.{printable(str(key))}" if path else printable(str(key))
                yield name, str(key)
                stack.append((name, item))
        elif isinstance(value, list):
            stack.extend((f"{path}.{index}" if path else str(index), item) for index, item in enumerate(value))


def refuse_unsafe_text(data: Any) -> None:
    """400 naming every place in ``data`` (keys and values) that holds NUL or a lone surrogate."""
    errors: dict[str, list[str]] = {}
    for path, text in _strings(data):
        reason = unsafe_text_reason(text)
        if reason:
            errors.setdefault(path or "nonFieldErrors", []).append(reason)
    if errors:
        raise exceptions.ValidationError(errors)


class PortalJSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError() from None
        refuse_unsafe_text(data)
        return data


class PortalMultiPartParser(parsers.MultiPartParser):
    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> parsers.DataAndFiles:
        parsed = super().parse(stream, media_type, parser_context)
        fields = [(key, value) for key, values in parsed.data.lists() for value in values]
        files = [(key, file.name or "") for key, values in parsed.files.lists() for file in values]
        errors: dict[str, list[str]] = {}
        for key, text in [*fields, *files]:
            reason = unsafe_text_reason(key) or unsafe_text_reason(text)
            if reason:
                errors.setdefault(printable(key), []).append(reason)
        if errors:
            raise exceptions.ValidationError(errors)
        return parsed
