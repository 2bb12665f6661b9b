"""Creating municipalities: schema, migrations and path together, or nothing at all."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from municipalities.models import SafetyPlan
from portal.exceptions import PortalError
from tenants.models import Domain, Municipality
from tenants.services import municipality_create

pytestmark = pytest.mark.django_db


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name])
        return cursor.fetchone() is not None


def test_municipality_create_makes_schema_tables_and_path(noord_holland, in_schema):
    municipality = municipality_create(cbs_code="GM0375", name="Beverwijk", police_unit=noord_holland)
    assert schema_exists("gm0375")
    assert Domain.objects.get(tenant=municipality).domain == "beverwijk"
    with in_schema(municipality):
        assert SafetyPlan.objects.count() == 0  # the tenant tables exist and are empty


def test_duplicate_cbs_code_is_refused_and_writes_nothing(noord_holland):
    before = Municipality.objects.count()
    with pytest.raises(PortalError) as info:
        municipality_create(cbs_code="GM0397", name="Heemstede bis", police_unit=noord_holland, slug="heemstede-bis")
    assert info.value.status == 409
    assert Municipality.objects.count() == before
    assert not Domain.objects.filter(domain="heemstede-bis").exists()


def test_invalid_cbs_code_is_refused_without_schema(noord_holland):
    with pytest.raises(Exception, match="CBS"):
        municipality_create(cbs_code="XX12", name="Nergens", police_unit=noord_holland)
    assert not schema_exists("xx12")


def test_command_dry_run_writes_nothing(capsys):
    call_command(
        "create_municipality", "--cbs-code", "GM0453", "--name", "Velsen", "--unit", "Noord-Holland", "--dry-run"
    )
    assert "Er is niets geschreven" in capsys.readouterr().out
    assert not Municipality.objects.filter(cbs_code="GM0453").exists()
    assert not schema_exists("gm0453")


def test_command_from_csv_dry_run_counts_what_it_would_make(capsys):
    from tenants.reference import NOORD_HOLLAND_CSV

    call_command("create_municipality", "--csv", str(NOORD_HOLLAND_CSV), "--dry-run")
    out = capsys.readouterr().out
    assert "Zou 29 gemeenten aanmaken" in out  # 32 minus the three of the test database
    assert Municipality.objects.count() == 3


def test_command_creates_one_municipality(capsys, noord_holland):
    call_command(
        "create_municipality",
        "--cbs-code",
        "GM0473",
        "--name",
        "Zandvoort",
        "--unit",
        "Noord-Holland",
        "--district",
        "Kennemerland",
    )
    municipality = Municipality.objects.get(cbs_code="GM0473")
    assert municipality.district is not None
    assert municipality.district.name == "Kennemerland"
    assert schema_exists("gm0473")


def test_command_refuses_duplicate_with_clear_message():
    with pytest.raises(CommandError, match="GM0397"):
        call_command("create_municipality", "--cbs-code", "GM0397", "--name", "Heemstede", "--unit", "Noord-Holland")


def test_command_reports_bad_csv_rows(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("cbs_code,name,police_unit,district,basisteam\nGM12,Foo,Noord-Holland,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="rij 2, kolom cbs_code"):
        call_command("create_municipality", "--csv", str(path))


def test_load_demo_twice_changes_nothing(capsys):
    call_command("load_demo", "--only", "GM0397,GM0392,GM0377")
    assert "0 gemeenten aangemaakt, 0 bijgewerkt, 0 voorbeeldplannen" in capsys.readouterr().out
