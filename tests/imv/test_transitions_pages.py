"""The status table walked through the pages: every status × every action, as a stale tab would post it.

The forms a status does not allow are not shown, but a page loaded earlier can still post them.
Allowed: the table's status. Refused: the table's Dutch reason on the page (409 for the
municipality's round page), and the participation unchanged.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from html import escape

import pytest
from django.urls import reverse

from imv import services
from imv.models import TRANSITIONS, Action, ExtensionRequest, ExtensionStatus, Opinion, Participation
from tests.imv.round_page_helpers import decision_data, draft_data, draft_version, round_url
from tests.transition_helpers import S, bring_to, open_request

pytestmark = pytest.mark.django_db

CASES = [(status, action) for status in S.values for action in Action.values]


def _post(action, p, consultation, heemstede, staff_client, adviser_client):
    if action == Action.SCHEDULE:
        day = (p.deadline - timedelta(days=1)).date().isoformat()
        return staff_client.post(round_url(consultation, action="vergaderdata/"), {"council_date": day}, follow=True)
    if action == Action.ADOPT:
        return staff_client.post(round_url(consultation, action="raadsbesluit/"), decision_data(), follow=True)
    if action == Action.DECLINE:
        return staff_client.post(round_url(consultation, action="geen-zienswijze/"), {"note": "Geen."}, follow=True)
    if action == Action.SUBMIT:
        data = draft_data(draft_version(heemstede, consultation), key=uuid.uuid4().hex, action="indienen")
        return staff_client.post(round_url(consultation, action="concept/"), data, follow=True)
    if action == Action.WITHDRAW:
        return staff_client.post(round_url(consultation, action="intrekken/"), {}, follow=True)
    if action == Action.EXTENSION_REQUEST:
        day = (p.deadline + timedelta(days=5)).date().isoformat()
        data = {"requested_deadline": day, "reason": "De raad vergadert later."}
        return staff_client.post(round_url(consultation, action="uitstel/"), data, follow=True)
    if action == Action.ANSWER:
        url = reverse("imv:opinion_detail", kwargs={"round_uuid": consultation.uuid, "participation_uuid": p.uuid})
        return adviser_client.post(url, {"action": "beantwoorden"}, follow=True)
    request = ExtensionRequest.objects.get(participation=p, status=ExtensionStatus.REQUESTED)
    decision = "toekennen" if action == Action.EXTENSION_GRANT else "afwijzen"
    url = reverse("imv:extension_decide", kwargs={"request_uuid": request.uuid})
    return adviser_client.post(url, {"decision": decision, "note": ""}, follow=True)


@pytest.mark.parametrize(("status", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_every_page_action_in_every_status(
    status, action, consultation, participation_of, heemstede, heemstede_staff, adviser, client_for
):
    p = bring_to(status, participation_of(heemstede), heemstede_staff, adviser)
    if action in (Action.EXTENSION_GRANT, Action.EXTENSION_REFUSE):
        open_request(p, heemstede_staff)
    before = Participation.objects.get(pk=p.pk)

    response = _post(action, before, consultation, heemstede, client_for(heemstede_staff), client_for(adviser))
    after = Participation.objects.get(pk=p.pk)
    page = response.content.decode()
    if action in TRANSITIONS[status]:
        assert after.status == TRANSITIONS[status][action], page[:2000]
        return
    assert (after.status, after.version) == (before.status, before.version)
    current = Opinion.objects.filter(participation=p, withdrawn_at__isnull=True).exists()
    if action == Action.ANSWER and not current:
        assert "heeft (nog) geen zienswijze ingediend" in page  # the adviser's page has nothing to answer
        return
    reason = services.refusal(status, action)
    assert reason is not None
    assert escape(reason, quote=False) in page
    if action not in (Action.ANSWER, Action.EXTENSION_GRANT, Action.EXTENSION_REFUSE):
        assert response.status_code == 409
