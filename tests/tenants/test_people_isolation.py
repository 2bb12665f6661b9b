"""Isolation of people: the coordinator of Heemstede never sees or changes Haarlem's people, through
any page of /mensen/ (the services refuse too: test_invitations.py, test_membership_end.py)."""

from __future__ import annotations

import pytest

from tenants.models import Invitation, Membership, Role
from tenants.services import invitation_create
from tests.tenants.people_helpers import written

pytestmark = pytest.mark.django_db


@pytest.fixture
def haarlem_people(haarlem_coordinator, haarlem, make_user) -> tuple[Membership, Invitation]:
    staff = make_user(Role.OOV, haarlem, first_name="Hanna", last_name="Haarlem", email="hanna@haarlem.nl")
    invitation = invitation_create(
        actor=haarlem_coordinator, email="nieuw@haarlem.nl", role=Role.OOV, municipality=haarlem
    )
    return staff.memberships.get(), invitation


def test_heemsteedes_coordinator_sees_none_of_haarlems_people(client_for, coordinator, haarlem_people):
    client = client_for(coordinator)

    for path in ("/mensen/", "/mensen/?organisatie=gemeente-GM0392", "/mensen/uitnodigen/?organisatie=gemeente-GM0392"):
        body = client.get(path).content.decode()
        for trace in ("Haarlem", "hanna@haarlem.nl", "nieuw@haarlem.nl", "harm@haarlem.nl"):
            assert trace not in body, (path, trace)
    rows = client.get("/mensen/?organisatie=gemeente-GM0392").context["rows"]
    assert {row.organisation for row in rows} == {"Gemeente Heemstede"}  # an unknown filter shows the own list


def test_heemsteedes_coordinator_changes_none_of_haarlems_people(client_for, coordinator, haarlem_people):
    membership, invitation = haarlem_people
    client = client_for(coordinator)
    before = written()

    answers = [
        client.post(f"/mensen/uitnodigingen/{invitation.uuid}/opnieuw-versturen/").status_code,
        client.post(f"/mensen/uitnodigingen/{invitation.uuid}/intrekken/").status_code,
        client.get(f"/mensen/rollen/{membership.uuid}/beeindigen/").status_code,
        client.post(f"/mensen/rollen/{membership.uuid}/beeindigen/").status_code,
    ]
    invited = client.post(
        "/mensen/uitnodigen/", {"email": "x@haarlem.nl", "role": Role.OOV, "organisation": "gemeente-GM0392"}
    )

    assert answers == [404, 404, 404, 404]  # as if they did not exist
    assert invited.status_code == 200
    assert "organisation" in invited.context["form"].errors  # not one of the choices
    assert written() == before
    invitation.refresh_from_db()
    assert (invitation.revoked_at, invitation.send_count) == (None, 1)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_haarlems_coordinator_sees_haarlem_and_not_heemstede(
    client_for, haarlem_coordinator, coordinator, haarlem_people
):
    names = {row.name or row.email for row in client_for(haarlem_coordinator).get("/mensen/").context["rows"]}

    assert {"Hanna Haarlem", "nieuw@haarlem.nl", "Harm Haarlem"} <= names
    assert "Cora Coördinator" not in names
