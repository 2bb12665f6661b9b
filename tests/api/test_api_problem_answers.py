"""Every answer under /api/ is problem+json, in every PORTAL_ENV: also for paths that match no route and for
errors outside the API's views, where development (DEBUG) would show Django's technical HTML pages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tenants.middleware import TenantPathMiddleware

ROOT = Path(__file__).resolve().parent.parent.parent
PROBLEM = "application/problem+json"
# Paths that match no route: the fuzzer and clients found each of them.
UNROUTED = [
    "/api/v1/gemeenten/",
    "/api/v1/gemeenten/gm0397",
    "/api/v1/gemeenten/GM0397/veiligheidsplannen/geen-uuid",
    "/api/v1/deelnames/null,null",
    "/api/v1/deelnames/3fa85f64-5717-4562-b3fc-2c963f66afa",
    "/api/v1/bestaat-niet",
]
# In a fresh interpreter with the settings of one PORTAL_ENV: each path's status, content type and body.
PROBE = """
import json, sys
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost", raise_request_exception=False)
answers = []
for method, path in json.loads(sys.argv[1]):
    response = getattr(client, method)(path, secure=True)
    answers.append(
        [response.status_code, response["Content-Type"], response.content.decode(), response.get("API-Version")]
    )
print(json.dumps(answers))
"""


def probe(portal_env: str, requests: list[tuple[str, str]]) -> list[list]:
    env = {
        **os.environ,
        "PORTAL_ENV": portal_env,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test" if portal_env == "test" else "portal.settings",
        "DJANGO_SECRET_KEY": "probe-" + "k" * 60,
    }
    run = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(requests)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


@pytest.mark.parametrize("portal_env", ["development", "test", "production"])
def test_unrouted_api_paths_are_problem_json_in_every_portal_env(portal_env):
    requests = [("get", path) for path in UNROUTED] + [("delete", "/api/v1/gemeenten"), ("post", "/api/v1/nergens")]

    answers = probe(portal_env, requests)

    for (method, path), (status, content_type, body, version) in zip(requests, answers, strict=True):
        expected = 405 if method == "delete" else 404
        assert (status, content_type) == (expected, PROBLEM), (portal_env, method, path, body[:300])
        problem = json.loads(body)
        assert problem["status"] == expected
        assert problem["instance"] == path
        assert problem["title"] in ("Niet gevonden", "Methode niet toegestaan")
        assert version == settings.API_VERSION


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("path", UNROUTED)
def test_unrouted_api_path_is_404_problem_without_the_route_list(db, path, debug):
    with override_settings(DEBUG=debug):
        response = Client().get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body == {
        "type": "https://regioportaal.localhost/problemen/not_found",
        "title": "Niet gevonden",
        "status": 404,
        "detail": "De gevraagde resource bestaat niet.",
        "instance": path,
    }
    assert b"urlpatterns" not in response.content
    assert response["API-Version"] == settings.API_VERSION


@pytest.mark.parametrize("debug", [True, False])
def test_error_outside_the_api_views_is_500_problem_without_traceback(db, monkeypatch, debug):
    def broken(self, request):
        raise RuntimeError("geheime interne details")

    monkeypatch.setattr(TenantPathMiddleware, "__call__", broken)

    with override_settings(DEBUG=debug):
        response = Client(raise_request_exception=False).get("/api/v1/gemeenten")

    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Interne fout"
    assert "geheime" not in response.content.decode()
    assert response["API-Version"] == settings.API_VERSION


def test_pages_outside_the_api_keep_their_html_error_pages(db):
    response = Client().get("/bestaat-niet/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
