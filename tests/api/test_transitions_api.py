"""The status table walked through the API: every status × every action the API offers.

Allowed (TRANSITIONS lists it): 2xx and the table's status. Refused: 409 problem+json of type
transition_not_allowed with the table's Dutch reason, and the participation unchanged. Withdrawing
needs an opinion to name, so in a status without one there is nothing to send.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imv import services
from imv.clock import db_now
from imv.demo import minimal_pdf
from imv.models import (
    TRANSITIONS,
    Action,
    ExtensionRequest,
    ExtensionStatus,
    Openbaarheid,
    Opinion,
    Participation,
    WooCategory,
)
from tests.api.conftest import opinion_body
from tests.api.test_errors import assert_problem
from tests.transition_helpers import S, bring_to, open_request

pytestmark = pytest.mark.django_db

API_ACTIONS = [
    Action.SCHEDULE,
    Action.ADOPT,
    Action.DECLINE,
    Action.SUBMIT,
    Action.ANSWER,
    Action.WITHDRAW,
    Action.EXTENSION_REQUEST,
    Action.EXTENSION_GRANT,
    Action.EXTENSION_REFUSE,
]
CASES = [(status, action) for status in S.values for action in API_ACTIONS]


def _send(action, p, municipal, regional, top_themes):
    if action == Action.SCHEDULE:
        etag = municipal.get(f"/api/v1/deelnames/{p.uuid}")["ETag"]
        day = (db_now() + timedelta(days=2)).date().isoformat()
        return municipal.patch(
            f"/api/v1/deelnames/{p.uuid}", {"raadsvergadering": day}, format="json", HTTP_IF_MATCH=etag
        )
    if action == Action.ADOPT:
        etag = municipal.get(f"/api/v1/deelnames/{p.uuid}")["ETag"]
        body = {
            "datum": p.round.draft_version.date.isoformat(),
            "zaaknummer": "Z-2",
            "document": SimpleUploadedFile("besluit.pdf", minimal_pdf("Besluit"), content_type="application/pdf"),
            "openbaarheid": Openbaarheid.ACTIVE,
            "wooCategorie": WooCategory.objects.order_by("order").values_list("tooi_uri", flat=True)[0],
        }
        return municipal.put(f"/api/v1/deelnames/{p.uuid}/raadsbesluit", body, format="multipart", HTTP_IF_MATCH=etag)
    if action == Action.DECLINE:
        etag = municipal.get(f"/api/v1/deelnames/{p.uuid}")["ETag"]
        return municipal.post(
            f"/api/v1/deelnames/{p.uuid}/geen-zienswijze", {"toelichting": "Geen."}, format="json", HTTP_IF_MATCH=etag
        )
    if action == Action.ANSWER:
        etag = regional.get(f"/api/v1/deelnames/{p.uuid}")["ETag"]
        return regional.post(f"/api/v1/deelnames/{p.uuid}/beantwoording", HTTP_IF_MATCH=etag)
    if action == Action.SUBMIT:
        return municipal.post("/api/v1/zienswijzen", opinion_body(p, top_themes), format="json")
    if action == Action.WITHDRAW:
        opinion = Opinion.objects.filter(participation=p).order_by("-number").first()
        if opinion is None:
            return None  # nothing to name: the API cannot even be asked
        return municipal.post(f"/api/v1/zienswijzen/{opinion.uuid}/intrekking")
    if action == Action.EXTENSION_REQUEST:
        wanted = (p.deadline + timedelta(days=5)).isoformat()
        return municipal.post(
            "/api/v1/uitstelverzoeken",
            {"deelname": str(p.uuid), "reden": "De raad vergadert later.", "gevraagdUitersteMoment": wanted},
            format="json",
        )
    request = ExtensionRequest.objects.get(participation=p, status=ExtensionStatus.REQUESTED)
    etag = regional.get(f"/api/v1/uitstelverzoeken/{request.uuid}")["ETag"]
    decision = ExtensionStatus.GRANTED if action == Action.EXTENSION_GRANT else ExtensionStatus.REFUSED
    return regional.patch(
        f"/api/v1/uitstelverzoeken/{request.uuid}", {"status": decision}, format="json", HTTP_IF_MATCH=etag
    )


@pytest.mark.parametrize(("status", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_every_api_action_in_every_status(
    status, action, participation_of, heemstede, staff_of, adviser, api_client_for, top_themes
):
    staff = staff_of(heemstede)
    p = bring_to(status, participation_of(heemstede), staff, adviser)
    if action in (Action.EXTENSION_GRANT, Action.EXTENSION_REFUSE):
        open_request(p, staff)
    before = Participation.objects.get(pk=p.pk)

    response = _send(action, before, api_client_for(staff), api_client_for(adviser), top_themes)
    if response is None:
        assert action == Action.WITHDRAW
        assert status in (S.INVITED, S.SCHEDULED, S.ADOPTED, S.NO_OPINION)  # never submitted
        return
    after = Participation.objects.get(pk=p.pk)
    if action in TRANSITIONS[status]:
        assert response.status_code in (200, 201), response.content
        assert after.status == TRANSITIONS[status][action]
    else:
        problem = assert_problem(response, 409)
        assert problem["type"].endswith(("/transition_not_allowed", "/opinion_withdrawn")), problem
        if problem["type"].endswith("/transition_not_allowed"):
            assert problem["detail"] == services.refusal(status, action)
        assert (after.status, after.version) == (before.status, before.version)
