"""Every answer under /api/ is the API's: problem+json for every error, the version header, no caching.

DRF's exception handler (api.exceptions) answers the errors of the API's own views. This middleware
covers what happens outside them: a path that matches no route, Django's own error handlers and, in
development (DEBUG), Django's technical 404 and 500 pages, which list every route or show a
traceback as HTML without a content security policy. It is the outermost middleware, so an error in
any other middleware passes through it too.

It also refuses a query parameter with a character PostgreSQL cannot store or compare (NUL) or no
UTF-8 can carry (a lone surrogate) before any view sees it: a filter on it would fail in the database.
The request body gets the same check in api.parsers.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _

from api.exceptions import INVALID_DETAIL, PROBLEM_CONTENT_TYPE, problem_response
from api.parsers import unsafe_text_reason

# Headers of the answer being replaced that do not describe its body: kept on the problem+json.
BODY_HEADERS = {"content-type", "content-length", "content-disposition", "content-encoding"}


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        response = refuse_unsafe_query(request) or self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            response = as_problem(request, response)
        response["API-Version"] = settings.API_VERSION  # ADR /core/version-header
        user = getattr(request, "user", None)
        if "HTTP_AUTHORIZATION" in request.META or (user is not None and user.is_authenticated):
            # Authenticated answers are for one caller only: never store them anywhere.
            response["Cache-Control"] = "no-store"
        return response


def refuse_unsafe_query(request: HttpRequest) -> HttpResponse | None:
    """A 400 naming every query parameter whose name or value holds NUL or a lone surrogate."""
    invalid = []
    for name, values in request.GET.lists():
        reason = unsafe_text_reason(name) or next(filter(None, map(unsafe_text_reason, values)), None)
        if reason:
            invalid.append({"name": name, "code": "invalid_character", "reason": reason})
    if not invalid:
        return None
    return problem_response(request, status=400, detail=_(INVALID_DETAIL), code="invalid", invalid_params=invalid)


def as_problem(request: HttpRequest, response: HttpResponseBase) -> HttpResponse:
    """The same status as problem+json, with the headers that do not describe the old body (Allow, …)."""
    problem = problem_response(request, status=response.status_code)
    for header, value in response.headers.items():
        if header.lower() not in BODY_HEADERS:
            problem[header] = value
    return problem
