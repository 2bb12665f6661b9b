"""The published OpenAPI document meets the Dutch API Design Rules 2.2 (the official Spectral ruleset)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SPECTRAL = BASE_DIR / "node_modules" / ".bin" / "spectral"
RULESET = BASE_DIR / "api" / "reference_data" / "adr_2.2_spectral_ruleset.yaml"
SEVERITY = {0: "error", 1: "warning", 2: "info", 3: "hint"}


def spectral_lint(document: Path, report: Path) -> list[dict]:
    if not SPECTRAL.exists() or shutil.which("node") is None:
        pytest.fail(f"Spectral is not installed at {SPECTRAL}: run `npm ci` (make install does).")
    run = subprocess.run(
        [str(SPECTRAL), "lint", "-r", str(RULESET), "--format", "json", "--output", str(report), str(document)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BASE_DIR,
        check=False,
    )
    if not report.exists():
        pytest.fail(f"Spectral wrote no report (exit {run.returncode}):\n{run.stdout}\n{run.stderr}")
    return json.loads(report.read_text())


def describe(findings: list[dict]) -> str:
    return "\n".join(
        f"{SEVERITY.get(f['severity'], f['severity'])}: {f['code']} at {'.'.join(map(str, f['path']))}: {f['message']}"
        for f in findings
    )


@pytest.fixture
def openapi_document(client, db, tmp_path: Path) -> Path:
    """The document as /api/v1/openapi.json publishes it, in a file for Spectral."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    path = tmp_path / "openapi.json"
    path.write_bytes(response.content)
    return path


def test_openapi_document_has_no_adr_errors(openapi_document: Path, tmp_path: Path):
    findings = spectral_lint(openapi_document, tmp_path / "spectral.json")

    errors = [f for f in findings if f["severity"] == 0]
    print(describe(findings))  # warnings too, for whoever reads a failing run
    assert errors == [], f"{len(errors)} ADR errors:\n{describe(errors)}"


def test_openapi_document_has_no_adr_warnings(openapi_document: Path, tmp_path: Path):
    # Warnings are allowed by the ruleset, but we have none: keep it that way where cheap.
    findings = spectral_lint(openapi_document, tmp_path / "spectral.json")

    assert [f for f in findings if f["severity"] == 1] == [], describe(findings)


