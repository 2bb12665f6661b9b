"""The API documentation page in a real browser: the portal's frame, every operation, axe-clean in Dutch and English."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import ConsoleMessage, Page, Response, expect

from tests.browser.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/api-docs.png"  # noqa: S108 (a fixed place to look at the page after a run)


def test_api_docs_show_every_operation_without_csp_violations(page: Page, live_server_url: str):
    problems: list[str] = []
    page.on("console", lambda message: _collect(message, problems))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
    page.on("response", lambda answer: _collect_refusal(answer, problems))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    with urllib.request.urlopen(f"{live_server_url}/api/v1/openapi.json") as answer:  # noqa: S310 (the test's own server)
        document = json.load(answer)

    response = page.goto("/api/v1/docs")

    assert response is not None
    assert response.status == 200
    expect(page).to_have_title("API-documentatie — Regioportaal Veiligheid")
    expect(page.get_by_role("heading", level=1)).to_have_text("API-documentatie")
    expect(page.get_by_role("link", name="Regioportaal Veiligheid — naar de startpagina")).to_be_visible()
    expect(page.get_by_role("link", name="/api/v1/openapi.json")).to_have_attribute("href", "/api/v1/openapi.json")
    operations = [
        (method.upper(), path, spec)
        for path, item in document["paths"].items()
        for method, spec in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(operations) > 40
    for method, path, spec in operations:
        section = page.locator("section.rp-api-operation").filter(
            has=page.get_by_role("heading", level=3, name=spec["summary"], exact=True)
        )
        expect(section.get_by_text(f"{method} /api/v1{path}", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Veiligheidsplannen", exact=True)).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert_no_axe_violations(page, "the API documentation")
    assert problems == []


def test_api_docs_are_axe_clean_with_examples_open_and_in_english(page: Page):
    page.goto("/api/v1/docs")
    for details in page.locator("details").all():
        details.evaluate("element => { element.open = true; }")
    assert_no_axe_violations(page, "the API documentation with every example open")
    page.set_viewport_size({"width": 320, "height": 900})  # WCAG 1.4.10: reflows, no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button").first.click()  # the language toggle in the header

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/api/v1/docs$"))
    expect(page.get_by_role("button", name="Nederlands")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Veiligheidsplan wijzigen", exact=True)).to_have_attribute(
        "lang", "nl"
    )
    assert_no_axe_violations(page, "the API documentation in English")


def _collect(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type == "error" or "Content Security Policy" in message.text:
        problems.append(f"console {message.type}: {message.text}")


def _collect_refusal(answer: Response, problems: list[str]) -> None:
    if answer.status >= 400:
        problems.append(f"{answer.status}: {answer.url}")
