"""Importing priorities, indicators and actions through the plan page: a preview naming every bad row
and column, written only on confirmation of the same file, and the template per kind."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from imv.models import PriorityProjection
from tests.municipalities.plan_helpers import add_priority, plan_2024, plan_url, snapshot, text, theme

pytestmark = pytest.mark.django_db


# --- Import ----------------------------------------------------------------------------------------
def upload(content: bytes, name: str = "prioriteiten.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_import_preview_names_row_and_column_of_every_error_and_writes_nothing(staff, heemstede, all_three):
    plan = plan_2024(heemstede)
    content = b"titel;omschrijving;thema;imv_themas\nGoed;;1.1;\n;;9.9;Bestaat niet\nGoed;;1.2;\n"
    before = snapshot(all_three)

    response = staff.post(
        plan_url(heemstede, plan, "importeren/"), {"soort": "prioriteiten", "bestand": upload(content)}
    )

    assert response.status_code == 200
    page = text(response)
    assert "2 van de 3 rijen hebben fouten." in page
    assert "Er is niets opgeslagen." in page
    for error in (
        "rij 3, kolom titel: mag niet leeg zijn",
        "rij 3, kolom thema: “9.9” is geen thema van het Kernbeleid Veiligheid",
        "rij 3, kolom imv_themas: “Bestaat niet” is geen IMV-thema",
        "rij 4, kolom titel: prioriteit “Goed” bestaat al",
    ):
        assert error in page
    assert "in orde" in page  # row 2
    assert "importeren/bevestigen/" not in response.content.decode()
    assert snapshot(all_three) == before


def test_valid_import_writes_every_row_after_confirmation(staff, heemstede):
    plan = plan_2024(heemstede)
    content = (
        b"titel;omschrijving;thema;imv_themas\n"
        b"Drugsoverlast;Overlast rond drugs;5.2;Ondermijning\n"
        b'Digitale weerbaarheid;;X.1;"Cybercrime; Online bedreiging en intimidatie"\n'
        b"Jeugdgroepen;;3.1;\n"
    )
    url = plan_url(heemstede, plan, "importeren/")

    preview = staff.post(url, {"soort": "prioriteiten", "bestand": upload(content)})

    assert preview.status_code == 200
    assert "Alle 3 rijen zijn in orde. Er is nog niets opgeslagen" in text(preview)
    with schema_context(heemstede.schema_name):
        assert not plan.priorities.exists()
    digest = hashlib.sha256(content).hexdigest()
    assert f'value="{digest}"' in preview.content.decode()

    done = staff.post(plan_url(heemstede, plan, "importeren/bevestigen/"), {"digest": digest})

    assert done.status_code == 302
    assert done["Location"] == plan_url(heemstede, plan) + "#prioriteiten"
    with schema_context(heemstede.schema_name):
        titles = set(plan.priorities.values_list("title", flat=True))
        digital = plan.priorities.get(title="Digitale weerbaarheid")
    assert titles == {"Drugsoverlast", "Digitale weerbaarheid", "Jeugdgroepen"}
    assert set(digital.imv_themes) == {theme("Cybercrime").uuid, theme("Online bedreiging en intimidatie").uuid}
    assert PriorityProjection.objects.filter(plan_uuid=plan.uuid).count() == 3
    # The stored file is gone: confirming twice writes nothing more.
    again = staff.post(plan_url(heemstede, plan, "importeren/bevestigen/"), {"digest": digest})
    assert again.status_code == 302
    with schema_context(heemstede.schema_name):
        assert plan.priorities.count() == 3


def test_confirming_another_file_than_the_one_previewed_writes_nothing(staff, heemstede):
    plan = plan_2024(heemstede)
    content = b"titel;thema\nDrugsoverlast;5.2\n"
    staff.post(plan_url(heemstede, plan, "importeren/"), {"soort": "prioriteiten", "bestand": upload(content)})

    response = staff.post(
        plan_url(heemstede, plan, "importeren/bevestigen/"), {"digest": hashlib.sha256(b"other").hexdigest()}
    )

    assert response.status_code == 302
    assert response["Location"] == plan_url(heemstede, plan, "importeren/")
    with schema_context(heemstede.schema_name):
        assert not plan.priorities.exists()


def test_import_confirmed_after_the_plan_changed_shows_the_new_errors_and_writes_nothing(staff, heemstede):
    plan = plan_2024(heemstede)
    content = b"titel;thema\nDrugsoverlast;5.2\nJeugdgroepen;3.1\n"
    staff.post(plan_url(heemstede, plan, "importeren/"), {"soort": "prioriteiten", "bestand": upload(content)})
    add_priority(heemstede, plan, "Jeugdgroepen", [])  # someone else adds one meanwhile

    response = staff.post(
        plan_url(heemstede, plan, "importeren/bevestigen/"), {"digest": hashlib.sha256(content).hexdigest()}
    )

    assert response.status_code == 409
    assert "rij 3, kolom titel: prioriteit “Jeugdgroepen” bestaat al" in text(response)
    with schema_context(heemstede.schema_name):
        assert not plan.priorities.filter(title="Drugsoverlast").exists()


def test_unreadable_or_too_large_import_is_refused_at_the_file_field(staff, heemstede):
    plan = plan_2024(heemstede)
    url = plan_url(heemstede, plan, "importeren/")

    unreadable = staff.post(url, {"soort": "prioriteiten", "bestand": upload(b"\x00\x01", "p.xlsx")})
    too_large = staff.post(url, {"soort": "prioriteiten", "bestand": upload(b"titel;thema\n" + b"x" * 1_100_000)})

    assert "Dit is geen leesbaar Excel-bestand (.xlsx)." in text(unreadable)
    assert "Het bestand is groter dan 1 MB." in text(too_large)


@pytest.mark.parametrize("kind", ["prioriteiten", "indicatoren", "acties"])
def test_template_csv_per_kind_has_the_columns_the_import_expects(staff, heemstede, kind):
    from municipalities.services import COLUMNS

    response = staff.get(plan_url(heemstede, plan_2024(heemstede), f"importeren/voorbeeld-{kind}.csv"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="voorbeeld-{kind}.csv"'
    first_line = response.content.decode("utf-8-sig").splitlines()[0]
    assert first_line.split(";") == list(COLUMNS[kind])


def test_import_template_round_trips_through_the_preview(staff, heemstede):
    plan = plan_2024(heemstede)
    template = staff.get(plan_url(heemstede, plan, "importeren/voorbeeld-prioriteiten.csv")).content

    response = staff.post(
        plan_url(heemstede, plan, "importeren/"), {"soort": "prioriteiten", "bestand": upload(template)}
    )

    assert "Alle 2 rijen zijn in orde." in text(response)
