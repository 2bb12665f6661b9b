"""Query budgets that count the work a request does, not how the connection is steered.

Left out: django-tenants' ``SET search_path`` (issued before every cursor) and savepoints. The
savepoints appear only in tests, where every request runs inside the test's own transaction, so
the request's transaction (tenants.middleware, api.v1.scoped) becomes a savepoint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

CONTROL = re.compile(r"^(SET search_path|SAVEPOINT |RELEASE SAVEPOINT |ROLLBACK TO SAVEPOINT )")


def work_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if not CONTROL.match(q["sql"])]


@contextmanager
def max_work_queries(budget: int) -> Iterator[CaptureQueriesContext]:
    """Fail when the block runs more than ``budget`` queries that do work (listing them all)."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    queries = work_queries(captured)
    assert len(queries) <= budget, f"{len(queries)} queries, budget {budget}:\n" + "\n".join(queries)
