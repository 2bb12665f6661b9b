"""Tenant isolation through the API: every role against every test municipality.

Plans and draft zienswijzen are compared by UUID with what each municipality's own schema holds: ids repeat across
schemas (every schema has a plan with id 1), UUIDs do not.
"""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from imv.models import Position
from municipalities.services import opinion_draft_get, opinion_draft_save
from tenants.models import MUNICIPAL_ROLES, REGIONAL_ROLES, Membership, PoliceUnit, Role
from tests.api.conftest import draft_url, plans_url, schema_drafts, schema_plans

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


# --- The draft zienswijze: private to the municipality, also from the region -------------------
@pytest.fixture
def secret_drafts(municipalities, consultation, make_user):
    """Every test municipality has saved a draft in the round; each text is its own secret."""
    for municipality in municipalities:
        writer = make_user(Role.GRIFFIE, municipality)
        with schema_context(municipality.schema_name):
            draft = opinion_draft_get(consultation=consultation)
            opinion_draft_save(
                actor=writer,
                draft=draft,
                expected_version=draft.version,
                overall_position=Position.OBJECTS,
                overall_text=f"Geheim concept van {municipality.name}",
                points=[],
            )
    return {m.cbs_code: f"Geheim concept van {m.name}" for m in municipalities}


def all_drafts(municipalities):
    return {m.cbs_code: schema_drafts(m) for m in municipalities}


@pytest.mark.parametrize("role", MUNICIPAL)
def test_municipal_token_reads_and_writes_only_its_own_draft(
    role, make_user, api_client_for, municipalities, consultation, secret_drafts
):
    for own in municipalities:
        client = api_client_for(make_user(role, own))
        # Whatever this caller writes is signed; what it must never see is another's secret or signature.
        signed = f"Door {own.name}"
        foreign = [text for m in municipalities if m != own for text in (secret_drafts[m.cbs_code], f"Door {m.name}")]
        for target in municipalities:
            url = draft_url(target, consultation)
            answers = [
                client.get(url),
                client.put(url, {"standpunt": None, "toelichting": signed, "standpunten": []}, format="json"),
                # The current ETag: refused anyway where it is not the caller's own draft.
                client.patch(url, {"toelichting": signed}, format="json", HTTP_IF_MATCH='"2"'),
            ]
            if target == own:
                assert answers[0].status_code == 200
                assert answers[0].json()["toelichting"] == secret_drafts[own.cbs_code]
                assert [a.status_code for a in answers[1:]] == [428, 200]
            else:
                assert [a.status_code for a in answers] == [404] * 3, (role, own.cbs_code, target.cbs_code)
            for answer in answers:
                assert not any(text.encode() in answer.content for text in foreign), (own.cbs_code, target.cbs_code)
    # Each draft was changed once, by its own staff: a neighbour's write would have signed it or moved it on.
    for municipality in municipalities:
        [draft] = schema_drafts(municipality).values()
        assert (draft["text"], draft["version"]) == (f"Door {municipality.name}", 3)


@pytest.mark.parametrize("role", REGIONAL)
def test_regional_token_neither_reads_nor_writes_any_draft(
    role, make_user, api_client_for, municipalities, consultation, secret_drafts
):
    before = all_drafts(municipalities)
    client = api_client_for(make_user(role))
    for target in municipalities:
        url = draft_url(target, consultation)
        answers = [
            client.get(url),
            client.put(
                url,
                {"standpunt": None, "toelichting": "Door de regio", "standpunten": []},
                format="json",
                HTTP_IF_MATCH='"2"',
            ),
            client.patch(url, {"toelichting": "Door de regio"}, format="json", HTTP_IF_MATCH='"2"'),
        ]
        assert [a.status_code for a in answers] == [403] * 3, (role, target.cbs_code)
        assert all(a["Content-Type"] == "application/problem+json" for a in answers)
        assert not any(s.encode() in a.content for a in answers for s in secret_drafts.values())
    assert all_drafts(municipalities) == before


def test_a_draft_write_changes_only_the_own_schemas_draft(
    make_user, api_client_for, heemstede, municipalities, consultation, secret_drafts
):
    before = all_drafts(municipalities)
    client = api_client_for(make_user(Role.OOV, heemstede))

    response = client.patch(
        draft_url(heemstede, consultation), {"toelichting": "Alleen in Heemstede"}, format="json", HTTP_IF_MATCH='"2"'
    )

    assert response.status_code == 200, response.content
    after = all_drafts(municipalities)
    assert {code for code in before if before[code] != after[code]} == {"GM0397"}
    [heemstede_draft] = after["GM0397"].values()
    assert (heemstede_draft["text"], heemstede_draft["version"]) == ("Alleen in Heemstede", 3)
