"""/api/v1/docs: the API documentation, a server-rendered page of the portal read from the OpenAPI document.

tests/browser/test_api_docs.py renders it in Chromium and runs axe; this checks the page without a browser.
"""

from __future__ import annotations

import json
import re
from html import unescape

from django.conf import settings
from django.contrib.staticfiles import finders


def test_api_docs_page_is_public_html_in_the_portal_frame(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["API-Version"] == settings.API_VERSION
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert "<title>API-documentatie — Regioportaal Veiligheid</title>" in html
    assert 'class="utrecht-page-header"' in html  # the portal's header, with the way back home
    assert re.search(r'<a class="utrecht-link utrecht-breadcrumb-nav__link[^"]*" href="/">Startpagina</a>', html)
    assert 'href="/api/v1/openapi.json"' in html
    assert "swagger" not in html.lower()
    assert "{#" not in html
    assert "{%" not in html  # template comments and tags never reach the page


def test_api_docs_load_only_own_static_files_and_no_script_or_inline_style(client, db):
    html = client.get("/api/v1/docs").content.decode()

    assert "<script" not in html
    assert "<style" not in html
    assert " style=" not in html  # CSP: style-src 'self'
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert "/static/api/docs.css" in stylesheets
    for url in re.findall(r'<link [^>]*href="([^"]+)"', html):
        assert url.startswith(settings.STATIC_URL), url  # no CDN
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url


def test_api_docs_show_every_operation_of_the_document(client, db):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    html = client.get("/api/v1/docs").content.decode()

    operations = [
        (method.upper(), path, spec)
        for path, item in document["paths"].items()
        for method, spec in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(operations) > 40
    for method, path, spec in operations:
        heading = re.search(rf'<h3 class="utrecht-heading-3" id="{spec["operationId"]}" lang="nl">(.*?)</h3>', html)
        assert heading, f"{method} {path} has no heading"
        assert unescape(heading.group(1)) == spec["summary"]
        section = html[heading.end() : html.find("</section>", heading.end())].replace("<wbr>", "")
        assert f"{method}</span> <code>/api/v1{path}</code>" in unescape(section)
        for status in spec["responses"]:
            assert f'rp-api-status">{status}</dt>' in section, f"{method} {path}: answer {status} is missing"
        for parameter in spec.get("parameters", []):
            assert f"<code>{parameter['name']}</code>" in section, f"{method} {path}: {parameter['name']}"


def test_api_docs_describe_a_request_body_field_by_field_with_an_example(client, db):
    html = unescape(client.get("/api/v1/docs").content.decode())

    start = html.index('id="gemeenten_prioriteiten_create"')
    section = html[start : html.index("</section>", start)]
    assert "<code>application/json</code> (<code>PrioriteitAanmaakRequest</code>); verplicht." in section
    assert '<dt class="rp-api-list__name"><code>titel</code></dt>' in section
    example = re.search(r'<pre class="utrecht-code-block rp-api-example"><code>(.*?)</code></pre>', section, re.S)
    assert example
    body = json.loads(example.group(1))
    assert "titel" in body
    assert "uuid" not in body  # read-only: not in a request


def test_api_docs_refuse_writes_as_problem_json(client, db):
    response = client.post("/api/v1/docs")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET, HEAD"
