"""Invite someone by e-mail to a role, for scripted set-ups: the same service and checks as the page.

--dry-run runs every check of the real run, up to writing the invitation and its e-mail inside a
transaction, and then rolls that transaction back: nothing is written and no e-mail goes out.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from portal.exceptions import PortalError
from tenants.models import REGIONAL_ROLES, Municipality, PoliceUnit, Role, User
from tenants.services import invitation_create


class Command(BaseCommand):
    help = (
        "Nodig iemand per e-mail uit voor een rol: --municipality GM0397 voor een gemeentelijke rol, "
        '--police-unit "Noord-Holland" voor een regionale. Met --dry-run wordt alles gecontroleerd en niets geschreven.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="e-mailadres van wie wordt uitgenodigd")
        parser.add_argument("--role", required=True, choices=Role.values, help="de rol")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--municipality", metavar="CBS", help="CBS-code van de gemeente, bijvoorbeeld GM0397")
        where.add_argument("--police-unit", metavar="NAAM", help="naam van de politie-eenheid (regionale rollen)")
        parser.add_argument(
            "--by", metavar="GEBRUIKERSNAAM", help="namens wie (diens rechten gelden); standaard de beheerder"
        )
        parser.add_argument("--dry-run", action="store_true", help="controleer alles, schrijf niets, verstuur niets")

    def handle(
        self,
        *args: Any,
        email: str,
        role: str,
        municipality: str | None,
        police_unit: str | None,
        by: str | None,
        dry_run: bool,
        **options: Any,
    ) -> None:
        organisation = self._organisation(municipality=municipality, police_unit=police_unit)
        if (role in REGIONAL_ROLES) != isinstance(organisation, PoliceUnit):
            raise CommandError(
                f"De rol {role} hoort bij "
                + (
                    "een politie-eenheid (--police-unit)."
                    if role in REGIONAL_ROLES
                    else "een gemeente (--municipality)."
                )
            )
        actor = None
        if by:
            actor = User.objects.filter(username=by, is_active=True).first()
            if actor is None:
                raise CommandError(f"Er is geen actieve gebruiker met gebruikersnaam “{by}”.")
        try:
            with transaction.atomic():
                invitation = invitation_create(
                    actor=actor,
                    email=email,
                    role=role,
                    police_unit=organisation if isinstance(organisation, PoliceUnit) else None,
                    municipality=organisation if isinstance(organisation, Municipality) else None,
                )
                if dry_run:
                    transaction.set_rollback(True)  # every check has run; the writes and the e-mail go
        except PortalError as exc:
            details = "".join(f"\n  {field}: {'; '.join(msgs)}" for field, msgs in exc.errors.items())
            raise CommandError(exc.message + details) from exc
        what = f"{invitation.email} als {invitation.get_role_display()} van {invitation.organisation}"
        if dry_run:
            self.stdout.write(f"Zou uitnodigen: {what}. Alle controles zijn geslaagd; er is niets geschreven.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Uitgenodigd: {what}. De e-mail gaat nu weg; de link is 7 dagen geldig.")
            )

    def _organisation(self, *, municipality: str | None, police_unit: str | None) -> Municipality | PoliceUnit:
        if municipality:
            found = Municipality.objects.filter(cbs_code=municipality.strip().upper()).first()
            if found is None:
                raise CommandError(f"Er is geen gemeente met CBS-code {municipality}.")
            return found
        unit = PoliceUnit.objects.filter(name__iexact=(police_unit or "").strip()).first()
        if unit is None:
            names = ", ".join(PoliceUnit.objects.values_list("name", flat=True)) or "geen"
            raise CommandError(f"Er is geen politie-eenheid “{police_unit}” (wel: {names}).")
        return unit
