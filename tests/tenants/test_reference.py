"""Reading the municipality reference CSV: every error names its row and column."""

from pathlib import Path

import pytest

from portal.exceptions import PortalError
from tenants.reference import NATIONAL_CSV, NOORD_HOLLAND_CSV, read_municipalities

HEADER = "cbs_code,name,police_unit,district,basisteam,source\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "gemeenten.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_noord_holland_reference_has_32_municipalities_in_three_districts():
    rows = read_municipalities(NOORD_HOLLAND_CSV)
    assert len(rows) == 32
    assert {r.district for r in rows} == {"Noord-Holland Noord", "Zaanstreek-Waterland", "Kennemerland"}
    assert sum(r.district == "Noord-Holland Noord" for r in rows) == 16


def test_national_reference_has_342_municipalities():
    assert len(read_municipalities(NATIONAL_CSV)) == 342


def test_malformed_cbs_code_names_row_and_column(tmp_path):
    path = write(
        tmp_path, "GM0397,Heemstede,Noord-Holland,Kennemerland,,x\nG0392,Haarlem,Noord-Holland,Kennemerland,,x\n"
    )
    with pytest.raises(PortalError) as info:
        read_municipalities(path)
    assert "rij 3, kolom cbs_code" in info.value.errors
    assert "rij 3, kolom cbs_code" in info.value.message


def test_duplicate_cbs_code_is_refused_with_both_rows(tmp_path):
    path = write(
        tmp_path, "GM0397,Heemstede,Noord-Holland,Kennemerland,,x\nGM0397,Haarlem,Noord-Holland,Kennemerland,,x\n"
    )
    with pytest.raises(PortalError) as info:
        read_municipalities(path)
    assert info.value.errors["rij 3, kolom cbs_code"] == ["CBS-code GM0397 staat al in rij 2"]


def test_empty_name_is_refused(tmp_path):
    path = write(tmp_path, "GM0397,,Noord-Holland,Kennemerland,,x\n")
    with pytest.raises(PortalError) as info:
        read_municipalities(path)
    assert "rij 2, kolom name" in info.value.errors


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "gemeenten.csv"
    path.write_text("cbs_code,name\nGM0397,Heemstede\n", encoding="utf-8")
    with pytest.raises(PortalError) as info:
        read_municipalities(path)
    assert "police_unit" in info.value.message
