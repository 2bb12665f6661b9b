"""API plumbing: problem+json errors with Dutch titles, no trailing slashes, version and cache headers, tokens."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from api.exceptions import TITLES
from tenants.models import ApiToken, Role
from tenants.services import api_token_create
from tests.api.conftest import plans_url, schema_plans

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"] == TITLES[status]
    assert body["detail"]
    assert body["type"].startswith("https://")
    assert response["API-Version"] == settings.API_VERSION
    return body


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.mark.parametrize(
    "path",
    ["/api/v1/bestaat-niet", "/api/v2/gemeenten", "/api/", "/api/v1/", "/api/v1/gemeenten/GM0397/bestaat-niet"],
)
def test_unknown_api_path_is_404_problem(client, path):
    body = assert_problem(client.get(path), 404)
    assert body["title"] == "Niet gevonden"
    assert body["instance"] == path


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/gemeenten/",
        "/api/v1/gemeenten/GM0397/",
        "/api/v1/gemeenten/GM0397/veiligheidsplannen/",
        "/api/v1/openapi.json/",
    ],
)
def test_trailing_slash_is_404_not_redirect(client, path, heemstede):
    response = client.get(path)

    assert response.status_code == 404
    assert "Location" not in response
    assert response["Content-Type"] == PROBLEM


def test_trailing_slash_on_plan_detail_is_404_not_redirect(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.OOV, heemstede))
    plan_uuid = next(iter(schema_plans(heemstede)))

    response = client.get(plans_url(heemstede, plan_uuid) + "/")

    assert response.status_code == 404
    assert "Location" not in response


def test_unknown_token_is_401_problem_with_challenge(heemstede):
    response = token_client("verzonnen-sleutel").get(plans_url(heemstede))

    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert body["detail"] == "Dit token is onbekend of ingetrokken."


def test_revoked_token_is_401_problem_with_challenge(make_user, heemstede):
    user = make_user(Role.OOV, heemstede)
    token, key = api_token_create(membership=user.memberships.get(), name="oud")
    client = token_client(key)
    assert client.get(plans_url(heemstede)).status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    response = client.get(plans_url(heemstede))

    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_of_deactivated_user_is_401(make_user, heemstede):
    user = make_user(Role.OOV, heemstede)
    _token, key = api_token_create(membership=user.memberships.get(), name="t")
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert_problem(token_client(key).get(plans_url(heemstede)), 401)


def test_malformed_authorization_header_is_401_problem(heemstede):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer twee woorden")

    assert_problem(client.get(plans_url(heemstede)), 401)


def test_bad_token_is_refused_on_public_endpoints_too(db):
    # A client with a broken token must learn so, not be served as anonymous.
    response = token_client("verzonnen-sleutel").get("/api/v1/gemeenten")

    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_missing_token_is_401_problem_in_dutch(db, heemstede):
    body = assert_problem(APIClient().get(plans_url(heemstede)), 401)

    assert body["title"] == "Niet geauthenticeerd"
    assert "Bearer" in body["detail"]


def test_forbidden_is_403_problem_in_dutch(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.RBOP))
    plan_uuid = next(iter(schema_plans(heemstede)))

    body = assert_problem(client.patch(plans_url(heemstede, plan_uuid), {"titel": "x"}, format="json"), 403)

    assert body["title"] == "Geen toegang"
    assert "Heemstede" in body["detail"]


def test_validation_error_is_400_problem_with_invalid_params(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.OOV, heemstede))
    plan_uuid = next(iter(schema_plans(heemstede)))

    body = assert_problem(client.patch(plans_url(heemstede, plan_uuid), {"status": "weg"}, format="json"), 400)

    assert body["invalidParams"] == [
        {"name": "status", "code": "invalid_choice", "reason": body["invalidParams"][0]["reason"]}
    ]
    assert "weg" in body["invalidParams"][0]["reason"]


def test_malformed_json_is_400_problem_in_dutch(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.OOV, heemstede))
    plan_uuid = next(iter(schema_plans(heemstede)))

    response = client.generic("PATCH", plans_url(heemstede, plan_uuid), "{titel:", content_type="application/json")

    body = assert_problem(response, 400)
    assert "JSON" in body["detail"]
    assert "parse error" not in body["detail"]


def test_unsupported_media_type_is_415_problem(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.OOV, heemstede))
    plan_uuid = next(iter(schema_plans(heemstede)))

    response = client.generic("PATCH", plans_url(heemstede, plan_uuid), "titel=x", content_type="text/plain")

    assert_problem(response, 415)


def test_method_not_allowed_is_405_problem(make_user, api_client_for, heemstede):
    response = api_client_for(make_user(Role.OOV, heemstede)).put(plans_url(heemstede), {}, format="json")

    assert_problem(response, 405)


def test_not_acceptable_is_406_problem(db):
    assert_problem(APIClient().get("/api/v1/gemeenten", HTTP_ACCEPT="application/xml"), 406)


def test_unexpected_error_is_500_problem_without_internals(make_user, api_client_for, heemstede, monkeypatch):
    def broken() -> None:
        raise RuntimeError("geheime interne details")

    monkeypatch.setattr("api.v1.plans.safety_plans.safety_plan_list", broken)
    client = api_client_for(make_user(Role.OOV, heemstede))

    response = client.get(plans_url(heemstede))

    body = assert_problem(response, 500)
    assert "geheime" not in response.content.decode()
    assert body["title"] == "Interne fout"


@pytest.mark.parametrize(
    "path", ["/api/v1/gemeenten", "/api/v1/gemeenten/GM0397", "/api/v1/openapi.json", "/api/v1/docs", "/api/v1/nergens"]
)
def test_every_api_answer_has_the_version_header(client, path, heemstede):
    response = client.get(path)

    assert response["API-Version"] == settings.API_VERSION


def test_authenticated_answers_are_not_stored(make_user, api_client_for, client_for, heemstede):
    user = make_user(Role.OOV, heemstede)

    for response in (
        api_client_for(user).get(plans_url(heemstede)),
        api_client_for(user).get("/api/v1/gemeenten"),
        client_for(user).get(plans_url(heemstede)),
        token_client("verzonnen-sleutel").get(plans_url(heemstede)),
    ):
        assert response["Cache-Control"] == "no-store"
        assert response["API-Version"] == settings.API_VERSION


def test_anonymous_public_answers_may_be_cached(client, heemstede):
    response = client.get("/api/v1/gemeenten")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_session_write_without_csrf_token_is_403_problem_in_dutch(make_user, heemstede):
    user = make_user(Role.OOV, heemstede)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    plan_uuid, before = next(iter(schema_plans(heemstede).items()))

    response = client.patch(plans_url(heemstede, plan_uuid), {"titel": "x"}, content_type="application/json")

    body = assert_problem(response, 403)
    assert body["detail"].startswith("CSRF-controle mislukt")
    assert schema_plans(heemstede)[plan_uuid] == before


def test_body_over_the_memory_limit_is_413_problem_naming_the_limit(make_user, api_client_for, heemstede):
    client = api_client_for(make_user(Role.OOV, heemstede))
    plan_uuid, before = next(iter(schema_plans(heemstede).items()))
    body = json.dumps({"titel": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})

    response = client.generic("PATCH", plans_url(heemstede, plan_uuid), body, content_type="application/json")

    assert assert_problem(response, 413)["detail"] == "De inhoud van het verzoek is te groot: hoogstens 2,5\xa0MB."
    assert schema_plans(heemstede)[plan_uuid] == before


def test_form_with_too_many_fields_is_413_problem_naming_the_limit(
    make_user, api_client_for, participation_of, heemstede
):
    url = f"/api/v1/deelnames/{participation_of(heemstede).uuid}"
    client = api_client_for(make_user(Role.OOV, heemstede))
    form = {f"veld{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.put(f"{url}/raadsbesluit", form, format="multipart", HTTP_IF_MATCH=client.get(url)["ETag"])

    assert assert_problem(response, 413)["detail"] == "Het verzoek heeft te veel velden: hoogstens 1000."


def test_broken_multipart_body_is_400_problem_in_dutch(make_user, api_client_for, participation_of, heemstede):
    url = f"/api/v1/deelnames/{participation_of(heemstede).uuid}"
    client = api_client_for(make_user(Role.OOV, heemstede))
    etag = client.get(url)["ETag"]

    response = client.generic(
        "PUT", f"{url}/raadsbesluit", b"x", content_type="multipart/form-data", HTTP_IF_MATCH=etag
    )

    assert assert_problem(response, 400)["detail"] == "De inhoud van het verzoek is geen geldige multipart/form-data."
