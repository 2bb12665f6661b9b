"""Create municipalities: each gets a row, its own schema with every tenant migration, and a path.

One at a time from arguments, or many from a reference CSV with a progress bar. --dry-run
shows what would be made and writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from portal.exceptions import PortalError
from portal.progress import progress_bar
from tenants.models import District
from tenants.reference import MunicipalityRow, read_municipalities
from tenants.services import municipality_create, police_unit_get_or_create, region_load, region_plan


class Command(BaseCommand):
    help = "Maak een of meer gemeenten aan (rij, eigen schema met migraties, adres /gemeenten/<slug>/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", type=Path, help="CSV met kolommen cbs_code,name,police_unit,district,basisteam")
        parser.add_argument("--police-unit", help="alleen rijen van deze politie-eenheid (met --csv)")
        parser.add_argument("--cbs-code", help="CBS-code van één nieuwe gemeente, bijvoorbeeld GM0397")
        parser.add_argument("--name", help="naam van de gemeente")
        parser.add_argument("--unit", help="politie-eenheid van de gemeente (wordt gemaakt als die nog niet bestaat)")
        parser.add_argument("--district", default="", help="district binnen de eenheid")
        parser.add_argument("--basisteam", default="")
        parser.add_argument("--slug", help="padnaam onder /gemeenten/ (standaard: afgeleid van de naam)")
        parser.add_argument("--dry-run", action="store_true", help="laat zien wat er zou gebeuren, schrijf niets")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["csv"]:
                self._from_csv(
                    options["csv"], options["police_unit"], dry_run=options["dry_run"], verbosity=options["verbosity"]
                )
            else:
                self._one(options)
        except PortalError as exc:
            details = "".join(f"\n  {where}: {'; '.join(msgs)}" for where, msgs in list(exc.errors.items())[:20])
            raise CommandError(exc.message + details) from exc

    def _one(self, options: dict[str, Any]) -> None:
        missing = [flag for flag in ("cbs_code", "name", "unit") if not options[flag]]
        if missing:
            raise CommandError(
                "Geef --csv, of --cbs-code, --name en --unit (ontbreekt: "
                + ", ".join("--" + m.replace("_", "-") for m in missing)
                + ")."
            )
        slug = options["slug"] or slugify(options["name"])
        if options["dry_run"]:
            self.stdout.write(
                f"Zou aanmaken: {options['cbs_code']} {options['name']} (schema "
                f"{options['cbs_code'].lower()}, adres /gemeenten/{slug}/). Er is niets geschreven."
            )
            return
        unit = police_unit_get_or_create(name=options["unit"])
        district = None
        if options["district"]:
            district, _created = District.objects.get_or_create(police_unit=unit, name=options["district"])
        municipality = municipality_create(
            cbs_code=options["cbs_code"],
            name=options["name"],
            police_unit=unit,
            district=district,
            basisteam=options["basisteam"],
            slug=slug,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{municipality.name} aangemaakt: schema {municipality.schema_name}, adres /gemeenten/{slug}/"
            )
        )

    def _from_csv(self, path: Path, police_unit: str | None, *, dry_run: bool, verbosity: int) -> None:
        rows: list[MunicipalityRow] = read_municipalities(path)
        if police_unit:
            rows = [row for row in rows if row.police_unit == police_unit]
            if not rows:
                raise CommandError(f"Geen rijen voor politie-eenheid {police_unit!r} in {path.name}.")
        to_create, to_update = region_plan(rows)
        if dry_run:
            self.stdout.write(
                f"Zou {len(to_create)} gemeenten aanmaken en {len(to_update)} bijwerken "
                f"({len(rows) - len(to_create) - len(to_update)} ongewijzigd). Er is niets geschreven."
            )
            for row in to_create[:50]:
                self.stdout.write(f"  + {row.cbs_code} {row.name} ({row.police_unit})")
            for municipality, changes in to_update[:50]:
                self.stdout.write(f"  ~ {municipality.cbs_code} {municipality.name}: {changes}")
            return
        with progress_bar(
            total=len(to_create),
            description="gemeenten aanmaken",
            unit="gemeente",
            file=self.stdout,
            enabled=verbosity > 0,
        ) as step:
            created, updated = region_load(rows=rows, progress=lambda row: step(row.name))
        self.stdout.write(self.style.SUCCESS(f"{created} gemeenten aangemaakt, {updated} bijgewerkt."))
