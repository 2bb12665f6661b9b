"""No municipality sees or changes another's data through the pages; RBOP members change nothing.

Every combination of role × own municipality × target municipality × page is generated and
checked: the status, and that a page shows only UUIDs from the schema it may show.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from municipalities.models import SafetyPlan
from tenants.models import Municipality, Role, User

pytestmark = pytest.mark.django_db

ROLES = [Role.OOV, Role.GRIFFIE, Role.ADVISER, Role.RBOP, "none", "superuser"]


@dataclass
class Caller:
    label: str
    client: Client
    municipality: Municipality | None  # own municipality for municipal roles
    role: str


def plan_uuids(municipality: Municipality) -> set[str]:
    with schema_context(municipality.schema_name):
        return {str(u) for u in SafetyPlan.objects.values_list("uuid", flat=True)}


def plan_rows(municipality: Municipality) -> list[tuple[object, str, str]]:
    with schema_context(municipality.schema_name):
        return list(SafetyPlan.objects.order_by("uuid").values_list("uuid", "title", "status"))


@pytest.fixture
def municipalities(heemstede, haarlem, bloemendaal) -> list[Municipality]:
    return [heemstede, haarlem, bloemendaal]


@pytest.fixture
def callers(municipalities, make_user, client_for) -> list[Caller]:
    result = []
    for role, own in itertools.product(ROLES, municipalities):
        if role in (Role.OOV, Role.GRIFFIE):
            user = make_user(role, own)
        elif own is not municipalities[0]:
            continue  # regional and role-less callers do not belong to a municipality
        elif role == "none":
            user = make_user(None)
        elif role == "superuser":
            user = User.objects.create_superuser(username="platform", password="x" * 20)
        else:
            user = make_user(role)
        result.append(
            Caller(
                f"{role}@{own.name if role in (Role.OOV, Role.GRIFFIE) else '-'}",
                client_for(user),
                own if role in (Role.OOV, Role.GRIFFIE) else None,
                role,
            )
        )
    return result


def may_read(caller: Caller, target: Municipality) -> bool:
    return caller.role in (Role.ADVISER, Role.RBOP) or caller.municipality == target


def may_edit(caller: Caller, target: Municipality) -> bool:
    return caller.role in (Role.OOV, Role.GRIFFIE) and caller.municipality == target


def test_every_role_reads_only_what_it_may(callers, municipalities):
    uuids = {m.pk: plan_uuids(m) for m in municipalities}
    checked = 0
    for caller, target in itertools.product(callers, municipalities):
        response = caller.client.get(f"/gemeenten/{target.slug}/")
        body = response.content.decode()
        if may_read(caller, target):
            assert response.status_code == 200, caller.label
            assert all(u in body for u in uuids[target.pk]), caller.label
        else:
            assert response.status_code == 403, (caller.label, target.name, response.status_code)
            assert "Geen toegang" in body
        for other in municipalities:
            if other != target:
                assert not any(u in body for u in uuids[other.pk]), (caller.label, target.name, other.name)
        checked += 1
    assert checked == len(callers) * len(municipalities) >= 24


def test_every_role_edits_only_its_own_plan(callers, municipalities):
    for caller, target in itertools.product(callers, municipalities):
        before = {m.pk: plan_rows(m) for m in municipalities}
        with schema_context(target.schema_name):
            plan = SafetyPlan.objects.order_by("period_start").first()
        assert plan is not None
        url = f"/gemeenten/{target.slug}/veiligheidsplannen/{plan.uuid}/bewerken/"
        title = f"Gewijzigd door {caller.label}"
        response = caller.client.post(url, {"title": title, "status": plan.status, "summary": plan.summary})
        after = {m.pk: plan_rows(m) for m in municipalities}
        if may_edit(caller, target):
            assert response.status_code == 302, caller.label
            with schema_context(target.schema_name):
                assert SafetyPlan.objects.get(uuid=plan.uuid).title == title
            changed = [m for m in municipalities if before[m.pk] != after[m.pk]]
            assert changed == [target], caller.label
        else:
            assert response.status_code == 403, (caller.label, target.name, response.status_code)
            assert before == after, caller.label


def test_plan_of_another_municipality_is_not_found_under_own_address(make_user, client_for, heemstede, haarlem):
    client = client_for(make_user(Role.OOV, heemstede))
    with schema_context(haarlem.schema_name):
        haarlem_plan = SafetyPlan.objects.first()
    assert haarlem_plan is not None
    response = client.get(f"/gemeenten/heemstede/veiligheidsplannen/{haarlem_plan.uuid}/bewerken/")
    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_login(heemstede):
    response = Client().get("/gemeenten/heemstede/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_unknown_municipality_gets_a_dutch_404_page(make_user, client_for, heemstede):
    response = client_for(make_user(Role.ADVISER)).get("/gemeenten/atlantis/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_invalid_plan_edit_shows_errors_and_writes_nothing(make_user, client_for, heemstede):
    client = client_for(make_user(Role.OOV, heemstede))
    with schema_context(heemstede.schema_name):
        plan = SafetyPlan.objects.first()
    assert plan is not None
    before = plan_rows(heemstede)
    response = client.post(
        f"/gemeenten/heemstede/veiligheidsplannen/{plan.uuid}/bewerken/",
        {"title": "", "status": "onzin", "summary": ""},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dit veld is vereist." in body
    assert "utrecht-form-field-error-message" in body
    assert plan_rows(heemstede) == before
