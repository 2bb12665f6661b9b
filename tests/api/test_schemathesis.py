"""Schemathesis against our own OpenAPI document: generated requests for every operation, as several roles.

The portal runs in-process through Django's WSGI handler (the same views and middleware as the ASGI
server), inside the test's transaction: whatever a generated write manages to change is rolled back.
Every answer must be free of server errors and match the document: documented status code and
content type, and a body that fits the response schema. Most generated writes are refused
(400/403/404/412/428); that is expected, a 5xx never is.

Path parameters are often swapped for real ones (test municipalities, UUIDs of existing rows of the
kind the path names), so that detail and list answers with content are checked too, not only 404s.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from imv.models import ConsultationRound, ExtensionRequest, ImvCycle, Opinion, Participation, Reaction
from municipalities.models import (
    Action,
    ImplementationPlan,
    Kpi,
    ParticipationEvent,
    PlanDecision,
    Priority,
    SafetyPlan,
)
from tenants.models import Membership, Municipality, Role, User
from tenants.services import api_token_create

# 4 roles x ~60 operations x up to 25 examples (fewer where the input space is small): over 2,000 cases.
EXAMPLES_PER_OPERATION = 25
MIN_CASES_PER_ROLE = 500
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = ("anoniem", "oov-heemstede", "adviseur", "rbop")

LOCAL_KINDS: dict[str, Any] = {
    "veiligheidsplannen": SafetyPlan,
    "prioriteiten": Priority,
    "indicatoren": Kpi,
    "uitvoeringsplannen": ImplementationPlan,
    "acties": Action,
    "raadsbesluiten": PlanDecision,
    "participatiemomenten": ParticipationEvent,
}
SHARED_KINDS: dict[str, Any] = {
    "consultatierondes": ConsultationRound,
    "deelnames": Participation,
    "imv-cycli": ImvCycle,
    "uitstelverzoeken": ExtensionRequest,
    "zienswijzen": Opinion,
    "reacties": Reaction,
}
PATH_PARAMETER = re.compile(r"([^/{}]+)/\{([^}]+)\}")

Pools = dict[str, list[str]]


@pytest.fixture
def _keep_test_connection() -> Iterator[None]:
    """The WSGI handler closes the database connection after every request, and with it the test's
    transaction; Django's test client switches that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def real_values(municipalities: list[Municipality], local_content: None, busy_round: ConsultationRound) -> Pools:
    """Real path parameter values by the path segment before them: CBS codes and UUIDs of existing rows."""
    pools: Pools = {"gemeenten": [m.cbs_code for m in municipalities]}
    for kind, model in SHARED_KINDS.items():
        pools[kind] = [str(u) for u in model.objects.values_list("uuid", flat=True)]
    # The draft zienswijze of a round is addressed by the round's UUID.
    pools["concept-zienswijzen"] = pools["consultatierondes"]
    for municipality in municipalities:
        with schema_context(municipality.schema_name):
            for kind, model in LOCAL_KINDS.items():
                pools.setdefault(kind, []).extend(str(u) for u in model._default_manager.values_list("uuid", flat=True))
    return {kind: values for kind, values in pools.items() if values}


@pytest.fixture
def token_for(make_user: Callable[..., User], heemstede: Municipality) -> Callable[[str], str | None]:
    def token(role: str) -> str | None:
        if role == "anoniem":
            return None
        user = {
            "oov-heemstede": lambda: make_user(Role.OOV, heemstede),
            "adviseur": lambda: make_user(Role.ADVISER),
            "rbop": lambda: make_user(Role.RBOP),
        }[role]()
        _token, key = api_token_create(membership=Membership.objects.get(user=user), name=f"schemathesis {role}")
        return key

    return token


def _real_parameters(path: str, pools: Pools) -> st.SearchStrategy[dict[str, str | None]]:
    """For each path parameter: a real value of the kind its path segment names, or None (keep the generated one)."""
    choices = {
        name: st.none() | st.sampled_from(pools[kind]) for kind, name in PATH_PARAMETER.findall(path) if kind in pools
    }
    return st.fixed_dictionaries(choices)


@pytest.mark.usefixtures("_keep_test_connection")
@pytest.mark.parametrize("role", ROLES)
def test_generated_requests(role: str, token_for: Callable[[str], str | None], real_values: Pools) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    key = token_for(role)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    cases = 0
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"an operation the document does not describe properly: {result.err()}"
        operation = result.ok()

        @given(case=operation.as_strategy(), real=_real_parameters(operation.path, real_values))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case, real: dict[str, str | None]) -> None:
            nonlocal cases
            cases += 1
            for name, value in real.items():
                if value is not None and case.path_parameters is not None:
                    case.path_parameters[name] = value
            try:
                response = case.call(headers=headers)
                statuses[response.status_code] += 1
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (collected, all reported together below)
                failures.append(f"{role}: {case.method} {case.formatted_path}\n{error}")

        run()
    print(f"{role}: {cases} cases, status codes {dict(sorted(statuses.items()))}")
    assert not failures, f"{len(failures)} of {cases} cases failed:\n\n" + "\n\n".join(failures[:10])
    assert cases >= MIN_CASES_PER_ROLE, cases
