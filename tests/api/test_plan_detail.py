"""GET /api/v1/gemeenten/{cbs_code}/veiligheidsplannen/{uuid}: the plan with its parts, its ETag, and the
council decision's download (never its place on disk)."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context

from imv.demo import minimal_pdf
from municipalities.models import PlanDecision, PlanStepKind, SafetyPlan
from tenants.models import Role
from tests.api.conftest import etag_of, plans_url
from tests.query_budget import max_work_queries

PROBLEM = "application/problem+json"


@pytest.fixture
def heemstede_plans(heemstede) -> dict[int, str]:
    with schema_context(heemstede.schema_name):
        return {plan.period_start: str(plan.uuid) for plan in SafetyPlan.objects.all()}


@pytest.fixture
def stored_decision(heemstede, settings, tmp_path) -> PlanDecision:
    """Heemstede's real 2020 decision, with a PDF stored in the municipality's own folder."""
    settings.MEDIA_ROOT = tmp_path
    with schema_context(heemstede.schema_name):
        decision = PlanDecision.objects.get(case_number="560652")
        decision.document.save("mijn besluit.pdf", ContentFile(minimal_pdf("Raadsbesluit IVP")))
        return decision


def document_url(heemstede, plan_uuid: str, decision_uuid: object) -> str:
    return f"{plans_url(heemstede, plan_uuid)}/raadsbesluiten/{decision_uuid}/document"


def test_plan_detail_has_steps_and_milestones_of_heemstedes_new_plan(
    make_user, api_client_for, heemstede, heemstede_plans
):
    client = api_client_for(make_user(Role.OOV, heemstede))

    body = client.get(plans_url(heemstede, heemstede_plans[2024])).json()

    assert [s["stap"] for s in body["planstappen"]] == list(PlanStepKind.values)
    assert body["planstappen"][0] == {
        "uuid": body["planstappen"][0]["uuid"],
        "stap": "opstart",
        "naam": "1. opstart",
        "geplandBegin": "2023-07-01",
        "geplandEind": "2023-07-11",
        "afgerondOp": "2023-07-11",
        "toelichting": "",
    }
    assert body["mijlpalen"][-1]["titel"] == "Raad: vaststelling van het beleidsplan"
    survey = next(m for m in body["mijlpalen"] if m["titel"] == "Enquête onder inwoners")
    assert (survey["datum"], survey["totEnMet"], survey["gereed"]) == ("2023-09-01", "2023-10-31", False)
    assert set(body["_links"]) == {
        "self",
        "gemeente",
        "prioriteiten",
        "indicatoren",
        "uitvoeringsplannen",
        "participatiemomenten",
        "raadsbesluiten",
    }
    assert body["_links"]["prioriteiten"]["href"].endswith(f"/prioriteiten?veiligheidsplan={heemstede_plans[2024]}")
    own = plans_url(heemstede, heemstede_plans[2024])
    assert body["_links"]["participatiemomenten"]["href"] == f"{own}/participatiemomenten"
    assert body["_links"]["raadsbesluiten"]["href"] == f"{own}/raadsbesluiten"


def test_plan_detail_has_principles_participation_and_decisions_of_the_old_plan(
    make_user, api_client_for, heemstede, heemstede_plans
):
    client = api_client_for(make_user(Role.RBOP))

    body = client.get(plans_url(heemstede, heemstede_plans[2020])).json()

    assert [p["titel"] for p in body["uitgangspunten"]] == [
        "Actieve wederkerigheid",
        "Persoonsgericht werken aan veiligheid",
        "Van repressief naar preventief",
        "Slagvaardige overheid",
    ]
    plan = plans_url(heemstede, heemstede_plans[2020])
    [walk] = body["participatiemomenten"]
    assert (walk["vorm"], walk["datum"]) == ("wijkwandeling", "2019-09-01")
    assert walk["_links"]["self"]["href"] == f"{plan}/participatiemomenten/{walk['uuid']}"
    [decision] = body["raadsbesluiten"]
    assert decision == {
        "uuid": decision["uuid"],
        "datum": "2020-04-23",
        "zaaknummer": "560652",
        "openbaarheid": "openbaar",
        # no document stored: no download link
        "_links": {
            "self": {"href": f"{plan}/raadsbesluiten/{decision['uuid']}"},
            "veiligheidsplan": {"href": plan},
        },
    }


def test_plan_detail_links_a_stored_decision_without_naming_its_file(
    make_user, api_client_for, heemstede, heemstede_plans, stored_decision
):
    client = api_client_for(make_user(Role.GRIFFIE, heemstede))

    response = client.get(plans_url(heemstede, heemstede_plans[2020]))

    [decision] = response.json()["raadsbesluiten"]
    assert decision["_links"]["document"] == {
        "href": document_url(heemstede, heemstede_plans[2020], stored_decision.uuid)
    }
    assert stored_decision.document.name.startswith("gemeenten/gm0397/raadsbesluiten/")
    assert stored_decision.document.name.encode() not in response.content
    assert b"raadsbesluiten/ivp" not in response.content
    assert b"mijn besluit" not in response.content


@pytest.mark.parametrize("role", [Role.OOV, Role.GRIFFIE, Role.ADVISER, Role.RBOP])
def test_decision_download_is_an_attachment_for_whoever_reads_the_plan(
    role, make_user, api_client_for, heemstede, heemstede_plans, stored_decision
):
    client = api_client_for(make_user(role, heemstede))

    response = client.get(
        document_url(heemstede, heemstede_plans[2020], stored_decision.uuid), HTTP_ACCEPT="application/pdf"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="raadsbesluit-GM0397-560652.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("role", [Role.OOV, Role.GRIFFIE])
def test_decision_download_of_another_municipality_is_404(
    role, make_user, api_client_for, heemstede, haarlem, heemstede_plans, stored_decision
):
    client = api_client_for(make_user(role, haarlem))

    for municipality in (heemstede, haarlem):  # also Heemstede's UUIDs under Haarlem's own path
        response = client.get(document_url(municipality, heemstede_plans[2020], stored_decision.uuid))
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM


def test_decision_download_without_document_is_404_problem_whatever_accept_says(
    make_user, api_client_for, heemstede, heemstede_plans
):
    client = api_client_for(make_user(Role.OOV, heemstede))
    with schema_context(heemstede.schema_name):
        decision = PlanDecision.objects.get(case_number="560652")

    for url in (
        document_url(heemstede, heemstede_plans[2020], decision.uuid),
        document_url(heemstede, heemstede_plans[2020], uuid.uuid4()),
        document_url(heemstede, heemstede_plans[2024], decision.uuid),  # another plan's decision
    ):
        response = client.get(url, HTTP_ACCEPT="application/pdf")
        assert response.status_code == 404, url
        assert response["Content-Type"] == PROBLEM
        assert response.json()["status"] == 404


def test_plan_detail_sends_an_etag_that_an_optional_if_match_checks(
    make_user, api_client_for, heemstede, heemstede_plans
):
    client = api_client_for(make_user(Role.OOV, heemstede))
    url = plans_url(heemstede, heemstede_plans[2024])
    etag = etag_of(client, url)
    assert etag_of(client, url) == etag  # reading does not change it

    changed = client.patch(url, {"samenvatting": "Eerst."}, format="json", HTTP_IF_MATCH=etag)
    stale = client.patch(url, {"samenvatting": "Daarna."}, format="json", HTTP_IF_MATCH=etag)
    without = client.patch(url, {"samenvatting": "Zonder."}, format="json")

    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert stale.status_code == 412
    assert stale["Content-Type"] == PROBLEM
    assert without.status_code == 200  # published without If-Match: still accepted
    assert without.json()["samenvatting"] == "Zonder."
    assert "planstappen" in without.json()  # the answer is the detail, as GET gives it


def test_plan_detail_stays_within_query_budget(make_user, api_client_for, heemstede, heemstede_plans):
    client = api_client_for(make_user(Role.ADVISER))

    # token, last_used_at, municipality, plan, and one each for steps, milestones, principles,
    # participation and decisions
    # + 2: setting and restoring portal.tenant for row-level security (tenants.rls)
    with max_work_queries(9 + 2):
        assert client.get(plans_url(heemstede, heemstede_plans[2024])).status_code == 200
