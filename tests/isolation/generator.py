"""What the generated isolation run sends and to whom: the callers with what they may read and change,
the requests, the world the run aims at, and the endpoints a request is drawn from (pages and API,
reads and writes). Used by test_generated_requests.py, which checks every answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rest_framework.test import APIClient

from municipalities.models import PlanStatus
from tenants.models import Municipality, Role

# {(where, model label, uuid): (owner CBS code, row)}; where is a CBS code (its schema) or "shared".
Snapshot = dict[tuple[str, str, str], tuple[str, dict[str, Any]]]


@dataclass
class Caller:
    label: str
    role: str  # a Role, "none" or "anonymous"
    client: APIClient
    cbs_code: str | None = None  # own municipality, for OOV and griffie

    def readable(self, all_codes: set[str]) -> set[str]:
        if self.role in (Role.ADVISER, Role.RBOP):
            return all_codes
        return {self.cbs_code} if self.cbs_code else set()

    def writable(self, where: str, all_codes: set[str]) -> set[str]:
        """Municipalities whose rows the caller may change: its own; the adviser also runs the IMV rounds."""
        if self.role == Role.ADVISER and where == "shared":
            return all_codes
        return {self.cbs_code} if self.cbs_code else set()


@dataclass
class Req:
    method: str
    path: str
    body: dict[str, Any] | None = None
    api: bool = False


@dataclass
class World:
    """What the run aims at: the municipalities, callers, object pools, and who owns which UUID."""

    municipalities: list[Municipality]
    callers: list[Caller]
    pools: dict[str, list[str]]
    rows: Snapshot
    owner: dict[str, str]
    kbv: tuple[str, str]
    own_plan: dict[str, str]  # CBS code → a plan UUID of that municipality, written into its drafts
    sent: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path, status)

    @property
    def codes(self) -> set[str]:
        return {m.cbs_code for m in self.municipalities}


# --- The endpoints: (target municipality, pick(kind) → a UUID from any schema, n) → request ----
Pick = Callable[[str], str]
Endpoint = Callable[[World, Municipality, Pick, int], Req]


def api(path: str) -> Req:
    return Req("GET", f"/api/v1/{path}", api=True)


def page(path: str) -> Req:
    return Req("GET", path)


ENDPOINTS: list[Endpoint] = [
    # API reads: lists, details, filters.
    lambda w, m, p, n: api("gemeenten"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/veiligheidsplannen"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/veiligheidsplannen/{p('plan')}"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/prioriteiten"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/prioriteiten?veiligheidsplan={p('plan')}"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/prioriteiten/{p('priority')}"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/indicatoren"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/indicatoren?prioriteit={p('priority')}"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/indicatoren/{p('kpi')}"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/uitvoeringsplannen"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/uitvoeringsplannen/{p('year')}"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/uitvoeringsplannen/{p('year')}/acties"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/uitvoeringsplannen/{p('year')}/acties/{p('action')}"),
    lambda w, m, p, n: api("imv-cycli"),
    lambda w, m, p, n: api(f"imv-cycli/{p('cycle')}"),
    lambda w, m, p, n: api("consultatierondes"),
    lambda w, m, p, n: api(f"consultatierondes/{p('round')}"),
    lambda w, m, p, n: api(f"consultatierondes/{p('round')}/deelnames"),
    lambda w, m, p, n: api(f"consultatierondes/{p('round')}/deelnames?gemeente={m.cbs_code}"),
    lambda w, m, p, n: api("deelnames"),
    lambda w, m, p, n: api(f"deelnames?gemeente={m.cbs_code}"),
    lambda w, m, p, n: api(f"deelnames/{p('participation')}"),
    lambda w, m, p, n: api("zienswijzen"),
    lambda w, m, p, n: api(f"zienswijzen?gemeente={m.cbs_code}"),
    lambda w, m, p, n: api(f"zienswijzen/{p('opinion')}"),
    lambda w, m, p, n: api(f"reacties/{p('reaction')}"),
    lambda w, m, p, n: api("uitstelverzoeken"),
    lambda w, m, p, n: api(f"uitstelverzoeken/{p('extension')}"),
    lambda w, m, p, n: api(f"gemeenten/{m.cbs_code}/concept-zienswijzen/{p('round')}"),
    lambda w, m, p, n: api("afstemming"),
    lambda w, m, p, n: api(f"afstemming/gemeenten/{m.cbs_code}"),
    # Pages and downloads.
    lambda w, m, p, n: page(f"/gemeenten/{m.slug}/"),
    lambda w, m, p, n: page(f"/gemeenten/{m.slug}/veiligheidsplannen/{p('plan')}/"),
    lambda w, m, p, n: page(f"/gemeenten/{m.slug}/veiligheidsplannen/{p('plan')}/bewerken/"),
    lambda w, m, p, n: page(
        f"/gemeenten/{m.slug}/veiligheidsplannen/{p('plan')}/prioriteiten/{p('priority')}/bewerken/"
    ),
    lambda w, m, p, n: page(f"/gemeenten/{m.slug}/imv/"),
    lambda w, m, p, n: page(f"/gemeenten/{m.slug}/imv/{p('round')}/"),
    lambda w, m, p, n: page("/regio/imv/"),
    lambda w, m, p, n: page(f"/regio/imv/rondes/{p('round')}/"),
    lambda w, m, p, n: page(f"/regio/imv/rondes/{p('round')}/tabel"),
    lambda w, m, p, n: page(f"/regio/imv/rondes/{p('round')}/export.csv"),
    lambda w, m, p, n: page(f"/regio/imv/rondes/{p('round')}/export.xlsx"),
    lambda w, m, p, n: page(f"/regio/imv/rondes/{p('round')}/zienswijzen/"),
    lambda w, m, p, n: page(f"/regio/imv/rondes/{p('round')}/zienswijzen/{p('participation')}/"),
    lambda w, m, p, n: page("/regio/dashboard/"),
    lambda w, m, p, n: page("/regio/dashboard/dekking-per-thema.csv"),
    lambda w, m, p, n: page("/regio/dashboard/heatmap.csv"),
    lambda w, m, p, n: page("/meldingen/"),
    # Writes with valid-looking bodies.
    lambda w, m, p, n: Req(
        "PATCH", f"/api/v1/gemeenten/{m.cbs_code}/veiligheidsplannen/{p('plan')}", {"titel": f"Plan {n}"}, api=True
    ),
    lambda w, m, p, n: Req(
        "PATCH", f"/api/v1/gemeenten/{m.cbs_code}/prioriteiten/{p('priority')}", {"titel": f"Prio {n}"}, api=True
    ),
    lambda w, m, p, n: Req(
        "POST",
        f"/api/v1/gemeenten/{m.cbs_code}/prioriteiten",
        {"titel": f"Nieuw {n}", "veiligheidsveld": w.kbv[0], "thema": w.kbv[1], "veiligheidsplan": p("plan")},
        api=True,
    ),
    lambda w, m, p, n: Req(
        "POST",
        "/api/v1/zienswijzen",
        {
            "deelname": p("participation"),
            "standpunt": "steunt",
            "toelichting": f"Zienswijze {n}",
            "standpunten": [{"thema": p("theme"), "standpunt": "steunt", "toelichting": ""}],
        },
        api=True,
    ),
    lambda w, m, p, n: Req(
        "POST",
        f"/api/v1/reacties/{p('reaction')}/correcties",
        {"verwerking": "deels_overgenomen", "toelichting": f"Correctie {n}", "reden": "Verkeerd thema."},
        api=True,
    ),
    # A draft's text always names a plan of its own municipality: whoever reads another's draft shows
    # that UUID, and check_response sees it.
    lambda w, m, p, n: Req(
        "PUT",
        f"/api/v1/gemeenten/{m.cbs_code}/concept-zienswijzen/{p('round')}",
        {
            "standpunt": "steunt",
            "toelichting": f"Concept {n}, zie plan {w.own_plan[m.cbs_code]}",
            "standpunten": [{"thema": p("theme"), "standpunt": "heeft_bezwaar", "toelichting": f"Punt {n}"}],
        },
        api=True,
    ),
    lambda w, m, p, n: Req(
        "PATCH",
        f"/api/v1/gemeenten/{m.cbs_code}/concept-zienswijzen/{p('round')}",
        {"toelichting": f"Concept {n}, zie plan {w.own_plan[m.cbs_code]}"},
        api=True,
    ),
    lambda w, m, p, n: Req(
        "POST",
        f"/gemeenten/{m.slug}/veiligheidsplannen/{p('plan')}/bewerken/",
        {"title": f"Plan {n}", "status": PlanStatus.DRAFT, "summary": "Gewijzigd."},
    ),
    lambda w, m, p, n: Req(
        "POST",
        f"/gemeenten/{m.slug}/veiligheidsplannen/{p('plan')}/prioriteiten/nieuw/",
        {"title": f"Nieuw {n}", "description": "", "field_code": w.kbv[0], "theme_code": w.kbv[1]},
    ),
    lambda w, m, p, n: Req(
        "POST", f"/gemeenten/{m.slug}/imv/{p('round')}/vergaderdata/", {"council_date": "2030-01-15"}
    ),
    lambda w, m, p, n: Req("POST", f"/regio/imv/rondes/{p('round')}/herinneren/", {}),
]
