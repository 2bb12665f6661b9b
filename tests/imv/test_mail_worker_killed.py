"""A Celery worker killed in the middle of sending: the e-mails still go out, each exactly once.

Real processes: `celery -A portal worker` on the pytest-django test database and the test Redis,
writing mail to files in a temporary folder. The test-only gate in imv.mail (PORTAL_TEST_MAIL_PAUSE,
read from portal.settings_test only) holds the first e-mail a worker claims, with its row locked
and nothing sent yet, until the test has killed that worker with SIGKILL.

The worker must see the rows, so they are committed: written on a database connection of their
own (a thread), as another process would, and removed after the test. Not
pytest.mark.django_db(transaction=True): its teardown truncates every table, which PostgreSQL
refuses here (tenant schemas reference shared tables) and which would take the session's demo
region with it.

How we know these tests catch what they are for (each change made by hand, both tests run, undone):
- no retry: with mail_send_task(acks_late=False) the killed pool process's task message was
  acknowledged on receipt and never ran again: the first test failed, waiting for the e-mail;
  with mail_flush_task not calling mail_send the second test failed at its first flush.
- a double send: with the gate moved after connection.send_messages() (the worker killed after
  the e-mail went out and before its commit: the duplicate window imv.mail documents) both tests
  found that e-mail twice, with the same Message-ID, and failed on "exactly once".
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, models
from django.test import override_settings

from imv.models import (
    ConsultationRound,
    DraftVersion,
    ImvCycle,
    Notification,
    OutgoingEmail,
    OutgoingEmailStatus,
    Reminder,
)
from imv.services.reminders import reminders_send_now
from imv.tasks import mail_flush_task
from portal.celery import app as celery_app
from tenants.models import AuditEvent, Membership, Municipality, Role, User
from tests.factories import round_open_for_test
from tests.live import server_database_url

# The marker makes pytest-django set up the test database; the rows the workers must see are
# committed on a connection of their own (committed() below), outside this test's transaction.
pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0  # a loaded machine; unloaded, a worker is ready in about five seconds
WAIT = 30.0
STAFF = ("oov-kill@heemstede.example", "griffie-kill@heemstede.example")


@dataclass
class Worker:
    proc: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> None:
        wait_for(lambda: " ready." in self.text(), START_TIMEOUT, "the worker to start", self)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def wait_for(condition: Callable[[], bool], timeout: float, what: str, *workers: Worker) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            logs = "\n".join(worker.text()[-3000:] for worker in workers)
            raise AssertionError(f"waited {timeout:.0f} s for {what}\n{logs}")
        time.sleep(0.1)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "mail").mkdir()
    return tmp_path


@pytest.fixture
def start_worker(folder: Path) -> Iterator[Callable[..., Worker]]:
    """start_worker(pool): a real Celery worker on the test database; all are stopped after the test."""
    env = {
        **os.environ,
        "PORTAL_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": server_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "DJANGO_CONN_MAX_AGE": "0",  # the test database is dropped at the end of the session
        "PORTAL_TEST_MAIL_DIR": str(folder / "mail"),
        "PORTAL_TEST_MAIL_PAUSE": str(folder / "gate"),
    }
    workers: list[Worker] = []

    def start(pool: str) -> Worker:
        number = len(workers) + 1
        log = folder / f"worker-{number}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [
                    *(sys.executable, "-m", "celery", "-A", "portal", "worker"),
                    *("--pool", pool, "--concurrency", "1", "--loglevel", "INFO"),
                    *("--hostname", f"mail-kill-{number}@%h", "--without-gossip", "--without-mingle"),
                    "--without-heartbeat",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches its pool processes too
            )
        worker = Worker(proc, log)
        workers.append(worker)
        return worker

    # Task messages that earlier tests queued (and no worker took) would only slow these workers down.
    celery_app.control.purge()
    yield start
    for worker in workers:
        worker.stop()


def committed[T](work: Callable[[], T]) -> T:
    """Run ``work`` on a database connection of its own (a thread): what it writes is committed,
    and its after-commit callbacks run, as in another process."""
    result: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]


@pytest.fixture
def consultation() -> Iterator[ConsultationRound]:
    """A committed round with two Heemstede staff who get e-mail; removed with everything it made."""

    def make() -> tuple[ConsultationRound, dict[type[models.Model], int]]:
        last = {
            model: model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0 for model in MADE
        }
        cycle = ImvCycle.objects.get(name="IMV 2024-2027")
        heemstede = Municipality.objects.get(cbs_code="GM0397")
        adviser = User.objects.create_user(username="mail-kill-adviser", password="x" * 20)
        Membership.objects.create(user=adviser, role=Role.ADVISER, police_unit=cycle.police_unit)
        for address, role in zip(STAFF, (Role.OOV, Role.GRIFFIE), strict=True):
            person = User.objects.create_user(username=address, password="x" * 20, email=address)
            Membership.objects.create(user=person, role=role, municipality=heemstede)
        made = round_open_for_test(
            actor=adviser,
            cycle=cycle,
            label="Werker gestopt",
            deadline_in=timedelta(days=100),
            rbop_meeting_in=timedelta(days=120),
        )
        return made, last

    made, last = committed(make)
    yield made

    def remove() -> None:
        AuditEvent.objects.filter(
            object_uuid__in=[made.uuid, *made.participations.values_list("uuid", flat=True)]
        ).delete()
        for model, pk in last.items():
            model._default_manager.filter(pk__gt=pk).delete()
        ConsultationRound.objects.filter(pk=made.pk).delete()
        DraftVersion.objects.filter(pk=made.draft_version_id).delete()
        User.objects.filter(username__in=["mail-kill-adviser", *STAFF]).delete()

    committed(remove)


MADE: tuple[type[models.Model], ...] = (OutgoingEmail, Reminder, Notification)


def remind(consultation: ConsultationRound) -> list[OutgoingEmail]:
    """The adviser's button: commits reminders and their e-mails; after commit the send task is queued."""

    def press() -> list[OutgoingEmail]:
        before = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        reminders_send_now(actor=User.objects.get(username="mail-kill-adviser"), consultation=consultation)
        return list(OutgoingEmail.objects.filter(pk__gt=before).order_by("pk"))

    emails = committed(press)
    assert set(STAFF) <= {e.to for e in emails}
    return emails


