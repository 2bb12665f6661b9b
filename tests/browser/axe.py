"""Run axe-core in a page and report WCAG 2.1 A/AA violations readably."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def _axe_source() -> str:
    assert AXE_JS.exists(), f"{AXE_JS} is missing; `make install` runs npm ci"
    return AXE_JS.read_text()


def axe_violations(page: Page, tags: list[str] = WCAG_21_AA) -> list[dict[str, Any]]:
    """The page's axe violations for the tags. axe is evaluated through the DevTools protocol,
    so the page's own CSP (script-src 'self' + nonce) stays on while we test."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags,
    )
    return list(result["violations"])


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found {len(violations)} WCAG 2.1 AA violation(s) on {what} ({page.url}):\n" + (
        format_violations(violations)
    )
