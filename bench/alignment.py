"""Alignment benchmark: 32 municipalities and 1,000 generated ones, from the projection and from a
batched pass over the schemas, beside a bare query; and the reconciliation over all schemas.

Generated municipalities get a schema with only the two tables the alignment reads (plan and
priority, copied from a real schema with CREATE TABLE ... LIKE), so that 1,000 of them take
seconds to make instead of minutes of migrations.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from functools import partial
from typing import cast

from django.db import connection, transaction
from psycopg import sql

from bench.common import Timing, demo_region, measure, table
from imv.analytics import _schema_rows, _theme_tree, alignment_by_theme, heatmap, reconcile_projection
from imv.models import ImvCycle, PriorityProjection
from imv.reference import cycle_load
from tenants.models import District, Municipality, PoliceUnit

GENERATED = 1000


def _generated_region(n: int) -> ImvCycle:
    unit, created = PoliceUnit.objects.get_or_create(name="Benchland", defaults={"slug": "benchland"})
    cycle = cycle_load(police_unit=unit, name="IMV benchland", period_start=2024, period_end=2027)
    if not created:
        return cycle
    themes = list(cycle.themes.values_list("uuid", flat=True))
    districts = [District.objects.create(police_unit=unit, name=f"District {d}") for d in range(1, 11)]
    rng = random.Random(42)
    template = Municipality.objects.get(cbs_code="GM0397").schema_name
    municipalities = Municipality.objects.bulk_create(
        Municipality(
            schema_name=f"bench_{i:04d}",
            cbs_code=f"GB{i:04d}",
            name=f"Benchgemeente {i}",
            police_unit=unit,
            district=districts[i % 10],
        )
        for i in range(n)
    )
    # A transaction per 50 schemas: one for all would run out of PostgreSQL's lock table.
    for start in range(0, n, 50):
        with transaction.atomic(), connection.cursor() as cursor:
            projections = []
            for m in municipalities[start : start + 50]:
                schema = sql.Identifier(m.schema_name)
                cursor.execute(sql.SQL("CREATE SCHEMA {}").format(schema).as_string(cursor.connection))
                for name in ("municipalities_safetyplan", "municipalities_priority"):
                    cursor.execute(
                        sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL)")
                        .format(sql.Identifier(m.schema_name, name), sql.Identifier(template, name))
                        .as_string(cursor.connection)
                    )
                plan_uuid = uuid.uuid4()
                cursor.execute(
                    sql.SQL(
                        "INSERT INTO {} (uuid, title, period_start, period_end, status, summary, is_example, "
                        "created_at, updated_at) "
                        "VALUES (%s, %s, 2024, 2027, 'concept', '', true, now(), now()) RETURNING id"
                    )
                    .format(sql.Identifier(m.schema_name, "municipalities_safetyplan"))
                    .as_string(cursor.connection),
                    [plan_uuid, f"IVP {m.name}"],
                )
                plan_id = cursor.fetchone()[0]
                for k in range(rng.randint(2, 5)):
                    linked = sorted(rng.sample(themes, rng.randint(0, 2)))
                    priority_uuid = uuid.uuid4()
                    cursor.execute(
                        sql.SQL(
                            "INSERT INTO {} (uuid, plan_id, title, description, field_code, theme_code, imv_themes, "
                            "position) VALUES (%s, %s, %s, '', '1', '1.1', %s, %s)"
                        )
                        .format(sql.Identifier(m.schema_name, "municipalities_priority"))
                        .as_string(cursor.connection),
                        [priority_uuid, plan_id, f"Prioriteit {k}", linked, k],
                    )
                    projections.append(
                        PriorityProjection(
                            municipality=m,
                            priority_uuid=priority_uuid,
                            plan_uuid=plan_uuid,
                            plan_period_start=2024,
                            plan_period_end=2027,
                            title=f"Prioriteit {k}",
                            field_code="1",
                            theme_code="1.1",
                            imv_themes=linked,
                            is_example=True,
                        )
                    )
            PriorityProjection.objects.bulk_create(projections)
    return cycle


def _coverage_from_schemas(cycle: ImvCycle, batch_size: int = 50) -> dict[int, set[int]]:
    """What alignment_by_theme computes, but read from the schemas a batch at a time."""
    municipalities = list(Municipality.objects.filter(police_unit_id=cycle.police_unit_id).order_by("pk"))
    _top, to_top = _theme_tree(cycle)
    covered: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(municipalities), batch_size):
        for mid, fields in _schema_rows(municipalities[start : start + batch_size]).values():
            period_start, period_end = cast(int, fields[5]), cast(int, fields[6])
            if period_start <= cycle.period_end and period_end >= cycle.period_start:
                for theme_uuid in cast(list[uuid.UUID], fields[3]):
                    if theme_uuid in to_top:
                        covered[to_top[theme_uuid].pk].add(mid)
    return covered


def run(*, repeat: int = 15, generated: int = GENERATED, only: str | None = None) -> str:
    demo_region(only=only)
    noord_holland = ImvCycle.objects.get(police_unit__name="Noord-Holland", period_start=2024)
    region = _generated_region(generated)

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    baseline = measure("kale query (SELECT 1)", "-", bare, repeat=repeat * 5)
    rows: list[Timing] = [baseline]
    in_region = str(Municipality.objects.filter(police_unit_id=noord_holland.police_unit_id).count())
    for label, cycle in ((in_region, noord_holland), (f"{generated:,}".replace(",", "."), region)):
        rows.append(
            measure(
                "afstemming per thema, uit de projectie",
                label,
                partial(alignment_by_theme, cycle=cycle),
                repeat=repeat,
                baseline=baseline,
            )
        )
        rows.append(
            measure(
                "heatmap gemeenten × thema's, uit de projectie",
                label,
                partial(heatmap, cycle=cycle),
                repeat=repeat,
                baseline=baseline,
            )
        )
        rows.append(
            measure(
                "afstemming per thema, gebatchte pass over schema's",
                label,
                partial(_coverage_from_schemas, cycle),
                repeat=repeat,
                baseline=baseline,
            )
        )
    # Only units whose municipalities have schemas (the board benchmark adds 342 without).
    units = [noord_holland.police_unit_id, region.police_unit_id]
    schemas = Municipality.objects.filter(police_unit_id__in=units).count()
    rows.append(
        measure(
            "reconciliatie projectie ↔ schema's",
            f"{schemas:,}".replace(",", "."),
            lambda: reconcile_projection(batch_size=50, police_unit_ids=units),
            repeat=3,
            warmup=1,
            baseline=baseline,
        )
    )
    return table("Afstemming lokale prioriteiten ↔ IMV-thema's", rows)
