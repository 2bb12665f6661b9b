"""Ending a role (tenants.services.membership_end): access goes, the person and their name stay."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.exceptions import PortalError
from tenants.access import PeopleScope, people_scope, request_memberships
from tenants.models import AuditEvent, EndedMembership, Membership, Role, User
from tenants.selectors import ENDED, people_list
from tenants.services import invitation_accept, invitation_create, membership_end
from tests.tenants.people_helpers import PASSWORD, token_for, written

pytestmark = pytest.mark.django_db


def test_ending_the_last_role_deletes_the_membership_keeps_the_user_and_deactivates_it(
    coordinator, heemstede, make_user, api_client_for
):
    person = make_user(Role.OOV, heemstede, first_name="Hans", last_name="Vertrek", email="hans@heemstede.nl")
    membership = person.memberships.get()
    api = api_client_for(person)
    assert api.get("/api/v1/gemeenten/GM0397").status_code == 200

    ended = membership_end(actor=coordinator, membership=membership)

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert (ended.uuid, ended.user, ended.role, ended.municipality, ended.ended_by) == (
        membership.uuid,
        person,
        Role.OOV,
        heemstede,
        coordinator,
    )
    person.refresh_from_db()
    assert not person.is_active
    assert person.get_full_name() == "Hans Vertrek"  # never deleted: the history keeps naming them
    assert api.get("/api/v1/gemeenten/GM0397").status_code == 401  # its token went with the role
    events = {(e.object_type, e.field, e.old_value, e.new_value) for e in AuditEvent.objects.filter(actor=coordinator)}
    assert ("rol", "rol", "medewerker openbare orde en veiligheid van gemeente Heemstede", "") in events
    assert ("gebruiker", "actief", "ja", "nee") in events
    login = Client().post("/inloggen/", {"username": person.username, "password": "correct horse battery"})
    assert login.status_code == 200  # the form again: a deactivated account cannot sign in


def test_someone_with_another_role_stays_active_with_only_that_one(coordinator, heemstede, haarlem, make_user, rf):
    person = make_user(Role.OOV, heemstede)
    Membership.objects.create(user=person, role=Role.OOV, municipality=haarlem)

    membership_end(actor=coordinator, membership=person.memberships.get(municipality=heemstede))

    person.refresh_from_db()
    assert person.is_active
    request = rf.get("/")
    request.user = person
    assert [m.municipality for m in request_memberships(request)] == [haarlem]


def test_a_platform_administrators_account_stays_active(platform_admin, adviser):
    membership = Membership.objects.create(
        user=adviser, role=Role.RBOP, police_unit=adviser.memberships.get().police_unit
    )
    adviser.memberships.filter(role=Role.ADVISER).delete()
    adviser.is_staff = True
    adviser.save()

    membership_end(actor=platform_admin, membership=membership)

    adviser.refresh_from_db()
    assert adviser.is_active


def test_no_one_ends_their_own_role(coordinator):
    before = written()

    with pytest.raises(PortalError) as refused:
        membership_end(actor=coordinator, membership=coordinator.memberships.get())

    assert refused.value.status == 403
    assert "U kunt uw eigen rol niet beëindigen" in refused.value.message
    assert written() == before


def test_a_coordinator_cannot_end_a_role_in_another_municipality(coordinator, haarlem, make_user):
    person = make_user(Role.OOV, haarlem)
    before = written()

    with pytest.raises(PortalError) as refused:
        membership_end(actor=coordinator, membership=person.memberships.get())

    assert refused.value.status == 403
    assert "niet over die van Haarlem" in refused.value.message
    assert written() == before


def test_a_coordinator_cannot_end_a_regional_role(coordinator, adviser):
    before = written()

    with pytest.raises(PortalError, match="Een coördinator gaat alleen over de mensen van de eigen gemeente"):
        membership_end(actor=coordinator, membership=adviser.memberships.get())

    assert written() == before


def test_a_role_ended_twice_is_refused_the_second_time(coordinator, heemstede, make_user):
    membership = make_user(Role.OOV, heemstede).memberships.get()
    membership_end(actor=coordinator, membership=membership)
    before = written()

    with pytest.raises(PortalError) as refused:
        membership_end(actor=coordinator, membership=membership)

    assert refused.value.status == 404
    assert written() == before


def test_an_ended_role_stays_in_the_list_and_the_person_can_be_invited_back(coordinator, heemstede, make_user):
    person = make_user(Role.OOV, heemstede, first_name="Hans", last_name="Terug", email="hans@heemstede.nl")
    membership_end(actor=coordinator, membership=person.memberships.get())
    scope_rows = people_list(scope=_scope(coordinator), organisation=heemstede)
    assert [(r.name, r.status) for r in scope_rows if r.email == "hans@heemstede.nl"] == [("Hans Terug", ENDED)]

    invitation_create(actor=coordinator, email="hans@heemstede.nl", role=Role.OOV, municipality=heemstede)
    membership = invitation_accept(
        token=token_for("hans@heemstede.nl"), first_name="Hans", last_name="Terug", password=PASSWORD
    )

    assert membership.user == person  # the same account, with its history
    assert User.objects.get(pk=person.pk).is_active
    assert EndedMembership.objects.filter(user=person).count() == 1


def _scope(user: User) -> PeopleScope:
    return people_scope(user, user.memberships.all())
