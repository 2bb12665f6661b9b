"""Text no field can store: NUL (PostgreSQL refuses it) and lone surrogates (no UTF-8 answer can echo them),
in any query parameter, any JSON key or value at any depth and any multipart field, are a 400 naming where;
so are bodies nested too deep to decode. None of them is a 500, and nothing is written.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imv.clock import amsterdam_date, db_now
from imv.demo import minimal_pdf
from imv.models import Openbaarheid, Opinion, Participation, ParticipationStatus, WooCategory
from tenants.models import Role
from tests.api.conftest import adopt, opinion_body, plans_url, schema_plans
from tests.api.test_errors import assert_problem
from tests.transition_helpers import bring_to

NUL, SURROGATE = "a\x00b", "a\ud800b"


def reasons(body: dict) -> dict[str, str]:
    return {p["name"]: p["reason"] for p in body["invalidParams"]}


@pytest.mark.parametrize(
    ("query", "name", "code"),
    [
        ("district=a%00b", "district", "0000"),
        ("district=Kennemerland&pageSize=%00", "pageSize", "0000"),
        ("a%00b=1", "a\x00b", "0000"),
    ],
)
def test_nul_in_a_public_query_parameter_is_400_not_500(client, db, query, name, code):
    body = assert_problem(client.get(f"/api/v1/gemeenten?{query}"), 400)

    assert reasons(body) == {name: f"Het teken U+{code} is niet toegestaan."}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/zienswijzen?gemeente=GM0397%00",
        "/api/v1/uitstelverzoeken?status=open%00",
        "/api/v1/consultatierondes?imvCyclus=%00",
        "/api/v1/afstemming?imvCyclus=x&district=Kennemerland%00",
        "/api/v1/gemeenten/GM0397/uitvoeringsplannen?jaar=2025%00",
    ],
)
def test_nul_in_a_query_parameter_is_400_on_every_endpoint(make_user, api_client_for, heemstede, path):
    client = api_client_for(make_user(Role.ADVISER))

    body = assert_problem(client.get(path), 400)

    assert set(reasons(body).values()) == {"Het teken U+0000 is niet toegestaan."}


@pytest.fixture
def staff_client(make_user, api_client_for, heemstede):
    return api_client_for(make_user(Role.OOV, heemstede))


@pytest.mark.parametrize(
    ("body", "name", "code"),
    [
        ({"titel": NUL}, "titel", "0000"),
        ({"titel": SURROGATE}, "titel", "D800"),
        ({"status": SURROGATE}, "status", "D800"),  # a choice, whose error message would echo it
        ({SURROGATE: "x"}, "a\\ud800b", "D800"),  # an unknown field, named in the answer
        ({"titel": "Plan", "samenvatting": {"diep": [[NUL]]}}, "samenvatting.diep.0.0", "0000"),
    ],
)
def test_nul_or_lone_surrogate_in_a_json_body_is_400_naming_where(staff_client, heemstede, body, name, code):
    plan_uuid, before = next(iter(schema_plans(heemstede).items()))

    response = staff_client.generic(
        "PATCH", plans_url(heemstede, plan_uuid), json.dumps(body), content_type="application/json"
    )

    problem = assert_problem(response, 400)
    assert reasons(problem) == {name: f"Het teken U+{code} is niet toegestaan."}
    assert schema_plans(heemstede)[plan_uuid] == before


def test_lone_surrogate_in_a_nested_list_of_a_submission_is_400_and_nothing_is_submitted(
    api_client_for, staff_of, heemstede, participation_of, top_themes
):
    staff = staff_of(heemstede)
    participation = adopt(participation_of(heemstede), staff)
    body = opinion_body(participation, top_themes)
    body["standpunten"][1]["toelichting"] = SURROGATE

    response = api_client_for(staff).generic(
        "POST", "/api/v1/zienswijzen", json.dumps(body), content_type="application/json"
    )

    assert reasons(assert_problem(response, 400)) == {
        "standpunten.1.toelichting": "Het teken U+D800 is niet toegestaan."
    }
    assert not Opinion.objects.filter(participation=participation).exists()


def test_json_nested_too_deep_to_decode_is_400(staff_client, heemstede):
    plan_uuid = next(iter(schema_plans(heemstede)))

    response = staff_client.generic(
        "PATCH", plans_url(heemstede, plan_uuid), '{"titel": ' + "[" * 100_000, content_type="application/json"
    )

    assert assert_problem(response, 400)["detail"] == "De inhoud van het verzoek is geen geldige JSON."


def test_nul_in_a_multipart_field_is_400_and_no_decision_is_stored(
    api_client_for, staff_of, heemstede, participation_of, adviser
):
    staff = staff_of(heemstede)
    participation = bring_to(ParticipationStatus.SCHEDULED, participation_of(heemstede), staff, adviser)
    client = api_client_for(staff)
    url = f"/api/v1/deelnames/{participation.uuid}"
    form = {
        "datum": amsterdam_date(db_now()).isoformat(),
        "zaaknummer": "Z-2024\x0077",
        "document": SimpleUploadedFile("besluit.pdf", minimal_pdf("Raadsbesluit"), content_type="application/pdf"),
        "openbaarheid": Openbaarheid.ACTIVE,
        "wooCategorie": WooCategory.objects.values_list("tooi_uri", flat=True)[0],
    }

    response = client.put(f"{url}/raadsbesluit", form, format="multipart", HTTP_IF_MATCH=client.get(url)["ETag"])

    assert reasons(assert_problem(response, 400)) == {"zaaknummer": "Het teken U+0000 is niet toegestaan."}
    stored = Participation.objects.get(pk=participation.pk)
    assert (stored.status, stored.decision_case_number) == (ParticipationStatus.SCHEDULED, "")
