"""Every API answer says which API version produced it (ADR /core/version-header)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ApiVersionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            response["API-Version"] = settings.API_VERSION
            user = getattr(request, "user", None)
            if "HTTP_AUTHORIZATION" in request.META or (user is not None and user.is_authenticated):
                # Authenticated answers are for one caller only: never store them anywhere.
                response["Cache-Control"] = "no-store"
        return response
