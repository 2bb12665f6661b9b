"""Demo accounts for the Noord-Holland demo region (development and tests only).

Passwords are random per installation, kept in .data/demo-accounts.json and printed by
`make run`. Demo accounts are flagged ``is_demo`` and can never sign in with production settings.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from tenants.models import Membership, Municipality, PoliceUnit, Role, User


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str | None  # None: platform administrator
    cbs_code: str | None = None
    description: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("adviseur", "Anna de Adviseur", Role.ADVISER, None, "adviseur regioburgemeester (hele eenheid)"),
    DemoAccount("heemstede-oov", "Hans Heemstede", Role.OOV, "GM0397", "medewerker OOV Heemstede"),
    DemoAccount("heemstede-griffie", "Greet Griffie", Role.GRIFFIE, "GM0397", "griffie Heemstede"),
    DemoAccount("haarlem-oov", "Hanna Haarlem", Role.OOV, "GM0392", "medewerker OOV Haarlem"),
    DemoAccount("rbop", "Ruud RBOP", Role.RBOP, None, "lid RBOP (alleen lezen)"),
    DemoAccount("beheerder", "Bea Beheer", None, None, "platformbeheerder (Django-beheer op /beheer/)"),
]


def demo_accounts_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-accounts.json"


@transaction.atomic
def demo_accounts_ensure(*, police_unit: PoliceUnit) -> list[tuple[DemoAccount, str]]:
    """Create or repair the demo accounts and their roles; return each with its password."""
    path = demo_accounts_file()
    passwords: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    result = []
    for account in DEMO_ACCOUNTS:
        password = passwords.get(account.username) or secrets.token_urlsafe(12)
        first, _, last = account.full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{account.username}@demo.regioportaal.localhost",
                "is_demo": True,
                "is_staff": account.role is None,
                "is_superuser": account.role is None,
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if account.role in (Role.ADVISER, Role.RBOP):
            Membership.objects.get_or_create(user=user, role=account.role, police_unit=police_unit)
        elif account.role is not None:
            municipality = Municipality.objects.get(cbs_code=account.cbs_code)
            Membership.objects.get_or_create(user=user, role=account.role, municipality=municipality)
        passwords[account.username] = password
        result.append((account, password))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(passwords, indent=2))
    path.chmod(0o600)
    table = path.with_suffix(".txt")
    table.write_text(demo_accounts_table(result) + "\n")
    table.chmod(0o600)
    return result


def demo_accounts_table(accounts: list[tuple[DemoAccount, str]]) -> str:
    return "\n".join(f"    {a.username:<19} {pw:<18} {a.description}" for a, pw in accounts)
