"""What the pages of one municipality share: the municipality of the path, if the user may see it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from tenants.access import can_edit_municipality, can_read_municipality, request_memberships
from tenants.models import Municipality
from tenants.rls import act_for_rest_of_transaction


def request_municipality(request: HttpRequest, *, write: bool = False) -> Municipality:
    """The municipality of the path, if the request may read it (or, with ``write``, change it); 403 otherwise."""
    municipality: Municipality = request.tenant  # type: ignore[attr-defined]
    memberships = request_memberships(request)
    allowed = (
        can_edit_municipality(memberships, municipality) if write else can_read_municipality(memberships, municipality)
    )
    if not allowed:
        raise PermissionDenied(_("U heeft geen toegang tot de gegevens van %(name)s.") % {"name": municipality.name})
    act_for_rest_of_transaction(municipality.schema_name)  # only now may row-level security let its rows through
    return municipality
