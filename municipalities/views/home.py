"""The home page of one municipality, /gemeenten/<slug>/. The tenant middleware has set the schema."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from imv.clock import db_now
from municipalities.selectors import imv_open_rounds, safety_plan_list
from municipalities.views._common import request_municipality
from tenants.access import can_edit_municipality, request_memberships


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
