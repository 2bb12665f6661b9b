"""Tenant isolation of a municipality's own plan through the API: every role against the three test schemas.

Requests are generated over roles × Heemstede/Haarlem/Bloemendaal for every endpoint under
/gemeenten/{cbs_code}/ (veiligheidsplannen, prioriteiten, indicatoren, uitvoeringsplannen, acties).
Every object returned is compared by UUID with the schema of the municipality in the URL; every
write is checked against all three schemas and the shared-schema projection, read before and after.
"""

from __future__ import annotations

from typing import Any

import pytest

from tenants.models import MUNICIPAL_ROLES, REGIONAL_ROLES, Membership, PoliceUnit, Role
from tests.api.conftest import etag_of, local_url, projection_rows, schema_local_rows

MUNICIPAL = sorted(MUNICIPAL_ROLES)
REGIONAL = sorted(REGIONAL_ROLES)
ALL_CODES = {"GM0397", "GM0392", "GM0377"}
COLLECTIONS = ("prioriteiten", "indicatoren", "uitvoeringsplannen")
PROBLEM = "application/problem+json"


def callers(role, make_user, municipalities):
    """(user, the CBS codes the user may see) for the role: one per municipality, or one regional user."""
    if role in MUNICIPAL_ROLES:
        return [(make_user(role, m), {m.cbs_code}) for m in municipalities]
    return [(make_user(role), ALL_CODES)]


def uuids(response) -> set[str]:
    return {item["uuid"] for item in response.json()["results"]}


def action_url(target, action_uuid: str, row: dict[str, Any]) -> str:
    return local_url(target, "uitvoeringsplannen", row["implementation_plan__uuid"], "acties", action_uuid)


def assert_not_found(response, *context: object) -> None:
    assert response.status_code == 404, (*context, response.status_code, response.content[:300])
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("role", MUNICIPAL + REGIONAL)
def test_local_lists_return_exactly_the_schema_in_the_url(
    role, local_content, make_user, api_client_for, municipalities, all_local_rows
):
    rows = all_local_rows()
    for user, visible in callers(role, make_user, municipalities):
        client = api_client_for(user)
        for target in municipalities:
            own = rows[target.cbs_code]
            allowed = target.cbs_code in visible
            for kind in ("veiligheidsplannen", *COLLECTIONS):
                response = client.get(local_url(target, kind), {"pageSize": 500})
                if allowed:
                    assert response.status_code == 200, (role, target.cbs_code, kind)
                    assert uuids(response) == set(own[kind]), (role, target.cbs_code, kind)
                else:
                    assert_not_found(response, role, visible, target.cbs_code, kind)
            # Actions are listed per yearly plan: try the yearly plans of every schema under this path.
            for code, other in rows.items():
                for plan_uuid in other["uitvoeringsplannen"]:
                    response = client.get(local_url(target, "uitvoeringsplannen", plan_uuid, "acties"))
                    if allowed and code == target.cbs_code:
                        assert response.status_code == 200
                        expected = {
                            a for a, row in own["acties"].items() if str(row["implementation_plan__uuid"]) == plan_uuid
                        }
                        assert uuids(response) == expected
                    else:
                        assert_not_found(response, role, visible, target.cbs_code, code)


@pytest.mark.parametrize("role", MUNICIPAL + REGIONAL)
def test_local_details_are_found_only_in_the_schema_in_the_url(
    role, local_content, make_user, api_client_for, municipalities, all_local_rows
):
    rows = all_local_rows()
    for user, visible in callers(role, make_user, municipalities):
        client = api_client_for(user)
        for target in municipalities:
            own = rows[target.cbs_code]
            for code, other in rows.items():
                found = target.cbs_code in visible and code == target.cbs_code
                for kind in ("veiligheidsplannen", *COLLECTIONS):
                    for object_uuid in other[kind]:
                        response = client.get(local_url(target, kind, object_uuid))
                        if not found:
                            assert_not_found(response, role, visible, target.cbs_code, code, kind)
                            continue
                        assert response.status_code == 200, (role, target.cbs_code, kind)
                        body = response.json()
                        assert body["uuid"] == object_uuid
                        _assert_nested_in_schema(kind, body, own)
                for action_uuid, row in other["acties"].items():
                    response = client.get(action_url(target, action_uuid, row))
                    if found:
                        assert response.status_code == 200
                        assert response.json()["uuid"] == action_uuid
                    else:
                        assert_not_found(response, role, visible, target.cbs_code, code, "acties")


