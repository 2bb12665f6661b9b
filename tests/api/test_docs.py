"""/api/v1/docs: Swagger UI from the portal's own static files, so it works under the CSP and offline.

tests/browser/test_api_docs.py renders it in Chromium; this checks the page without a browser.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.staticfiles import finders


def test_api_docs_page_is_public_html(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["API-Version"] == settings.API_VERSION
    assert '<html lang="nl">' in response.content.decode()


def test_api_docs_load_only_own_static_files_and_no_inline_code(client, db):
    html = client.get("/api/v1/docs").content.decode()

    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.DOTALL)
    assert len(scripts) == 3
    assert all(body.strip() == "" for _attrs, body in scripts)  # CSP: no inline script
    assert "<style" not in html  # CSP: no inline style
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    for url in sources:
        assert url.startswith("/"), url  # no CDN
        if url.startswith(settings.STATIC_URL):
            assert finders.find(url.removeprefix(settings.STATIC_URL)), url


def test_api_docs_setup_script_points_at_the_json_document(client, db):
    response = client.get("/api/v1/docs", {"script": ""})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/v1/openapi.json" in response.content.decode()
