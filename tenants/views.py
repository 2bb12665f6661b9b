"""The people pages: who has which role, invitations, ending a role, and taking up an invitation.

/mensen/ is for whoever manages people (tenants.access.PeopleScope): the platform administrator,
the adviser (their police unit) and a municipality's coordinator (their municipality); anyone else
gets 403, and a row outside the scope is 404. /uitnodiging/<token>/ is open without login: the
link in the e-mail is the key. Every write goes through tenants.services.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.exceptions import PortalError
from tenants import services
from tenants.access import PeopleScope, people_scope, request_memberships, request_user
from tenants.forms import InvitationAcceptForm, InvitationForm, roles_for
from tenants.models import Invitation, Membership, Municipality, User
from tenants.selectors import (
    active_account_exists,
    invitation_get,
    invitation_in_scope,
    membership_in_scope,
    organisation_key,
    people_list,
    people_organisations,
)
from tenants.services._common import role_in_organisation


def _scope(request: HttpRequest) -> PeopleScope:
    scope = people_scope(request_user(request), request_memberships(request))
    if not scope.any:
        raise PermissionDenied(
            _("Alleen de beheerder, de adviseur en de coördinator van een gemeente beheren mensen en rollen.")
        )
    return scope


def _people_url(source: Invitation | Membership) -> str:
    key = organisation_key(police_unit=source.police_unit, municipality=source.municipality)
    return f"{reverse('tenants:people')}?organisatie={key}"


@require_GET
def people(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    organisations = people_organisations(scope=scope)
    chosen_key = request.GET.get("organisatie", "")
    chosen = next((o for key, _label, o in organisations if key == chosen_key), None)
    rows = people_list(scope=scope, organisation=chosen)
    context = {
        "rows": rows,
        "organisations": organisations,
        "chosen_key": chosen_key if chosen is not None else "",
        "unreachable": sum(1 for row in rows if row.status == "actief" and not row.reachable),
        "me": request_user(request).pk,
    }
    return render(request, "tenants/people.html", context)


@require_http_methods(["GET", "POST"])
def invitation_new(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = InvitationForm(
        request.POST or None,
        organisations=people_organisations(scope=scope),
        roles=roles_for(scope),
        initial={"organisation": request.GET.get("organisatie", "")},
    )
    open_invitation = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request_user(request),
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                **form.organisation_kwargs(),  # type: ignore[arg-type]
            )
        except services.InvitationOpenError as exc:
            form.add_portal_error(exc)
            open_invitation = exc.invitation
        except PortalError as exc:
            form.add_portal_error(exc)
        else:
            messages.success(
                request,
                _("De uitnodiging is verstuurd naar %(email)s. De link is 7 dagen geldig.")
                % {"email": invitation.email},
            )
            return redirect(_people_url(invitation))
    return render(request, "tenants/invitation_form.html", {"form": form, "open_invitation": open_invitation})


@require_POST
def invitation_resend(request: HttpRequest, invitation_uuid: UUID) -> HttpResponse:
    invitation = invitation_in_scope(scope=_scope(request), uuid=invitation_uuid)
    if invitation is None:
        raise Http404(_("Deze uitnodiging bestaat niet, of u gaat er niet over."))
    try:
        services.invitation_resend(actor=request_user(request), invitation=invitation)
    except PortalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("De uitnodiging voor %(email)s is opnieuw verstuurd, met een nieuwe link; de vorige werkt niet meer.")
            % {"email": invitation.email},
        )
    return redirect(_people_url(invitation))


@require_POST
def invitation_revoke(request: HttpRequest, invitation_uuid: UUID) -> HttpResponse:
    invitation = invitation_in_scope(scope=_scope(request), uuid=invitation_uuid)
    if invitation is None:
        raise Http404(_("Deze uitnodiging bestaat niet, of u gaat er niet over."))
    try:
        services.invitation_revoke(actor=request_user(request), invitation=invitation)
    except PortalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("De uitnodiging voor %(email)s is ingetrokken: de link werkt niet meer.") % {"email": invitation.email},
        )
    return redirect(_people_url(invitation))


@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, membership_uuid: UUID) -> HttpResponse:
    membership = membership_in_scope(scope=_scope(request), uuid=membership_uuid)
    if membership is None:
        raise Http404(_("Deze rol bestaat niet, of u gaat er niet over."))
    error = ""
    if request.method == "POST":
        try:
            services.membership_end(actor=request_user(request), membership=membership)
        except PortalError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("De rol van %(name)s is beëindigd. De naam blijft staan bij wat hij of zij heeft gedaan.")
                % {"name": membership.user.get_full_name() or membership.user.get_username()},
            )
            return redirect(_people_url(membership))
    return render(
        request,
        "tenants/membership_end.html",
        {"membership": membership, "error": error, "back": _people_url(membership)},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_get(token=token)
    except PortalError as exc:
        return render(request, "tenants/invitation_invalid.html", {"message": exc.message}, status=exc.status)
    signed_in = request.user if isinstance(request.user, User) else None
    has_account = signed_in is None and active_account_exists(email=invitation.email)
    form = InvitationAcceptForm(request.POST or None) if signed_in is None and not has_account else None
    error = ""
    if request.method == "POST":
        membership = None
        try:
            if signed_in is not None:
                membership = services.invitation_accept(token=token, user=signed_in)
            elif form is not None and form.is_valid():
                membership = services.invitation_accept(
                    token=token,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
        except PortalError as exc:
            if form is None:
                error = exc.message
            else:
                form.add_portal_error(exc)
        if membership is not None:
            if signed_in is None:
                login(request, membership.user, backend="tenants.backends.PortalBackend")
            messages.success(request, _welcome(membership))
            return redirect(_landing(membership))
    context = {
        "invitation": invitation,
        "form": form,
        "signed_in": signed_in,
        "wrong_account": signed_in is not None and signed_in.email.strip().lower() != invitation.email,
        "has_account": has_account,
        "error": error,
    }
    return render(request, "tenants/invitation_accept.html", context)


def _welcome(membership: Membership) -> str:
    return _("Welkom, %(name)s. U bent nu %(role)s. U logt voortaan in met de gebruikersnaam %(username)s.") % {
        "name": membership.user.get_full_name() or membership.user.get_username(),
        "role": role_in_organisation(
            role=membership.role, police_unit=membership.police_unit, municipality=membership.municipality
        ),
        "username": membership.user.get_username(),
    }


def _landing(membership: Membership) -> str:
    """Where a new role starts: the municipality's own page, or the region's IMV pages."""
    if isinstance(membership.organisation, Municipality):
        return reverse("municipality_home", kwargs={"gemeente": membership.organisation.slug})
    return reverse("imv:overview")
