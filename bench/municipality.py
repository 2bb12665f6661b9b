"""Creating a municipality: tenants.services.municipality_create (row, schema, every tenant migration,
path), beside an empty CREATE SCHEMA; and, for comparison, what django-tenants' template route
(TENANT_BASE_SCHEMA: clone a migrated schema, then record the migrations as applied) would take.

Everything made here is dropped again at the end, so repeated runs leave the database as it was.
"""

from __future__ import annotations

import sys

from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.clone import CloneSchema
from psycopg import sql

from bench.common import measure, table
from portal.progress import progress_bar
from tenants.models import Municipality, PoliceUnit
from tenants.services import municipality_create, police_unit_get_or_create

UNIT = "Bench (gemeenten aanmaken)"
FIRST_CODE = 9000  # GM9000 and up: no real municipality has a CBS code that high


def _drop(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)).as_string(cursor))


def _clean(unit: PoliceUnit) -> None:
    """Remove what an earlier (perhaps interrupted) run left: municipalities, schemas, clones."""
    for municipality in Municipality.objects.filter(police_unit=unit):
        municipality.delete(force_drop=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) OR starts_with(nspname, %s)",
            ["bench_empty_", "bench_clone_"],
        )
        leftovers = [row[0] for row in cursor.fetchall()]
    for schema in leftovers:
        _drop(schema)


def run(*, repeat: int) -> str:
    call_command("migrate_schemas", "--shared", verbosity=0)
    unit = police_unit_get_or_create(name=UNIT)
    _clean(unit)
    counter = iter(range(10_000))

    def empty_schema() -> None:
        name = f"bench_empty_{next(counter)}"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)).as_string(cursor))
        _drop(name)

    baseline = measure("lege schema aanmaken (CREATE SCHEMA)", "1", empty_schema, repeat=repeat * 5)
    codes = iter(range(FIRST_CODE, FIRST_CODE + 1000))
    created: list[Municipality] = []
    with progress_bar(total=repeat + 1, description="gemeenten aanmaken", unit="gemeente", file=sys.stderr) as step:

        def create() -> None:
            code = next(codes)
            created.append(municipality_create(cbs_code=f"GM{code}", name=f"Benchgemeente {code}", police_unit=unit))
            step(f"GM{code}")

        creating = measure(
            "municipality_create (rij, schema + migraties, pad)",
            "1",
            create,
            repeat=repeat,
            warmup=1,
            baseline=baseline,
        )
    template = created[0].schema_name
    clones = iter(range(10_000))

    def clone() -> None:
        """What TENANT_BASE_SCHEMA + TENANT_CREATION_FAKES_MIGRATIONS do in TenantMixin.create_schema."""
        name = f"bench_clone_{next(clones)}"
        with transaction.atomic():
            CloneSchema().clone_schema(template, name, "DATA")
            call_command("migrate_schemas", tenant=True, fake=True, schema_name=name, interactive=False, verbosity=0)
        connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' wrapper

    cloning = measure(
        "  vergelijking: sjabloonschema klonen + migraties --fake",
        "1",
        clone,
        repeat=repeat,
        warmup=1,
        baseline=baseline,
    )
    cloning.note = "django-tenants' TENANT_BASE_SCHEMA-route; niet in gebruik"
    _clean(unit)
    return table("Een gemeente aanmaken", [baseline, creating, cloning])