def test_openapi_document_is_json_at_the_standard_location(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == settings.API_VERSION
    assert document["servers"] == [{"url": "/api/v1", "description": "Regioportaal Veiligheid API v1"}]


def test_openapi_document_describes_the_safety_plan_resource(client, db):
    paths = json.loads(client.get("/api/v1/openapi.json").content)["paths"]

    detail = paths["/gemeenten/{cbs_code}/veiligheidsplannen/{uuid}"]
    assert set(detail) == {"get", "patch", "delete"}
    # If-Match is optional on this PATCH (it was published without): 412, never 428.
    assert set(detail["patch"]["responses"]) == {"200", "400", "401", "403", "404", "412", "413", "415"}
    # Removing requires it; a plan that is the council's is kept (409).
    assert set(detail["delete"]["responses"]) == {"204", "400", "401", "403", "404", "409", "412", "428"}
    assert set(paths["/gemeenten/{cbs_code}/veiligheidsplannen"]) == {"get", "post"}
    for path_item in paths.values():
        for operation in path_item.values():
            for response in operation["responses"].values():
                assert "API-Version" in response["headers"]


def test_openapi_document_names_fields_in_dutch_camelcase(client, db):
    schemas = json.loads(client.get("/api/v1/openapi.json").content)["components"]["schemas"]

    assert set(schemas["Veiligheidsplan"]["properties"]) == {
        "uuid",
        "titel",
        "eersteJaar",
        "laatsteJaar",
        "status",
        "samenvatting",
        "isVoorbeeld",
        "_links",
    }
    assert set(schemas["PatchedVeiligheidsplanWijzigingRequest"]["properties"]) == {"titel", "status", "samenvatting"}


def test_openapi_document_describes_the_imv_consultation(client, db):
    paths = json.loads(client.get("/api/v1/openapi.json").content)["paths"]

    assert set(paths) >= {
        "/imv-cycli",
        "/imv-cycli/{uuid}",
        "/consultatierondes",
        "/consultatierondes/{uuid}",
        "/consultatierondes/{uuid}/deelnames",
        "/deelnames/{uuid}",
        "/zienswijzen",
        "/zienswijzen/{uuid}",
        "/zienswijzen/{uuid}/intrekking",
        "/uitstelverzoeken",
        "/uitstelverzoeken/{uuid}",
    }
    assert set(paths["/deelnames/{uuid}"]) == {"get", "patch"}
    assert set(paths["/uitstelverzoeken/{uuid}"]) == {"get", "patch"}
    assert set(paths["/zienswijzen"]) == {"get", "post"}


@pytest.mark.parametrize("path", ["/deelnames/{uuid}", "/uitstelverzoeken/{uuid}"])
def test_openapi_document_requires_if_match_with_412_and_428(client, db, path):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    patch = document["paths"][path]["patch"]

    [if_match] = [p for p in patch["parameters"] if p["name"] == "If-Match"]
    assert (if_match["in"], if_match["required"]) == ("header", True)
    for code in ("412", "428"):
        assert "application/problem+json" in patch["responses"][code]["content"]
    assert patch["responses"]["200"]["headers"]["ETag"] == {"$ref": "#/components/headers/ETag"}
    assert document["paths"][path]["get"]["responses"]["200"]["headers"]["ETag"]
    assert "ETag" in document["components"]["headers"]


def test_openapi_document_describes_idempotent_submission(client, db):
    post = json.loads(client.get("/api/v1/openapi.json").content)["paths"]["/zienswijzen"]["post"]

    headers = {p["name"]: p for p in post["parameters"] if p["in"] == "header"}
    assert headers["Idempotency-Key"].get("required", False) is False
    assert headers["If-Match"].get("required", False) is False
    assert {"200", "201", "409", "412", "422"} <= set(post["responses"])
    assert "428" not in post["responses"]
    assert post["responses"]["201"]["headers"]["Location"] == {"$ref": "#/components/headers/Location"}


LOCAL = "/gemeenten/{cbs_code}"
PLAN = f"{LOCAL}/veiligheidsplannen/{{veiligheidsplan_uuid}}"


def test_openapi_document_describes_the_local_plan_and_the_alignment(client, db):
    paths = json.loads(client.get("/api/v1/openapi.json").content)["paths"]

    expected = {
        f"{LOCAL}/prioriteiten": {"get", "post"},
        f"{LOCAL}/prioriteiten/{{uuid}}": {"get", "patch", "delete"},
        f"{LOCAL}/indicatoren": {"get", "post"},
        f"{LOCAL}/indicatoren/{{uuid}}": {"get", "patch", "delete"},
        f"{LOCAL}/uitvoeringsplannen": {"get", "post"},
        f"{LOCAL}/uitvoeringsplannen/{{uuid}}": {"get", "patch", "delete"},
        f"{LOCAL}/uitvoeringsplannen/{{uitvoeringsplan_uuid}}/acties": {"get", "post"},
        f"{LOCAL}/uitvoeringsplannen/{{uitvoeringsplan_uuid}}/acties/{{uuid}}": {"get", "patch", "delete"},
        f"{PLAN}/participatiemomenten": {"get", "post"},
        f"{PLAN}/participatiemomenten/{{uuid}}": {"get", "patch", "delete"},
        f"{PLAN}/raadsbesluiten": {"get", "post"},
        f"{PLAN}/raadsbesluiten/{{uuid}}": {"get", "patch", "delete"},
        f"{PLAN}/raadsbesluiten/{{uuid}}/document": {"get"},
        "/afstemming": {"get"},
        "/afstemming/gemeenten/{cbs_code}": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
    # A council decision carries its PDF.
    for path, method in ((f"{PLAN}/raadsbesluiten", "post"), (f"{PLAN}/raadsbesluiten/{{uuid}}", "patch")):
        assert set(paths[path][method]["requestBody"]["content"]) == {"multipart/form-data"}
    download = paths[f"{PLAN}/raadsbesluiten/{{uuid}}/document"]["get"]
    assert set(download["responses"]["200"]["content"]) == {"application/pdf"}
    assert "application/problem+json" in download["responses"]["404"]["content"]
    for path, refused in (("/afstemming", "403"), ("/afstemming/gemeenten/{cbs_code}", "404")):
        [cycle] = [p for p in paths[path]["get"]["parameters"] if p["name"] == "imvCyclus"]
        assert cycle["required"] is True
        responses = paths[path]["get"]["responses"]
        assert {"200", "400", "401", refused} <= set(responses)
        assert "application/problem+json" in responses[refused]["content"]


@pytest.mark.parametrize(
    ("path", "method"),
    [
        (f"{LOCAL}/prioriteiten/{{uuid}}", "patch"),
        (f"{LOCAL}/prioriteiten/{{uuid}}", "delete"),
        (f"{LOCAL}/indicatoren/{{uuid}}", "patch"),
        (f"{LOCAL}/indicatoren/{{uuid}}", "delete"),
        (f"{LOCAL}/uitvoeringsplannen/{{uitvoeringsplan_uuid}}/acties/{{uuid}}", "patch"),
        (f"{LOCAL}/uitvoeringsplannen/{{uitvoeringsplan_uuid}}/acties/{{uuid}}", "delete"),
        (f"{LOCAL}/uitvoeringsplannen/{{uuid}}", "patch"),
        (f"{LOCAL}/uitvoeringsplannen/{{uuid}}", "delete"),
        (f"{LOCAL}/veiligheidsplannen/{{uuid}}", "delete"),
        (f"{PLAN}/participatiemomenten/{{uuid}}", "patch"),
        (f"{PLAN}/participatiemomenten/{{uuid}}", "delete"),
        (f"{PLAN}/raadsbesluiten/{{uuid}}", "patch"),
        (f"{PLAN}/raadsbesluiten/{{uuid}}", "delete"),
    ],
)
def test_openapi_document_requires_if_match_on_local_changes(client, db, path, method):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    operation = document["paths"][path][method]

    [if_match] = [p for p in operation["parameters"] if p["name"] == "If-Match"]
    assert (if_match["in"], if_match["required"]) == ("header", True)
    assert {"403", "404", "412", "428"} <= set(operation["responses"])
    assert document["paths"][path]["get"]["responses"]["200"]["headers"]["ETag"]


@pytest.mark.parametrize(
    "path",
    [
        f"{LOCAL}/prioriteiten",
        f"{LOCAL}/indicatoren",
        f"{LOCAL}/veiligheidsplannen",
        f"{LOCAL}/uitvoeringsplannen",
        f"{PLAN}/participatiemomenten",
        f"{PLAN}/raadsbesluiten",
    ],
)
def test_openapi_document_gives_created_resources_location_and_etag(client, db, path):
    created = json.loads(client.get("/api/v1/openapi.json").content)["paths"][path]["post"]["responses"]["201"]

    assert set(created["headers"]) == {"API-Version", "ETag", "Location"}


def test_openapi_document_describes_the_draft_zienswijze_with_etag_and_if_match(client, db):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    detail = document["paths"]["/gemeenten/{cbs_code}/concept-zienswijzen/{ronde_uuid}"]

    assert set(detail) == {"get", "put", "patch"}
    assert "403" in detail["get"]["responses"]  # private to the municipality: the region reads no draft
    assert detail["get"]["responses"]["200"]["headers"]["ETag"] == {"$ref": "#/components/headers/ETag"}
    for method in ("put", "patch"):
        [if_match] = [p for p in detail[method]["parameters"] if p["name"] == "If-Match"]
        assert (if_match["in"], if_match["required"]) == ("header", True)
        for code in ("409", "412", "428"):
            assert "application/problem+json" in detail[method]["responses"][code]["content"]
        assert detail[method]["responses"]["200"]["headers"]["ETag"] == {"$ref": "#/components/headers/ETag"}
