"""Export one municipality (schema rows and files) to a zip archive: see tenants.backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.exceptions import PortalError
from portal.progress import progress_bar
from tenants.backup import municipality_export, tenant_models


class Command(BaseCommand):
    help = "Exporteer één gemeente (alle rijen van haar schema en haar bestanden) naar een zip-archief."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cbs-code", required=True, help="CBS-code van de gemeente, bijvoorbeeld GM0397")
        parser.add_argument("--output", required=True, type=Path, help="pad van het zip-archief dat wordt gemaakt")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        if output.exists():
            raise CommandError(f"{output} bestaat al; kies een ander pad.")
        try:
            with progress_bar(
                total=len(tenant_models()),
                description="exporteren",
                unit="tabel",
                file=self.stdout,
                enabled=options["verbosity"] > 0,
            ) as step:
                manifest = municipality_export(cbs_code=options["cbs_code"], output=output, progress=step)
        except PortalError as exc:
            output.unlink(missing_ok=True)
            raise CommandError(exc.message) from exc
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{manifest['municipality']['name']} geëxporteerd naar {output}: "
                f"{rows} rijen in {len(manifest['tables'])} tabellen, {len(manifest['files'])} bestanden."
            )
        )