def status(emails: list[OutgoingEmail]) -> dict[int, tuple[str, int]]:
    # Read in the test's own transaction: READ COMMITTED sees what the workers committed.
    rows = OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails]).values_list("pk", "status", "attempts")
    return {pk: (state, attempts) for pk, state, attempts in rows}


def all_sent(emails: list[OutgoingEmail]) -> Callable[[], bool]:
    return lambda: all(state == OutgoingEmailStatus.SENT for state, _ in status(emails).values())


def delivered(folder: Path) -> list[email.message.EmailMessage]:
    """Every e-mail the file backend wrote (one file per connection, messages split by a dashed line)."""
    messages = []
    for path in sorted((folder / "mail").iterdir()):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return messages


def assert_each_sent_exactly_once(folder: Path, emails: list[OutgoingEmail]) -> None:
    messages = delivered(folder)
    by_id = Counter(str(m["Message-ID"]) for m in messages)
    assert by_id == Counter({e.message_id: 1 for e in emails})  # nothing lost, nothing twice, nothing else
    to = Counter(str(m["To"]) for m in messages)
    assert [to[address] for address in STAFF] == [1, 1]
    # Sent once, on the one attempt that finished: the killed attempt's transaction was rolled back.
    assert set(status(emails).values()) == {(OutgoingEmailStatus.SENT, 1)}


def beat_flush(folder: Path) -> int:
    """What beat starts every minute (imv.tasks.mail_flush_task), with the workers' mail folder."""
    mailer = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(folder / "mail")},
    }
    with override_settings(MAILERS={"default": mailer}):
        return committed(mail_flush_task)


def claimed(folder: Path) -> tuple[int, int]:
    pid, pk = (folder / "gate.claimed").read_text().split()
    return int(pid), int(pk)


def test_a_pool_process_killed_mid_send_runs_the_task_again_and_each_email_goes_once(
    consultation, start_worker, folder
):
    # prefork: the worker's main process sees its pool process die and, because the task is
    # acks_late with reject_on_worker_lost, puts the task message back; a new pool process runs it.
    (folder / "gate").touch()
    worker = start_worker("prefork")
    worker.wait_ready()

    emails = remind(consultation)
    wait_for((folder / "gate.claimed").exists, WAIT, "the worker to claim an e-mail", worker)
    pid, pk = claimed(folder)
    assert pid != worker.proc.pid  # a pool process, not the worker's main process
    assert status(emails)[pk] == (OutgoingEmailStatus.PENDING, 0)
    os.kill(pid, signal.SIGKILL)
    (folder / "gate").unlink()  # the next try goes straight through

    wait_for(all_sent(emails), WAIT, "every e-mail to be sent", worker)
    worker.stop()
    assert "signal 9" in worker.text()  # it really died mid-task
    assert_each_sent_exactly_once(folder, emails)


def test_a_worker_killed_mid_send_leaves_its_email_to_the_beat_flush(consultation, start_worker, folder):
    # The whole worker dies (solo pool: the task runs in its main process). Redis would hand its
    # unacknowledged task message out again only after the visibility timeout (an hour): the beat
    # flush is what sends the e-mail meanwhile. It runs here in the test process, on a database
    # connection of its own, into the same mail folder.
    (folder / "gate").touch()
    worker = start_worker("solo")
    worker.wait_ready()

    emails = remind(consultation)
    wait_for((folder / "gate.claimed").exists, WAIT, "the worker to claim an e-mail", worker)
    pid, pk = claimed(folder)
    assert pid == worker.proc.pid

    # While the worker holds its row, a flush skips that one and sends the rest.
    assert beat_flush(folder) == len(emails) - 1
    assert status(emails)[pk] == (OutgoingEmailStatus.PENDING, 0)

    os.killpg(pid, signal.SIGKILL)
    worker.proc.wait(10)
    (folder / "gate").unlink()
    assert status(emails)[pk] == (OutgoingEmailStatus.PENDING, 0)  # its transaction was rolled back

    assert beat_flush(folder) == 1
    assert beat_flush(folder) == 0
    assert_each_sent_exactly_once(folder, emails)
