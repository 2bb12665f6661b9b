"""Make an API token for one of a user's memberships and print its key, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.models import Membership, Role, User
from tenants.services import api_token_create


class Command(BaseCommand):
    help = (
        "Maak een API-token voor één rol van een gebruiker. De sleutel wordt één keer getoond; "
        "alleen een hash wordt bewaard."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="gebruikersnaam")
        parser.add_argument("--role", choices=Role.values, help="rol, als de gebruiker er meer dan één heeft")
        parser.add_argument("--gemeente", metavar="CBS", help="CBS-code van de gemeente, bijvoorbeeld GM0397")
        parser.add_argument(
            "--name", required=True, help="naam van het token, bijvoorbeeld de koppeling die het gebruikt"
        )

    def handle(self, *args: Any, user: str, role: str | None, gemeente: str | None, name: str, **options: Any) -> None:
        name = name.strip()
        if not name:
            raise CommandError("Geef het token een naam met --name.")
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"Er is geen gebruiker met gebruikersnaam “{user}”.")
        if not account.is_active:
            raise CommandError(f"Gebruiker “{user}” is niet actief; een token voor dit account werkt niet.")
        membership = self._membership(account, role=role, cbs_code=gemeente.upper() if gemeente else None)
        token, key = api_token_create(membership=membership, name=name)
        self.stdout.write(self.style.SUCCESS(f"API-token “{token.name}” gemaakt voor {membership}."))
        self.stdout.write("Sleutel (wordt niet opgeslagen en niet nog eens getoond; bewaar hem nu):")
        self.stdout.write(key)
        self.stdout.write(f"Gebruik: Authorization: Bearer {key}")

    def _membership(self, user: User, *, role: str | None, cbs_code: str | None) -> Membership:
        """The one membership that matches; a clear error when none or several do."""
        memberships = Membership.objects.filter(user=user).select_related("municipality", "police_unit")
        if role:
            memberships = memberships.filter(role=role)
        if cbs_code:
            memberships = memberships.filter(municipality__cbs_code=cbs_code)
        found = list(memberships.order_by("role", "municipality__cbs_code", "police_unit__name"))
        if len(found) == 1:
            return found[0]
        wanted = " en ".join(
            part for part in (f"rol “{role}”" if role else "", f"gemeente {cbs_code}" if cbs_code else "") if part
        )
        if not found:
            raise CommandError(
                f"Gebruiker “{user.username}” heeft geen rol" + (f" met {wanted}" if wanted else "") + "."
            )
        options = "\n".join(
            f"  --role {m.role}" + (f" --gemeente {m.municipality.cbs_code}" if m.municipality else "") + f"   ({m})"
            for m in found
        )
        raise CommandError(
            f"Gebruiker “{user.username}” heeft {len(found)} rollen"
            + (f" met {wanted}" if wanted else "")
            + "; kies er één:\n"
            + options
        )
