"""The API documentation page renders in a real browser under the portal's CSP, without the internet."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.browser


def test_api_docs_render_every_operation_without_csp_violations(page: Page):
    problems: list[str] = []
    page.on("console", lambda message: _collect(message, problems))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )

    response = page.goto("/api/v1/docs")

    assert response is not None
    assert response.status == 200
    expect(page.get_by_text("Regioportaal Veiligheid API").first).to_be_visible()
    for summary in ("Gemeenten", "Veiligheidsplannen van een gemeente", "Veiligheidsplan wijzigen"):
        expect(page.get_by_text(summary, exact=True).first).to_be_visible()
    assert problems == []


def _collect(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type == "error" or "Content Security Policy" in message.text:
        problems.append(f"console {message.type}: {message.text}")