def _assert_nested_in_schema(kind: str, body: dict[str, Any], own: dict[str, dict[str, Any]]) -> None:
    """Everything nested in a detail belongs to the same schema (and the same parent)."""
    if kind == "veiligheidsplannen":
        nested = {
            item["uuid"]
            for part in ("planstappen", "mijlpalen", "uitgangspunten", "participatiemomenten", "raadsbesluiten")
            for item in body[part]
        }
        expected = {u for u, row in own["planonderdelen"].items() if row["plan"] == body["uuid"]}
        assert nested == expected
    elif kind == "prioriteiten":
        assert body["veiligheidsplan"] in own["veiligheidsplannen"]
    elif kind == "indicatoren":
        assert body["prioriteit"] in own["prioriteiten"]
        assert body["veiligheidsplan"] in own["veiligheidsplannen"]
    elif kind == "uitvoeringsplannen":
        assert body["veiligheidsplan"] in own["veiligheidsplannen"]
        expected = {u for u, row in own["acties"].items() if str(row["implementation_plan__uuid"]) == body["uuid"]}
        assert {a["uuid"] for a in body["acties"]} == expected


# --- Writes ------------------------------------------------------------------------------------
def priority_body(plan_uuid: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "titel": "Veilig uitgaan in het centrum",
        "omschrijving": "Minder geweld rond de horeca.",
        "veiligheidsveld": "2",
        "thema": "2.3",
        "imvThemas": [],
        "veiligheidsplan": plan_uuid,
    }
    return {**body, **overrides}


def indicator_body(priority_uuid: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "prioriteit": priority_uuid,
        "naam": "Geweldsincidenten in het uitgaansgebied",
        "eenheid": "aantal",
        "nulmeting": 40,
        "jaarNulmeting": 2023,
        "streefwaarde": 30,
        "streefjaar": 2027,
        "metingen": [{"jaar": 2024, "waarde": 38}],
    }
    return {**body, **overrides}


def action_body(**overrides: Any) -> dict[str, Any]:
    return {"titel": "Horecaoverleg", "trekker": "Team OOV", "deadline": "2025-06-30", "kosten": 1500, **overrides}


NEW_PLAN = {"titel": "Plan 2032-2035", "eersteJaar": 2032, "laatsteJaar": 2035}
PART_COLLECTIONS = {"participatiemoment": "participatiemomenten", "raadsbesluit": "raadsbesluiten"}
PART_BODIES = {
    "participatiemomenten": {"vorm": "enquete", "datum": "2024-09-01"},
    "raadsbesluiten": {"datum": "2024-12-19", "zaaknummer": "Z-9", "openbaarheid": "openbaar"},
}


