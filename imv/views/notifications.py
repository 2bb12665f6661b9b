"""The page of one's messages (meldingen), at /meldingen/."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from imv.selectors import notification_list
from imv.services import notification_mark_read
from portal.exceptions import PortalError
from tenants.access import request_memberships, request_user


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    items = notification_list(user=request_user(request), memberships=request_memberships(request))[:100]
    return render(request, "imv/notifications.html", {"items": items})


@require_POST
def notification_read(request: HttpRequest, notification_uuid: str) -> HttpResponse:
    try:
        notification_mark_read(
            user=request_user(request), memberships=request_memberships(request), notification_uuid=notification_uuid
        )
    except PortalError as exc:
        raise Http404(exc.message) from exc
    messages.success(request, _("De melding is als gelezen gemarkeerd."))
    return redirect("notifications")
