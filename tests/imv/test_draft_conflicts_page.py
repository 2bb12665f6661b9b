"""The stale tab on the round page: the conflict box shows, field by field, what the other person
changed (their value, the user's, the original, with name and time), keeps the user's input, and
the next save writes only what this tab changed."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context

from imv.models import Position
from municipalities.models import OpinionDraft
from municipalities.services import KEEP_MINE, opinion_draft_get, opinion_draft_save, opinion_draft_values
from tenants.models import Role
from tests.imv.round_page_helpers import draft_data, draft_version, round_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def griffie(make_user, heemstede):
    return make_user(Role.GRIFFIE, heemstede, first_name="Greet", last_name="Griffie")


def griffie_saves(griffie, heemstede, consultation, version, **values):
    with schema_context(heemstede.schema_name):
        opinion_draft_save(
            actor=griffie,
            draft=opinion_draft_get(consultation=consultation),
            expected_version=version,
            overall_position=values.get("position", ""),
            overall_text=values.get("text", ""),
            points=[],
        )


def saved(heemstede, consultation) -> dict[str, str]:
    with schema_context(heemstede.schema_name):
        return opinion_draft_values(OpinionDraft.objects.get(round=consultation))


def conflict_box(body: str) -> str:
    match = re.search(r'<section class="rp-conflict".*?</section>', body, re.S)
    assert match, "no conflict box on the page"
    return match.group(0)


def test_the_conflict_box_shows_what_the_other_changed_and_keeps_the_input(
    staff_client, consultation, heemstede_p, heemstede, griffie
):
    seen = draft_version(heemstede, consultation)
    griffie_saves(griffie, heemstede, consultation, seen, position=Position.OBJECTS)

    response = staff_client.post(
        round_url(consultation, action="concept/"),
        draft_data(seen, position="", text="Mijn eigen tekst", action="opslaan"),
    )

    assert response.status_code == 412
    body = response.content.decode()
    assert "Greet Griffie heeft het concept intussen gewijzigd (nu versie 2)" in body
    box = conflict_box(body)
    assert "Standpunt van de raad" in box
    assert "Opgeslagen door Greet Griffie (" in box
    assert str(Position(Position.OBJECTS).label) in box
    assert "Mijn eigen tekst" not in box  # only the griffie's change is listed; the user's text is in the form
    assert "Mijn eigen tekst</textarea>" in body  # kept in the form, as typed
    assert "[&#x27;" not in body
    assert f'name="version" value="{seen}"' in body  # still the version this tab was shown
    assert f'name="seen_version" value="{seen + 1}"' in body
    # The field only the griffie changed now shows what she saved, so saving keeps it.
    assert re.search(rf'name="overall_position" value="{Position.OBJECTS}"[^>]*checked', body)
    assert saved(heemstede, consultation) == {"overall_position": Position.OBJECTS}


def test_saving_again_keeps_both_peoples_work(staff_client, consultation, heemstede_p, heemstede, griffie):
    seen = draft_version(heemstede, consultation)
    griffie_saves(griffie, heemstede, consultation, seen, position=Position.OBJECTS)
    url = round_url(consultation, action="concept/")
    staff_client.post(url, draft_data(seen, position="", text="Mijn eigen tekst", action="opslaan"))

    # Pressing save again, with the form exactly as the refused page left it (position still empty in
    # the data this test sends: the tab's own value, which the merge must not take as a change).
    response = staff_client.post(
        url, draft_data(seen, position="", text="Mijn eigen tekst", action="opslaan", seen_version=seen + 1)
    )

    assert response.status_code == 302
    assert saved(heemstede, consultation) == {"overall_position": Position.OBJECTS, "overall_text": "Mijn eigen tekst"}


def test_a_field_both_changed_asks_which_version_stays(staff_client, consultation, heemstede_p, heemstede, griffie):
    seen = draft_version(heemstede, consultation)
    griffie_saves(griffie, heemstede, consultation, seen, text="Tekst van de griffie")
    url = round_url(consultation, action="concept/")
    mine = draft_data(seen, position=Position.SUPPORTS, text="Mijn eigen tekst", action="opslaan")

    first = conflict_box(staff_client.post(url, mine).content.decode())
    assert "Tekst van de griffie" in first
    assert "Mijn eigen tekst" in first
    assert "Toelichting bij de zienswijze als geheel: welke versie blijft?" in first
    assert 'name="keep_overall_text"' in first

    unchosen = staff_client.post(url, {**mine, "seen_version": seen + 1})
    assert unchosen.status_code == 412
    assert "Kies welke versie blijft: de uwe of de opgeslagen." in unchosen.content.decode()
    assert saved(heemstede, consultation) == {"overall_text": "Tekst van de griffie"}

    chosen = staff_client.post(url, {**mine, "seen_version": seen + 1, "keep_overall_text": KEEP_MINE})
    assert chosen.status_code == 302
    assert saved(heemstede, consultation) == {"overall_position": Position.SUPPORTS, "overall_text": "Mijn eigen tekst"}
