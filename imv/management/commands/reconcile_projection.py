"""Compare the shared-schema projection of local priorities with every municipality's schema."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imv.analytics import reconcile_projection
from portal.progress import progress_bar
from tenants.models import Municipality


class Command(BaseCommand):
    help = "Vergelijk de projectie van lokale prioriteiten met de schema's van de gemeenten (in batches)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=50, help="schema's per query (standaard 50)")

    def handle(self, *args: Any, **options: Any) -> None:
        total = Municipality.objects.count()
        with progress_bar(
            total=total,
            description="gemeenten vergeleken",
            unit="gemeente",
            file=self.stdout,
            enabled=options["verbosity"] > 0,
        ) as step:
            differences = reconcile_projection(
                batch_size=options["batch_size"], progress=lambda n: [step("") for _ in range(n)]
            )
        for difference in differences:
            self.stdout.write(
                f"  {difference.municipality}: prioriteit {difference.priority_uuid} {difference.problem}"
            )
        if differences:
            raise CommandError(f"{len(differences)} verschil(len) tussen projectie en gemeenten.")
        self.stdout.write(self.style.SUCCESS(f"Projectie klopt voor alle {total} gemeenten."))
