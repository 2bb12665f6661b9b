"""Pages of one municipality, under /gemeenten/<slug>/. The tenant middleware has set the schema."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from imv.clock import db_now
from municipalities.forms import SafetyPlanForm
from municipalities.models import SafetyPlan
from municipalities.selectors import imv_open_rounds, safety_plan_list
from municipalities.services import safety_plan_update
from portal.exceptions import PortalError
from tenants.access import can_edit_municipality, can_read_municipality, request_memberships
from tenants.models import Municipality


def request_municipality(request: HttpRequest, *, write: bool = False) -> Municipality:
    """The municipality of the path, if the request may read it (or, with ``write``, change it); 403 otherwise."""
    municipality: Municipality = request.tenant  # type: ignore[attr-defined]
    memberships = request_memberships(request)
    allowed = (
        can_edit_municipality(memberships, municipality) if write else can_read_municipality(memberships, municipality)
    )
    if not allowed:
        raise PermissionDenied(_("U heeft geen toegang tot de gegevens van %(name)s.") % {"name": municipality.name})
    return municipality


def municipality_home(request: HttpRequest, gemeente: str) -> HttpResponse:
    municipality = request_municipality(request)
    return render(
        request,
        "municipalities/home.html",
        {
            "municipality": municipality,
            "plans": safety_plan_list(),
            "open_rounds": imv_open_rounds(municipality=municipality, now=db_now()),
            "can_edit": can_edit_municipality(request_memberships(request), municipality),
        },
    )


def safety_plan_edit(request: HttpRequest, gemeente: str, plan_uuid: str) -> HttpResponse:
    municipality = request_municipality(request, write=True)
    plan = get_object_or_404(SafetyPlan, uuid=plan_uuid)
    form = SafetyPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            safety_plan_update(plan=plan, **form.cleaned_data)
        except PortalError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Het veiligheidsplan is opgeslagen."))
            return redirect("safety_plan", gemeente=gemeente, plan_uuid=plan.uuid)
    return render(request, "municipalities/plan_edit.html", {"municipality": municipality, "plan": plan, "form": form})
