"""Every API error as application/problem+json (RFC 9457) with a Dutch title.

Validation errors list each bad field in ``invalidParams`` (the ADR problem-details extension).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404, HttpRequest, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from portal.exceptions import PortalError, StaleVersionError
from portal.security import security_event

PROBLEM_CONTENT_TYPE = "application/problem+json"
logger = logging.getLogger("portal.api")

TITLES = {
    400: "Ongeldige invoer",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Formaat niet beschikbaar",
    409: "Conflict met de huidige toestand",
    412: "Versie verouderd",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    422: "Verzoek niet uitvoerbaar",
    428: "Voorwaarde vereist",
    429: "Te veel verzoeken",
    500: "Interne fout",
    503: "Dienst niet beschikbaar",
}
DETAILS = {
    401: "Stuur een geldig API-token mee: Authorization: Bearer <token>.",
    403: "U heeft geen toegang tot deze gegevens.",
    404: "De gevraagde resource bestaat niet.",
    500: "Er ging iets mis aan onze kant. Er is niets half opgeslagen.",
}

# The problem type of an error made outside DRF: the code DRF gives the same error, where it has one.
CODES = {
    403: exceptions.PermissionDenied.default_code,
    404: exceptions.NotFound.default_code,
    405: exceptions.MethodNotAllowed.default_code,
    406: exceptions.NotAcceptable.default_code,
    415: exceptions.UnsupportedMediaType.default_code,
}
INVALID_DETAIL = "Een of meer velden zijn ongeldig."
# SessionAuthentication refuses a write without a CSRF token in English ("CSRF Failed: ...").
CSRF_DETAIL = "CSRF-controle mislukt: stuur bij een sessie de X-CSRFToken-header mee, of gebruik een API-token."


def problem(
    status_code: int,
    *,
    detail: str | None = None,
    instance: str = "",
    code: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"https://regioportaal.localhost/problemen/{code or status_code}",
        "title": TITLES.get(status_code, "Fout"),
        "status": status_code,
        "detail": detail or DETAILS.get(status_code, TITLES.get(status_code, "Fout")),
        "instance": instance,
    }
    if invalid_params:
        body["invalidParams"] = invalid_params
    return body


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    detail: str | None = None,
    code: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
) -> JsonResponse:
    """A problem+json answer outside DRF (api.middleware; Django's 404/403/500 handlers for /api/ paths)."""
    body = problem(
        status, detail=detail, instance=request.path, code=code or CODES.get(status), invalid_params=invalid_params
    )
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def _invalid_params(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for field, value in detail.items():
            # An error of a nested object or list as a whole is named by that field itself.
            name = (
                prefix
                if prefix and field == api_settings.NON_FIELD_ERRORS_KEY
                else ".".join(filter(None, [prefix, str(field)]))
            )
            params.extend(_invalid_params(value, name))
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, (dict, list)):
                # The errors of a list of objects come one per item, {} for a valid one: name the index.
                params.extend(_invalid_params(item, f"{prefix}.{index}" if prefix else str(index)))
            else:
                params.append(
                    {"name": prefix or "nonFieldErrors", "code": getattr(item, "code", "invalid"), "reason": str(item)}
                )
    else:
        params.append(
            {"name": prefix or "nonFieldErrors", "code": getattr(detail, "code", "invalid"), "reason": str(detail)}
        )
    return params


def _too_large_detail(exc: Exception) -> str | None:
    """Django's refusal to read a body past one of its limits (raised when DRF reads it), in Dutch with the limit.

    Uploaded files do not count towards DATA_UPLOAD_MAX_MEMORY_SIZE; their own limit is PORTAL_MAX_UPLOAD_BYTES.
    """
    if isinstance(exc, RequestDataTooBig):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return _("De inhoud van het verzoek is te groot: hoogstens %(limit)s.") % {"limit": limit}
    if isinstance(exc, TooManyFieldsSent):
        return _("Het verzoek heeft te veel velden: hoogstens %(n)s.") % {"n": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    if isinstance(exc, TooManyFilesSent):
        return _("Het verzoek heeft te veel bestanden: hoogstens %(n)s.") % {"n": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    return None


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler: PortalError, validation and HTTP errors become problem+json."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, PortalError):
        set_rollback()  # as DRF does for its own errors: nothing of a refused request is kept
        # A service names the fields as its models do; a viewset says what this API calls them.
        names: Mapping[str, str] = getattr(context.get("view"), "api_field_names", {})
        params = [
            {"name": names.get(key, key), "code": exc.code, "reason": reason}
            for key, reasons in exc.errors.items()
            for reason in reasons
        ]
        body = problem(exc.status, detail=exc.message, instance=instance, code=exc.code, invalid_params=params)
        if isinstance(exc, StaleVersionError) and exc.current:
            # A client that lost the race learns which version won, without a second request.
            body["huidigeEtag"] = exc.current if exc.current.startswith('"') else f'"{exc.current}"'
        return Response(body, status=exc.status, content_type=PROBLEM_CONTENT_TYPE)
    if too_large := _too_large_detail(exc):
        body = problem(413, detail=too_large, instance=instance, code="request_too_large")
        return Response(body, status=413, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, SuspiciousOperation):  # e.g. a multipart body Django refuses to read
        exc = exceptions.ParseError()
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if request is not None and isinstance(exc, (exceptions.PermissionDenied, exceptions.AuthenticationFailed)):
        security_event(request, "api_" + exc.default_code, str(exc.detail))
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        set_rollback()
        logger.exception("Unhandled API error", exc_info=exc)
        body = problem(status.HTTP_500_INTERNAL_SERVER_ERROR, instance=instance)
        return Response(body, status=500, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            400,
            detail=INVALID_DETAIL,
            instance=instance,
            code="invalid",
            invalid_params=_invalid_params(exc.detail),
        )
    elif isinstance(exc, exceptions.ParseError):
        # DRF's message carries the English text of Python's JSON decoder or Django's multipart parser.
        unreadable = (
            "De inhoud van het verzoek is geen geldige multipart/form-data."
            if request is not None and request.content_type.startswith("multipart/")
            else "De inhoud van het verzoek is geen geldige JSON."
        )
        body = problem(400, detail=unreadable, instance=instance, code=exc.default_code)
    else:
        detail: str | None = exc.detail if isinstance(exc.detail, str) else None
        # DRF's own English messages are replaced by ours where we have one.
        if response.status_code in DETAILS and isinstance(
            exc, (exceptions.NotAuthenticated, exceptions.NotFound, exceptions.PermissionDenied)
        ):
            detail = DETAILS[response.status_code] if exc.detail == exc.default_detail else detail
        if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
            detail = CSRF_DETAIL
        body = problem(
            response.status_code, detail=str(detail) if detail else None, instance=instance, code=exc.default_code
        )
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
