"""What every page of a plan shares: who and which plan, and how a form page or a removal goes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from municipalities.models import SafetyPlan
from municipalities.selectors import safety_plan_get
from municipalities.views._common import request_municipality
from portal.exceptions import PortalError
from portal.forms import PortalForm
from tenants.models import Municipality

FORM_TEMPLATE = "municipalities/plan/form.html"
DELETE_TEMPLATE = "municipalities/plan/confirm_delete.html"
Layout = Sequence[tuple[str | None, Sequence[forms.BoundField]]]


@dataclass(frozen=True)
class PlanPage:
    """Who and which plan: every view of a plan starts here."""

    municipality: Municipality
    plan: SafetyPlan

    def url(self, anchor: str = "") -> str:
        path = reverse("safety_plan", kwargs={"gemeente": self.municipality.slug, "plan_uuid": self.plan.uuid})
        return f"{path}#{anchor}" if anchor else path


def plan_page(request: HttpRequest, plan_uuid: UUID, *, write: bool = False) -> PlanPage:
    # Access first: a caller without access learns nothing, not even whether the plan exists.
    municipality = request_municipality(request, write=write)
    plan = safety_plan_get(plan_uuid=plan_uuid)
    if plan is None:
        raise Http404(_("Dit veiligheidsplan bestaat niet bij %(name)s.") % {"name": municipality.name})
    return PlanPage(municipality=municipality, plan=plan)


def one_of[M: Model](rows: QuerySet[M]) -> M:
    """The one part of this plan the address names; 404 when it is not (or no longer) there."""
    part = rows.first()
    if part is None:
        raise Http404(_("Dit onderdeel van het plan bestaat niet (meer)."))
    return part


# --- Shared form handling -----------------------------------------------------------------------
def edit_page(
    request: HttpRequest,
    page: PlanPage,
    form: PortalForm,
    save: Callable[[], object],
    *,
    heading: str,
    done: str,
    anchor: str,
    submit: str,
    intro: str = "",
    layout: Layout | None = None,
    template: str = FORM_TEMPLATE,
) -> HttpResponse:
    """A form page: on a valid POST the service writes and we go back to the plan (post/redirect/get);
    a refusal shows the form again with every error at its field and the message above it."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                save()
            except PortalError as exc:
                form.add_portal_error(exc)
                status = exc.status
            else:
                messages.success(request, done)
                return HttpResponseRedirect(page.url(anchor))
        else:
            status = 400
    context = {
        "municipality": page.municipality,
        "plan": page.plan,
        "form": form,
        "heading": heading,
        "intro": intro,
        "submit": submit,
        "layout": layout or [(None, list(form))],
        "multipart": form.is_multipart(),
        "back": page.url(anchor),
    }
    return render(request, template, context, status=status)


def delete_page(
    request: HttpRequest,
    page: PlanPage,
    delete: Callable[[], object],
    *,
    what: str,
    consequence: str = "",
    done: str,
    anchor: str,
) -> HttpResponse:
    """Ask first (GET), remove on POST."""
    if request.method == "POST":
        delete()
        messages.success(request, done)
        return HttpResponseRedirect(page.url(anchor))
    context = {
        "municipality": page.municipality,
        "plan": page.plan,
        "what": what,
        "consequence": consequence,
        "back": page.url(anchor),
    }
    return render(request, DELETE_TEMPLATE, context)


def form_data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def form_files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None