def write_requests(target, rows: dict[str, dict[str, Any]]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every kind of write under the target's path, with valid bodies naming the target's own rows."""
    plan = next(iter(rows["veiligheidsplannen"]))
    priority = next(iter(rows["prioriteiten"]))
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("post", local_url(target, "prioriteiten"), priority_body(plan)),
        ("post", local_url(target, "indicatoren"), indicator_body(priority)),
    ]
    for object_uuid in rows["veiligheidsplannen"]:
        requests.append(("patch", local_url(target, "veiligheidsplannen", object_uuid), {"titel": "Overgenomen"}))
    for kind, change in (("prioriteiten", {"titel": "Overgenomen"}), ("indicatoren", {"naam": "Overgenomen"})):
        for object_uuid in rows[kind]:
            requests.append(("patch", local_url(target, kind, object_uuid), change))
            requests.append(("delete", local_url(target, kind, object_uuid), {}))
    requests.append(("post", local_url(target, "veiligheidsplannen"), NEW_PLAN))
    requests.append(("post", local_url(target, "uitvoeringsplannen"), {"veiligheidsplan": plan, "jaar": 2025}))
    for plan_uuid in rows["uitvoeringsplannen"]:
        requests.append(("post", local_url(target, "uitvoeringsplannen", plan_uuid, "acties"), action_body()))
        requests.append(("patch", local_url(target, "uitvoeringsplannen", plan_uuid), {"terugblik": "Overgenomen"}))
    for action_uuid, row in rows["acties"].items():
        requests.append(("patch", action_url(target, action_uuid, row), {"status": "gereed"}))
        requests.append(("delete", action_url(target, action_uuid, row), {}))
    for part_uuid, part in rows["planonderdelen"].items():
        collection = PART_COLLECTIONS.get(part["kind"])
        if collection:
            parts = local_url(target, "veiligheidsplannen", part["plan"], collection)
            requests.append(("post", parts, PART_BODIES[collection]))
            requests.append(("patch", f"{parts}/{part_uuid}", PART_BODIES[collection]))
            requests.append(("delete", f"{parts}/{part_uuid}", {}))
    for plan_uuid in rows["uitvoeringsplannen"]:  # after the actions: removing a yearly plan removes them
        requests.append(("delete", local_url(target, "uitvoeringsplannen", plan_uuid), {}))
    for object_uuid in rows["veiligheidsplannen"]:  # last: removing a plan removes everything in it
        requests.append(("delete", local_url(target, "veiligheidsplannen", object_uuid), {}))
    return requests


def send(client, method: str, url: str, body: dict[str, Any], etag: str = '"stale"'):
    return getattr(client, method)(url, body, format="json", HTTP_IF_MATCH=etag)


@pytest.mark.parametrize("role", REGIONAL)
def test_regional_writes_are_403_and_change_no_schema(
    role, local_content, make_user, api_client_for, municipalities, all_local_rows
):
    before, projection = all_local_rows(), projection_rows()
    client = api_client_for(make_user(role))
    for target in municipalities:
        for method, url, body in write_requests(target, before[target.cbs_code]):
            response = send(client, method, url, body)
            assert response.status_code == 403, (role, method, url, response.content[:300])
            assert response["Content-Type"] == PROBLEM
    assert all_local_rows() == before
    assert projection_rows() == projection


@pytest.mark.parametrize("role", MUNICIPAL)
def test_municipal_writes_elsewhere_are_404_and_change_no_schema(
    role, local_content, make_user, api_client_for, municipalities, all_local_rows
):
    before, projection = all_local_rows(), projection_rows()
    for own in municipalities:
        client = api_client_for(make_user(role, own))
        for target in municipalities:
            if target == own:
                continue
            for method, url, body in write_requests(target, before[target.cbs_code]):
                assert_not_found(send(client, method, url, body), role, own.cbs_code, method, url)
    assert all_local_rows() == before
    assert projection_rows() == projection


@pytest.mark.parametrize("role", MUNICIPAL)
def test_municipal_writes_through_own_path_cannot_reach_another_schema(
    role, local_content, make_user, api_client_for, municipalities, all_local_rows
):
    """Another schema's UUIDs under the own path: 404 for the object, 400 naming the field for a reference."""
    before, projection = all_local_rows(), projection_rows()
    for own in municipalities:
        client = api_client_for(make_user(role, own))
        for other in municipalities:
            if other == own:
                continue
            foreign = before[other.cbs_code]
            for kind in ("prioriteiten", "indicatoren"):
                for object_uuid in foreign[kind]:
                    for method in ("patch", "delete"):
                        response = send(client, method, local_url(own, kind, object_uuid), {"titel": "Gekaapt"})
                        assert_not_found(response, own.cbs_code, kind, method)
            for object_uuid in foreign["veiligheidsplannen"]:
                for method in ("patch", "delete"):
                    response = send(client, method, local_url(own, "veiligheidsplannen", object_uuid), {"titel": "x"})
                    assert_not_found(response, own.cbs_code, "veiligheidsplannen", method)
                for collection, body in PART_BODIES.items():
                    response = send(client, "post", local_url(own, "veiligheidsplannen", object_uuid, collection), body)
                    assert_not_found(response, own.cbs_code, collection)
            for object_uuid in foreign["uitvoeringsplannen"]:
                for method in ("patch", "delete"):
                    response = send(client, method, local_url(own, "uitvoeringsplannen", object_uuid), {"jaar": 2025})
                    assert_not_found(response, own.cbs_code, "uitvoeringsplannen", method)
            own_plan = next(iter(before[own.cbs_code]["veiligheidsplannen"]))
            for part_uuid, part in foreign["planonderdelen"].items():
                if part["kind"] in PART_COLLECTIONS:  # another schema's part under the own plan's path
                    collection = PART_COLLECTIONS[part["kind"]]
                    url = local_url(own, "veiligheidsplannen", own_plan, collection, part_uuid)
                    assert_not_found(send(client, "delete", url, {}), own.cbs_code, collection)
            for action_uuid, row in foreign["acties"].items():
                own_yearly = next(iter(before[own.cbs_code]["uitvoeringsplannen"]))
                response = send(
                    client, "patch", local_url(own, "uitvoeringsplannen", own_yearly, "acties", action_uuid), {}
                )
                assert_not_found(response, own.cbs_code, "acties")
                assert_not_found(send(client, "patch", action_url(own, action_uuid, row), {}), own.cbs_code)
            references = [
                (
                    local_url(own, "prioriteiten"),
                    priority_body(next(iter(foreign["veiligheidsplannen"]))),
                    "veiligheidsplan",
                ),
                (local_url(own, "indicatoren"), indicator_body(next(iter(foreign["prioriteiten"]))), "prioriteit"),
            ]
            own_yearly = next(iter(before[own.cbs_code]["uitvoeringsplannen"]))
            references.append(
                (
                    local_url(own, "uitvoeringsplannen", own_yearly, "acties"),
                    action_body(prioriteit=next(iter(foreign["prioriteiten"]))),
                    "prioriteit",
                )
            )
            for url, body, field in references:
                response = client.post(url, body, format="json")
                assert response.status_code == 400, (url, response.content[:300])
                assert [p["name"] for p in response.json()["invalidParams"]] == [field]
    assert all_local_rows() == before
    assert projection_rows() == projection


@pytest.mark.parametrize("role", MUNICIPAL)
def test_municipal_writes_change_only_the_own_schema_and_its_projection(
    role, local_content, make_user, api_client_for, municipalities, all_local_rows
):
    for own in municipalities:
        before, projection_before = all_local_rows(), projection_rows()
        client = api_client_for(make_user(role, own))
        rows = before[own.cbs_code]
        plan = next(iter(rows["veiligheidsplannen"]))

        created = client.post(local_url(own, "prioriteiten"), priority_body(plan), format="json")
        assert created.status_code == 201, created.content
        priority_url = created["Location"]
        changed = send(client, "patch", priority_url, {"titel": "Uitgaan zonder geweld"}, created["ETag"])
        assert changed.status_code == 200, changed.content
        indicator = client.post(local_url(own, "indicatoren"), indicator_body(created.json()["uuid"]), format="json")
        assert indicator.status_code == 201, indicator.content
        response = send(client, "patch", indicator["Location"], {"streefwaarde": 25}, indicator["ETag"])
        assert response.status_code == 200, response.content
        yearly = next(iter(rows["uitvoeringsplannen"]))
        action = client.post(local_url(own, "uitvoeringsplannen", yearly, "acties"), action_body(), format="json")
        assert action.status_code == 201, action.content
        response = send(client, "patch", action["Location"], {"status": "lopend"}, action["ETag"])
        assert response.status_code == 200, response.content
        response = send(client, "patch", local_url(own, "veiligheidsplannen", plan), {"samenvatting": "Bijgewerkt."})
        assert response.status_code == 412  # an optional If-Match there, but a stale one still refuses
        existing = next(u for u in rows["prioriteiten"] if u != created.json()["uuid"])
        url = local_url(own, "prioriteiten", existing)
        assert send(client, "delete", url, {}, etag_of(client, url)).status_code == 204

        after, projection_after = all_local_rows(), projection_rows()
        for other in municipalities:
            if other != own:
                assert after[other.cbs_code] == before[other.cbs_code], (own.cbs_code, other.cbs_code)
        assert after[own.cbs_code] != before[own.cbs_code]
        assert created.json()["uuid"] in after[own.cbs_code]["prioriteiten"]
        assert existing not in after[own.cbs_code]["prioriteiten"]
        # The projection changed for this municipality only, and says what its schema says.
        others = {u: r for u, r in projection_before.items() if r["municipality__cbs_code"] != own.cbs_code}
        assert {u: r for u, r in projection_after.items() if r["municipality__cbs_code"] != own.cbs_code} == others
        projected = {u: r for u, r in projection_after.items() if r["municipality__cbs_code"] == own.cbs_code}
        assert set(projected) == set(after[own.cbs_code]["prioriteiten"])
        for priority_uuid, row in after[own.cbs_code]["prioriteiten"].items():
            assert projected[priority_uuid]["title"] == row["title"]
            assert projected[priority_uuid]["plan_uuid"] == row["plan__uuid"]
        assert projected[created.json()["uuid"]]["title"] == "Uitgaan zonder geweld"


def test_regional_token_of_another_police_unit_gets_404_everywhere(
    local_content, make_user, api_client_for, municipalities, all_local_rows
):
    rows = all_local_rows()
    other_unit = PoliceUnit.objects.create(name="Midden-Nederland", slug="midden-nederland")
    user = make_user(None)
    Membership.objects.create(user=user, role=Role.ADVISER, police_unit=other_unit)
    client = api_client_for(user)

    for target in municipalities:
        for kind in COLLECTIONS:
            assert_not_found(client.get(local_url(target, kind)), kind)
        for method, url, body in write_requests(target, rows[target.cbs_code]):
            assert_not_found(send(client, method, url, body), method, url)
    assert all_local_rows() == rows


def test_actions_of_a_yearly_plan_stay_under_that_plan(local_content, make_user, api_client_for, heemstede):
    """An action's UUID under the path of another yearly plan of the same municipality is 404 too."""
    client = api_client_for(make_user(Role.OOV, heemstede))
    rows = schema_local_rows(heemstede)["acties"]
    yearly_plans = {str(r["implementation_plan__uuid"]) for r in rows.values()}
    assert len(yearly_plans) == 2
    for action_uuid, row in rows.items():
        wrong = next(p for p in yearly_plans if p != str(row["implementation_plan__uuid"]))
        assert_not_found(client.get(local_url(heemstede, "uitvoeringsplannen", wrong, "acties", action_uuid)))
        assert client.get(action_url(heemstede, action_uuid, row)).status_code == 200
