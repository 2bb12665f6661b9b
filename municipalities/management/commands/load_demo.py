"""Load the Noord-Holland demo region. Idempotent: a second run changes nothing and takes seconds."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from imv.demo import demo_round_ensure
from municipalities.demo import demo_plans_ensure
from portal.exceptions import PortalError
from portal.progress import progress_bar
from tenants.demo import demo_accounts_ensure, demo_accounts_table
from tenants.models import Municipality, PoliceUnit, User
from tenants.reference import NOORD_HOLLAND_CSV, read_municipalities
from tenants.services import region_load, region_plan


class Command(BaseCommand):
    help = "Laad de demoregio Noord-Holland: 32 gemeenten met eigen schema, demo-accounts en voorbeeldinhoud."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", help="alleen deze CBS-codes, komma-gescheiden (voor tests)")

    def handle(self, *args: Any, only: str | None = None, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("De demoregio wordt nooit geladen met productie-instellingen.")
        try:
            rows = read_municipalities(NOORD_HOLLAND_CSV)
        except PortalError as exc:
            raise CommandError(exc.message) from exc
        if only:
            wanted = {code.strip() for code in only.split(",")}
            rows = [row for row in rows if row.cbs_code in wanted | {"GM0397", "GM0392"}]
        to_create, _to_update = region_plan(rows)
        with progress_bar(
            total=len(to_create),
            description="gemeenten aanmaken",
            unit="gemeente",
            file=self.stdout,
            enabled=options["verbosity"] > 0,
        ) as step:
            created, updated = region_load(rows=rows, progress=lambda row: step(row.name))
        unit = PoliceUnit.objects.get(name="Noord-Holland")
        accounts = demo_accounts_ensure(police_unit=unit)
        users = {a.username: u for a, u in ((a, User.objects.get(username=a.username)) for a, _pw in accounts)}
        consultation = demo_round_ensure(
            police_unit=unit, adviser=users["adviseur"], staff={"GM0397": users["heemstede-oov"]}
        )
        plans = sum(demo_plans_ensure(municipality=m) for m in Municipality.objects.filter(police_unit=unit))
        self.stdout.write(
            f"Demoregio Noord-Holland: {created} gemeenten aangemaakt, {updated} bijgewerkt, "
            f"{plans} voorbeeldplannen, {len(accounts)} demo-accounts"
            + (", consultatieronde IMV 2024-2027 geopend." if consultation else ".")
        )
        if options["verbosity"] > 1:
            self.stdout.write(demo_accounts_table(accounts))
