"""Celery task context: every task runs its work in the schema it names, whoever queued it.

The tasks (imv.tasks) take no tenant: the consultation is regional, in the shared schema, so each
enters the public schema itself. Run eagerly (task.apply(), as CELERY_TASK_ALWAYS_EAGER would)
while the connection is in A's schema, the work must still run in public and see every
municipality, and the connection must be back in A's schema afterwards, also when the work fails;
in a worker, that is the public schema the next task starts from.
Seen to fail: with the schema_context(public) taken out of a task, the spy saw "gm0397" (and
"gm0392" as B) instead of "public".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from imv import tasks
from imv.clock import db_now
from imv.models import Notification, Participation
from portal.celery import app

pytestmark = pytest.mark.django_db

PROJECT_PACKAGES = ("api.", "frontend.", "imv.", "municipalities.", "portal.", "tenants.")
# Each task with the service it calls (the name it has in imv.tasks; the spy goes there) and its arguments.
TASKS: dict[str, tuple[str, dict[str, Any]]] = {
    "imv.tasks.reminders_send_due_task": ("reminders_send_due", {}),
    "imv.tasks.outbox_flush_task": ("outbox_flush", {}),
    "imv.tasks.mail_send_task": ("mail_send", {"ids": []}),
    "imv.tasks.mail_flush_task": ("mail_send", {}),
}


def schema_spy(monkeypatch, service: str, fail: bool = False) -> list[str]:
    """Wrap the task's service: record the schema it runs in (and optionally fail after that)."""
    seen: list[str] = []
    real: Callable[..., Any] = getattr(tasks, service)

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(connection.schema_name)  # type: ignore[attr-defined]  # django-tenants' connection
        if fail:
            raise RuntimeError("the service failed")
        return real(*args, **kwargs)

    monkeypatch.setattr(tasks, service, spy)
    return seen


def test_every_task_of_the_project_is_checked_here():
    app.loader.import_default_modules()
    ours = {name for name in app.tasks if name.startswith(PROJECT_PACKAGES)}
    assert ours == set(TASKS), "a new task: add it to TASKS and check the schema it works in"


@pytest.mark.parametrize("caller", ["heemstede", "haarlem"])
@pytest.mark.parametrize("task_name", sorted(TASKS))
def test_task_queued_from_a_municipalitys_schema_works_in_public_and_restores_it(
    request, monkeypatch, task_name, caller
):
    municipality = request.getfixturevalue(caller)
    service, kwargs = TASKS[task_name]
    seen = schema_spy(monkeypatch, service)
    with schema_context(municipality.schema_name):
        result = app.tasks[task_name].apply(kwargs=kwargs)
        assert result.successful(), result.traceback
        assert connection.schema_name == municipality.schema_name  # type: ignore[attr-defined]
    assert seen == ["public"]
    assert connection.schema_name == "public"  # type: ignore[attr-defined]


@pytest.mark.parametrize("caller", ["heemstede", "haarlem"])
@pytest.mark.parametrize("task_name", sorted(TASKS))
def test_a_failing_task_leaves_the_callers_schema(request, monkeypatch, task_name, caller):
    municipality = request.getfixturevalue(caller)
    service, kwargs = TASKS[task_name]
    seen = schema_spy(monkeypatch, service, fail=True)
    with schema_context(municipality.schema_name):
        result = app.tasks[task_name].apply(kwargs=kwargs)
        assert result.failed()
        assert connection.schema_name == municipality.schema_name  # type: ignore[attr-defined]
    assert seen == ["public"]


def test_reminders_queued_from_as_schema_remind_a_and_b_each_as_themselves(
    only_round, participation_of, heemstede, haarlem, django_capture_on_commit_callbacks
):
    """The work itself is not narrowed to the caller's municipality, nor labelled with it."""
    Participation.objects.filter(round=only_round).update(deadline=db_now() + timedelta(days=25))
    Participation.objects.filter(pk__in=[participation_of(heemstede).pk, participation_of(haarlem).pk]).update(
        deadline=db_now() + timedelta(days=6)
    )
    with schema_context(heemstede.schema_name), django_capture_on_commit_callbacks(execute=True):
        assert tasks.reminders_send_due_task.apply().get() == 2
    made = Notification.objects.filter(created_at__gte=only_round.opened_at)
    rows = sorted(made.values_list("municipality__name", "url", "message"))
    assert [(name, url) for name, url, _message in rows] == [
        ("Haarlem", f"/gemeenten/{haarlem.slug}/imv/"),
        ("Heemstede", f"/gemeenten/{heemstede.slug}/imv/"),
    ]
    assert all(name in message for name, _url, message in rows)
