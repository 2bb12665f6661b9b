"""Restore one municipality from an archive of export_municipality into this database: see tenants.backup.

A dry run unless --commit is given: it verifies the archive, shows what would be made and
refuses when the municipality, its schema or an address already exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.exceptions import PortalError
from portal.progress import progress_bar
from tenants.backup import municipality_restore, restore_plan, restore_steps


class Command(BaseCommand):
    help = "Herstel één gemeente uit een zip-archief van export_municipality (zonder --commit: proefdraai)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="zip-archief van export_municipality")
        parser.add_argument("--commit", action="store_true", help="echt herstellen (anders: alleen laten zien)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = restore_plan(archive_path=options["archive"])
            if not options["commit"]:
                self.stdout.write("Zou aanmaken:")
                for line in plan.describe():
                    self.stdout.write(f"  {line}")
                self.stdout.write("Er is niets geschreven; herstel met --commit.")
                return
            with progress_bar(
                total=restore_steps(plan),
                description="herstellen",
                unit="stap",
                file=self.stdout,
                enabled=options["verbosity"] > 0,
            ) as step:
                report = municipality_restore(plan=plan, progress=step)
        except PortalError as exc:
            raise CommandError(exc.message + " Er is niets geschreven.") from exc
        for label, count in report.rows.items():
            self.stdout.write(f"  {label}: {count} rijen")
        for line in report.dropped:
            self.stdout.write(self.style.WARNING(f"  weggelaten (gedeeld doel ontbreekt): {line}"))
        for line in report.emptied:
            self.stdout.write(self.style.WARNING(f"  leeggemaakt (gedeeld doel ontbreekt): {line}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{plan.municipality['name']} hersteld: {sum(report.rows.values())} rijen, {report.files} bestanden, "
                f"{len(report.dropped)} rijen weggelaten."
            )
        )
