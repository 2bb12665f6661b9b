"""Finds the municipality from the path (/gemeenten/<slug>/...) and enters its schema.

Every other path is served from the shared (public) schema. The schema is reset to public
after each response so that nothing leaks into the next request on the same connection. A page
of a municipality runs in one transaction; entering the schema lets no row through by itself:
the view does that after its access check (tenants.rls).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.utils.translation import gettext as _

from tenants.models import Domain
from tenants.rls import acting_for

TENANT_PATH = re.compile(rf"^/{re.escape(settings.TENANT_PATH_PREFIX)}/(?P<slug>[^/]+)(?P<rest>/.*)?$")


class TenantPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' wrapper
        request.tenant = None  # type: ignore[attr-defined]
        request.unknown_municipality_slug = None  # type: ignore[attr-defined]
        match = TENANT_PATH.match(request.path_info)
        if match:
            domain = Domain.objects.select_related("tenant").filter(domain=match["slug"]).first()
            if domain is None or not domain.tenant.is_active:
                # Refused in process_view, not here: a 404 raised here skips the session, language,
                # auth and CSRF middleware, so its page showed the visitor logged out, in the default
                # language, with a language button whose CSRF token did not match the cookie.
                request.unknown_municipality_slug = match["slug"]  # type: ignore[attr-defined]
            elif not domain.is_primary:
                primary = Domain.objects.get(tenant=domain.tenant, is_primary=True)
                return HttpResponsePermanentRedirect(
                    f"/{settings.TENANT_PATH_PREFIX}/{primary.domain}{match['rest'] or '/'}"
                )
            else:
                domain.tenant.slug = domain.domain  # the path already named it: no query for the slug
                request.tenant = domain.tenant  # type: ignore[attr-defined]
                connection.set_tenant(domain.tenant)  # type: ignore[attr-defined]
        tenant = request.tenant  # type: ignore[attr-defined]
        try:
            if tenant is None:
                # Shared pages keep the connection's own setting: none in the web server (tenants.rls).
                return self.get_response(request)
            # One transaction for the request: the view names the municipality for row-level security
            # after its access check (tenants.rls.act_for_rest_of_transaction), and that ends with it.
            with acting_for(""):  # no rows, whatever the connection's default, until the view says
                response = self.get_response(request)
                if response.status_code >= 500:
                    transaction.set_rollback(True)  # a failed request leaves nothing half-written
                return response
        finally:
            connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' wrapper

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        slug = getattr(request, "unknown_municipality_slug", None)
        if slug is not None:
            raise Http404(_("Er is geen gemeente met het adres “%(slug)s” in dit portaal.") % {"slug": slug})
