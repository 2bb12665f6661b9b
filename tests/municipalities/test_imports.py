"""Import of priorities, indicators and actions: a preview naming every bad row and column, all or nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django_tenants.utils import schema_context

from imv.models import PriorityProjection
from municipalities.models import Action, Kpi, Priority, SafetyPlan
from municipalities.services import import_apply, import_preview
from portal.exceptions import PortalError

pytestmark = pytest.mark.django_db


def plan_of(municipality):
    return SafetyPlan.objects.get(period_start=2024)


def preview(municipality, kind, name, content):
    with schema_context(municipality.schema_name):
        return import_preview(
            municipality=municipality, plan=plan_of(municipality), kind=kind, name=name, content=content
        )


def test_valid_priorities_csv_is_written_with_projection(heemstede):
    content = (
        b"titel;omschrijving;thema;imv_themas\n"
        b"Drugsoverlast;Overlast rond coffeeshops;5.2;Ondermijning;\n"
        b"Jeugdgroepen;;3.1;Jeugd en Veiligheid\n"
    )
    result = preview(heemstede, "prioriteiten", "p.csv", content)
    assert result.ok, result.errors
    with schema_context(heemstede.schema_name):
        assert import_apply(municipality=heemstede, plan=plan_of(heemstede), preview=result) == 2
        drugs = Priority.objects.get(title="Drugsoverlast")
    assert drugs.field_code == "5"
    assert PriorityProjection.objects.get(priority_uuid=drugs.uuid).imv_themes


def test_every_bad_row_and_column_is_named_and_nothing_written(heemstede):
    content = b"titel,omschrijving,thema,imv_themas\nGoed,,1.1,\n,,9.9,Bestaat niet\nGoed,,1.2,\n"
    result = preview(heemstede, "prioriteiten", "p.csv", content)
    assert not result.ok
    assert set(result.errors) == {
        "rij 3, kolom titel",
        "rij 3, kolom thema",
        "rij 3, kolom imv_themas",
        "rij 4, kolom titel",
    }
    with schema_context(heemstede.schema_name), pytest.raises(PortalError):
        import_apply(municipality=heemstede, plan=plan_of(heemstede), preview=result)
    with schema_context(heemstede.schema_name):
        assert not Priority.objects.filter(title="Goed").exists()


def test_indicators_from_xlsx(heemstede):
    with schema_context(heemstede.schema_name):
        from municipalities.services import priority_save

        priority_save(
            municipality=heemstede,
            plan=plan_of(heemstede),
            title="Woninginbraak",
            field_code="1",
            theme_code="1.3",
            imv_themes=[],
        )
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.append(
        ["prioriteit", "indicator", "eenheid", "nulmeting", "jaar_nulmeting", "streefwaarde", "streefjaar", "verhaal"]
    )
    sheet.append(
        [
            "Woninginbraak",
            "Aangiften woninginbraak",
            "per 1.000 woningen",
            "3,4",
            2022,
            2.5,
            2027,
            "Lage cijfers: meldingsbereidheid telt mee.",
        ]
    )
    sheet.append(["Onbekend", "X", "st", "veel", "twintig", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    result = preview(heemstede, "indicatoren", "kpi.xlsx", buffer.getvalue())
    assert set(result.errors) == {"rij 3, kolom prioriteit", "rij 3, kolom nulmeting", "rij 3, kolom jaar_nulmeting"}
    buffer2 = io.BytesIO()
    book.remove(sheet)
    fixed = book.create_sheet()
    fixed.append(["prioriteit", "indicator", "eenheid", "nulmeting", "jaar_nulmeting"])
    fixed.append(["Woninginbraak", "Aangiften woninginbraak", "per 1.000 woningen", "3,4", 2022])
    book.save(buffer2)
    result = preview(heemstede, "indicatoren", "kpi.xlsx", buffer2.getvalue())
    assert result.ok, result.errors
    with schema_context(heemstede.schema_name):
        import_apply(municipality=heemstede, plan=plan_of(heemstede), preview=result)
        kpi = Kpi.objects.get(name="Aangiften woninginbraak")
    assert str(kpi.baseline_value) == "3.40"


def test_actions_outside_the_plan_period_are_refused(heemstede):
    content = (
        b"jaar,prioriteit,actie,trekker,deadline,kosten,status\n2031,,Wijkschouw,Team OOV,2031-03-01,500,gepland\n"
    )
    result = preview(heemstede, "acties", "a.csv", content)
    assert "rij 2, kolom jaar" in result.errors
    ok = b'jaar,actie,trekker,deadline,kosten,status\n2025,Wijkschouw,Team OOV,2025-03-01,"1250,50",lopend\n'
    result = preview(heemstede, "acties", "a.csv", ok)
    assert result.ok, result.errors
    with schema_context(heemstede.schema_name):
        import_apply(municipality=heemstede, plan=plan_of(heemstede), preview=result)
        action = Action.objects.select_related("implementation_plan").get(title="Wijkschouw")
    assert (action.implementation_plan.year, str(action.cost), action.status) == (2025, "1250.50", "lopend")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("p.txt", b"titel\n", "Kies een .csv- of .xlsx-bestand."),
        ("p.xlsx", b"not a workbook", "Dit is geen leesbaar Excel-bestand (.xlsx)."),
        ("p.csv", "titel,thema\n".encode("utf-16"), "Het CSV-bestand is niet in UTF-8 opgeslagen."),
        ("p.csv", b"omschrijving\nx\n", "De kolom(men) titel, thema ontbreken."),
    ],
)
def test_unreadable_files_get_a_clear_message(heemstede, name, content, message):
    with pytest.raises(PortalError) as info:
        preview(heemstede, "prioriteiten", name, content)
    assert info.value.message.startswith(message)


def test_indicator_rules_of_the_form_apply_to_the_import(heemstede):
    with schema_context(heemstede.schema_name):
        from municipalities.services import priority_save

        priority_save(
            municipality=heemstede,
            plan=plan_of(heemstede),
            title="Fietsdiefstal",
            field_code="1",
            theme_code="1.3",
            imv_themes=[],
        )
    content = b"prioriteit,indicator,eenheid,nulmeting,jaar_nulmeting\nFietsdiefstal,Aangiften,per jaar,40,\n"
    result = preview(heemstede, "indicatoren", "kpi.csv", content)
    assert "rij 2, kolom jaar_nulmeting" in result.errors  # a baseline needs its year, as in the form


def _workbook_with(sheet_xml: bytes | None = None, *, padding: int = 0) -> bytes:
    """A real .xlsx, with its first sheet's XML replaced and/or a highly compressible member added."""
    import zipfile

    book = openpyxl.Workbook()
    book.worksheets[0].append(["titel", "thema"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if sheet_xml is not None and info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(info, data)
        if padding:
            target.writestr("xl/media/padding.bin", b"\0" * padding)
    return out.getvalue()


def test_an_xlsx_that_unpacks_past_the_limit_is_refused_before_it_is_unpacked(heemstede):
    bomb = _workbook_with(padding=60 * 2**20)  # 60 MB of zeros: a few tens of kilobytes packed
    assert len(bomb) < 200_000
    with pytest.raises(PortalError) as info:
        preview(heemstede, "prioriteiten", "p.xlsx", bomb)
    assert info.value.message.startswith("Het Excel-bestand pakt uit tot meer dan 50 MB")


def test_an_xlsx_with_xml_entities_is_refused_as_unreadable(heemstede):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    with pytest.raises(PortalError) as info:
        preview(heemstede, "prioriteiten", "p.xlsx", _workbook_with(laughs))
    assert info.value.message.startswith("Dit is geen leesbaar Excel-bestand (.xlsx).")
