"""manage.py invite_user: the invitation service for scripted set-ups; --dry-run checks and writes nothing."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tenants.models import AuditEvent, Invitation, Role
from tenants.services import invitation_create
from tests.tenants.people_helpers import invitation_mail, written

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("invite_user", *args, stdout=out)
    return out.getvalue()


def test_invite_user_invites_for_a_municipality(heemstede):
    output = run("--email", "Anna@Heemstede.nl", "--role", Role.COORDINATOR, "--municipality", "gm0397")

    assert "Uitgenodigd: anna@heemstede.nl als coördinator van Heemstede." in output
    invitation = Invitation.objects.get(email="anna@heemstede.nl")
    assert (invitation.role, invitation.municipality, invitation.invited_by) == (Role.COORDINATOR, heemstede, None)
    assert "De beheerder van het Regioportaal Veiligheid nodigt u uit" in invitation_mail("anna@heemstede.nl").body
    assert AuditEvent.objects.get(object_uuid=invitation.uuid).actor_label == "systeem"


def test_invite_user_invites_for_a_police_unit(noord_holland):
    run("--email", "ada@politie.example", "--role", Role.ADVISER, "--police-unit", "noord-holland")

    assert Invitation.objects.get(email="ada@politie.example").police_unit == noord_holland


def test_the_dry_run_checks_and_writes_nothing(heemstede):
    before = written()

    output = run("--email", "anna@heemstede.nl", "--role", Role.OOV, "--municipality", "GM0397", "--dry-run")

    assert "Zou uitnodigen: anna@heemstede.nl als medewerker openbare orde en veiligheid van Heemstede." in output
    assert "er is niets geschreven" in output
    assert written() == before


def test_the_dry_run_refuses_what_the_real_run_refuses(coordinator, heemstede):
    invitation_create(actor=coordinator, email="anna@heemstede.nl", role=Role.OOV, municipality=heemstede)
    before = written()

    for extra in ([], ["--dry-run"]):
        with pytest.raises(CommandError, match=re.escape("Er staat al een uitnodiging open voor anna@heemstede.nl")):
            run("--email", "anna@heemstede.nl", "--role", Role.OOV, "--municipality", "GM0397", *extra)

    assert written() == before


def test_on_behalf_of_someone_their_rights_apply(coordinator, noord_holland):
    before = written()

    with pytest.raises(CommandError, match="Een coördinator gaat alleen over de mensen van de eigen gemeente"):
        run(
            "--email",
            "x@politie.example",
            "--role",
            Role.RBOP,
            "--police-unit",
            "Noord-Holland",
            "--by",
            coordinator.username,
            "--dry-run",
        )

    assert written() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", Role.OOV, "--municipality", "GM9999"], "Er is geen gemeente met CBS-code GM9999."),
        (["--role", Role.RBOP, "--police-unit", "Atlantis"], "Er is geen politie-eenheid “Atlantis”"),
        (["--role", Role.RBOP, "--municipality", "GM0397"], "hoort bij een politie-eenheid (--police-unit)"),
        (["--role", Role.OOV, "--police-unit", "Noord-Holland"], "hoort bij een gemeente (--municipality)"),
        (["--role", Role.OOV, "--municipality", "GM0397", "--by", "niemand"], "Er is geen actieve gebruiker"),
    ],
)
def test_invite_user_refuses_in_dutch_and_writes_nothing(heemstede, args, message):
    before = written()

    with pytest.raises(CommandError) as refused:
        run("--email", "anna@heemstede.nl", *args)

    assert message in str(refused.value)
    assert written() == before
