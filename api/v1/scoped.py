"""Resources of one municipality, under /gemeenten/{cbs_code}/: the access check, then its schema.

The rows live in the municipality's own schema; the request itself stays in the public schema
(/api/ is not a tenant path). Every request first checks access in the shared schema
(tenants.access): a municipality the caller may not read looks exactly like one that does not
exist (404). Only then is the municipality's schema entered, and its rows let through row-level
security (tenants.rls), for the whole action, and left when the action returns, whatever happens
in it. Writes are for the municipality's own staff; the regional readers (adviser, RBOP) get 403.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpResponseBase
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.conditional import check_if_match, require_if_match_header
from api.v1.common import API, CBS_CODE_REGEX, UUID_REGEX
from portal.security import security_event
from tenants.access import can_edit_municipality, can_read_municipality, request_memberships
from tenants.models import Membership, Municipality
from tenants.rls import acting_for

CBS_CODE_PARAMETER = OpenApiParameter(
    "cbs_code",
    str,
    OpenApiParameter.PATH,
    pattern=f"^{CBS_CODE_REGEX}$",
    description="CBS-code van de gemeente, bijvoorbeeld GM0397.",
)


def municipality_path(municipality: Municipality, *parts: object) -> str:
    """/api/v1/gemeenten/{cbs_code}/part/part…"""
    return "/".join([f"{API}/gemeenten/{municipality.cbs_code}", *(str(p) for p in parts)])


class MunicipalityScopedViewSet(viewsets.GenericViewSet[Any]):
    """Base of every viewset under /gemeenten/{cbs_code}/; ``self.municipality`` is the one in the path."""

    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    municipality: Municipality
    _schema: ExitStack

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # The schema entered in initial() is left here, after the answer is built or the error handled.
        with ExitStack() as self._schema:
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication (401) and IsAuthenticated first
        municipality = Municipality.objects.filter(cbs_code=kwargs["cbs_code"], is_active=True).first()
        # An unknown municipality and one the caller may not read look the same: do not reveal which exist.
        if municipality is None or not can_read_municipality(self.memberships, municipality):
            if municipality is not None:
                # Answered as if it did not exist, but a probe of another municipality must be visible.
                security_event(request, "api_other_municipality", f"cbs_code={municipality.cbs_code}")
            raise exceptions.NotFound()
        self.municipality = municipality
        self._schema.enter_context(schema_context(municipality.schema_name))
        self._schema.enter_context(acting_for(municipality.schema_name))
        self.initial_in_schema(request, *args, **kwargs)

    def initial_in_schema(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """Hook for nested resources: look up the parent in the municipality's schema (404 when absent)."""

    @property
    def memberships(self) -> list[Membership]:
        return request_memberships(self.request)

    def require_edit(self, message: str | None = None) -> None:
        """403 for whoever may read but not change this municipality's data (the regional readers)."""
        if not can_edit_municipality(self.memberships, self.municipality):
            raise exceptions.PermissionDenied(
                message
                or _("Alleen medewerkers van %(name)s (OOV, griffie) wijzigen haar gegevens; de regio leest mee.")
                % {"name": self.municipality.name}
            )

    def object_to_change(self, request: Request, *, what: str) -> Any:
        """The row a PATCH or DELETE names, in the order its refusals come: 403 for the regional readers,
        404 when it is not there, 428 without If-Match. The ETag itself is compared later, under the
        row's lock (locked_if_match)."""
        self.require_edit()
        row = self.get_object()
        require_if_match_header(request, what=what)
        return row

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "municipality": getattr(self, "municipality", None)}

    def lookup_in_schema[M: Model](self, model: type[M], value: Any, *, field: str, message: str) -> M:
        """A row named in the request body (a UUID): unknown in this schema is a 400 naming ``field``."""
        row = model._default_manager.filter(uuid=value).first()
        if row is None:
            raise exceptions.ValidationError({field: [message]})
        return row

    def locked_if_match[M: Model](self, queryset: QuerySet[M], pk: Any, etag: Callable[[M], str], *, what: str) -> M:
        """The row, locked for the change, once the request's If-Match matches its stored ETag.

        Call inside the write's transaction: compared under the row lock, no change slips in
        between the check and the write (a stale ETag is a 412).
        """
        locked = queryset.select_for_update(of=("self",)).get(pk=pk)
        check_if_match(self.request, etag(locked), what=what)
        return locked

    def stored_response[M: Model](
        self, row: M, status_code: int, *, etag: Callable[[M], str], href: Callable[[M], str]
    ) -> Response:
        """The row as the detail shows it (read again), with its ETag; a Location when just created."""
        fresh = self.get_queryset().get(pk=row.pk)
        headers = {"ETag": etag(fresh)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = href(fresh)
        return Response(self.get_serializer(fresh).data, status=status_code, headers=headers)
