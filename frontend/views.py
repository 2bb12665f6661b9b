"""Pages of the shared part of the portal: the start page, the list of municipalities, errors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from portal.security import security_event
from tenants.access import (
    can_edit_municipality,
    people_scope,
    readable_municipalities,
    request_memberships,
    request_user,
)
from tenants.models import Domain


def home(request: HttpRequest) -> HttpResponse:
    """The start page: the municipalities this person may open, with their role, and what they manage."""
    memberships = request_memberships(request)
    scope = people_scope(request_user(request), memberships)
    municipalities = list(readable_municipalities(memberships).select_related("district").order_by("name"))
    slugs = dict(Domain.objects.filter(tenant__in=municipalities, is_primary=True).values_list("tenant_id", "domain"))
    rows = [
        {"municipality": m, "slug": slugs.get(m.pk, m.schema_name), "can_edit": can_edit_municipality(memberships, m)}
        for m in municipalities
    ]
    context = {"rows": rows, "memberships": memberships, "manages_people": scope.any, "administrator": scope.everything}
    return render(request, "frontend/home.html", context)


def _error_page(request: HttpRequest, template: str, status: int, exception: Exception | None) -> HttpResponse:
    message = (
        str(exception.args[0])
        if exception is not None and exception.args and isinstance(exception.args[0], str)
        else ""
    )
    body = loader.render_to_string(template, {"message": message}, request)
    return HttpResponse(body, status=status)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    from api.exceptions import problem_response

    if request.path_info.startswith("/api/"):
        return problem_response(request, status=404)
    return _error_page(request, "404.html", HttpResponseNotFound.status_code, exception)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    from api.exceptions import problem_response

    security_event(request, "access_denied", str(exception.args[0]) if exception.args else "")
    if request.path_info.startswith("/api/"):
        return problem_response(request, status=403)
    return _error_page(request, "403.html", HttpResponseForbidden.status_code, exception)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    from api.exceptions import problem_response

    if request.path_info.startswith("/api/"):
        return problem_response(request, status=500)
    return _error_page(request, "500.html", HttpResponseServerError.status_code, None)
