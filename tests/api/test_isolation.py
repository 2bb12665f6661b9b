"""Tenant isolation through the API: every role against every test municipality.

Plans are compared by UUID with what each municipality's own schema holds: ids repeat across
schemas (every schema has a plan with id 1), UUIDs do not.
"""

from __future__ import annotations

import pytest

from tenants.models import MUNICIPAL_ROLES, REGIONAL_ROLES, Membership, PoliceUnit, Role
from tests.api.conftest import plans_url, schema_plans

MUNICIPAL = sorted(MUNICIPAL_ROLES)
REGIONAL = sorted(REGIONAL_ROLES)


def test_plan_uuids_differ_across_schemas_while_ids_repeat(all_plans):
    plans = all_plans()
    uuids = [u for rows in plans.values() for u in rows]
    ids = [row["id"] for rows in plans.values() for row in rows.values()]

    assert len(uuids) == len(set(uuids))
    assert len(ids) > len(set(ids))  # the point of comparing by UUID


@pytest.mark.parametrize("role", MUNICIPAL)
def test_municipal_token_sees_exactly_its_own_plans_and_404_elsewhere(
    role, make_user, api_client_for, municipalities, all_plans
):
    plans = all_plans()
    for own in municipalities:
        client = api_client_for(make_user(role, own))
        for target in municipalities:
            listed = client.get(plans_url(target))
            details = {u: client.get(plans_url(target, u)) for u in plans[target.cbs_code]}
            if target == own:
                assert listed.status_code == 200
                assert {p["uuid"] for p in listed.json()["results"]} == set(plans[own.cbs_code])
                assert all(r.status_code == 200 for r in details.values())
                assert {r.json()["uuid"] for r in details.values()} <= set(plans[own.cbs_code])
            else:
                assert listed.status_code == 404, (role, own.cbs_code, target.cbs_code)
                assert listed["Content-Type"] == "application/problem+json"
                assert all(r.status_code == 404 for r in details.values()), (role, own.cbs_code, target.cbs_code)


@pytest.mark.parametrize("role", MUNICIPAL)
def test_municipal_token_cannot_reach_another_schemas_plan_through_its_own_path(
    role, make_user, api_client_for, municipalities, all_plans
):
    plans = all_plans()
    for own in municipalities:
        client = api_client_for(make_user(role, own))
        foreign = [u for m in municipalities if m != own for u in plans[m.cbs_code]]
        for plan_uuid in foreign:
            assert client.get(plans_url(own, plan_uuid)).status_code == 404
            response = client.patch(plans_url(own, plan_uuid), {"titel": "Gekaapt"}, format="json")
            assert response.status_code == 404
    assert all_plans() == plans


@pytest.mark.parametrize("role", REGIONAL)
def test_regional_token_reads_every_municipality_of_its_unit(
    role, make_user, api_client_for, municipalities, all_plans
):
    plans = all_plans()
    client = api_client_for(make_user(role))
    for target in municipalities:
        listed = client.get(plans_url(target))
        assert listed.status_code == 200, (role, target.cbs_code)
        assert {p["uuid"] for p in listed.json()["results"]} == set(plans[target.cbs_code])
        for plan_uuid in plans[target.cbs_code]:
            detail = client.get(plans_url(target, plan_uuid))
            assert detail.status_code == 200
            assert detail.json()["uuid"] == plan_uuid


@pytest.mark.parametrize("role", REGIONAL)
def test_regional_token_patch_is_403_and_changes_nothing(role, make_user, api_client_for, municipalities, all_plans):
    before = all_plans()
    client = api_client_for(make_user(role))
    for target in municipalities:
        for plan_uuid in before[target.cbs_code]:
            response = client.patch(
                plans_url(target, plan_uuid), {"titel": "Door de regio", "samenvatting": "x"}, format="json"
            )
            assert response.status_code == 403, (role, target.cbs_code)
            assert response["Content-Type"] == "application/problem+json"
    assert all_plans() == before


@pytest.mark.parametrize("role", MUNICIPAL)
def test_municipal_token_patch_elsewhere_is_404_and_changes_nothing(
    role, make_user, api_client_for, municipalities, all_plans
):
    before = all_plans()
    for own in municipalities:
        client = api_client_for(make_user(role, own))
        for target in municipalities:
            if target == own:
                continue
            for plan_uuid in before[target.cbs_code]:
                response = client.patch(plans_url(target, plan_uuid), {"titel": "Van de buren"}, format="json")
                assert response.status_code == 404, (role, own.cbs_code, target.cbs_code)
    assert all_plans() == before


def test_regional_token_of_another_police_unit_gets_404(make_user, api_client_for, municipalities):
    other_unit = PoliceUnit.objects.create(name="Midden-Nederland", slug="midden-nederland")
    user = make_user(None)
    Membership.objects.create(user=user, role=Role.ADVISER, police_unit=other_unit)
    client = api_client_for(user)

    for target in municipalities:
        assert client.get(plans_url(target)).status_code == 404


@pytest.mark.parametrize("role", MUNICIPAL)
def test_patch_by_heemstede_staff_changes_only_heemstedes_row(
    role, make_user, api_client_for, heemstede, municipalities, all_plans
):
    before = all_plans()
    plan_uuid = next(iter(before["GM0397"]))
    client = api_client_for(make_user(role, heemstede))

    response = client.patch(plans_url(heemstede, plan_uuid), {"titel": "Alleen in Heemstede"}, format="json")

    assert response.status_code == 200
    after = all_plans()
    changed = {
        (code, u) for code in before for u in before[code] | after[code] if before[code].get(u) != after[code].get(u)
    }
    assert changed == {("GM0397", plan_uuid)}
    assert after["GM0397"][plan_uuid]["title"] == "Alleen in Heemstede"
    # The same id in the other schemas is a different plan and stays as it was.
    same_id = before["GM0397"][plan_uuid]["id"]
    for other in municipalities[1:]:
        for u, row in schema_plans(other).items():
            if row["id"] == same_id:
                assert row["title"] != "Alleen in Heemstede", (other.cbs_code, u)


def test_token_bound_to_one_membership_does_not_use_the_users_other_roles(
    make_user, api_client_for, heemstede, haarlem
):
    user = make_user(Role.OOV, heemstede)  # the token is bound to this (first) membership
    Membership.objects.create(user=user, role=Role.OOV, municipality=haarlem)
    client = api_client_for(user)

    assert client.get(plans_url(heemstede)).status_code == 200
    assert client.get(plans_url(haarlem)).status_code == 404
