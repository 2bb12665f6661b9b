"""Two people, one draft: a save from a stale tab never wipes what the other saved.

The case from the issue: tab A saves a position on a theme; tab B, still showing the old
version, saves a text change and is refused; pressing save again in tab B used to save and wipe
tab A's position. Now the refusal lists what A changed, and B's next save writes only B's fields.
"""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from imv.models import Position
from municipalities.models import OpinionDraft, OpinionDraftRevision
from municipalities.services import (
    KEEP_MINE,
    KEEP_THEIRS,
    DraftConflictError,
    DraftPointInput,
    opinion_draft_get,
    opinion_draft_save,
    opinion_draft_values,
)
from municipalities.services.draft_conflicts import merge
from tenants.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def griffie(make_user, heemstede):
    return make_user(Role.GRIFFIE, heemstede, first_name="Greet", last_name="Griffie")


def save(actor, consultation, version, *, text="", position="", points=(), seen=None, keep=None):
    return opinion_draft_save(
        actor=actor,
        draft=opinion_draft_get(consultation=consultation),
        expected_version=version,
        overall_position=position,
        overall_text=text,
        points=[DraftPointInput(theme_uuid=str(t.uuid), position=p, text=x) for t, p, x in points],
        seen_version=seen,
        keep=keep,
    )


def stored(consultation) -> dict[str, str]:
    return opinion_draft_values(OpinionDraft.objects.get(round=consultation))


def test_the_stale_tab_is_refused_and_told_what_the_other_changed(
    consultation, heemstede, heemstede_staff, griffie, top_themes
):
    theme = top_themes[0]
    with schema_context(heemstede.schema_name):
        save(griffie, consultation, 1, points=[(theme, Position.OBJECTS, "Zorgen over capaciteit.")])

        with pytest.raises(DraftConflictError) as info:
            save(heemstede_staff, consultation, 1, text="Tekst van OOV", points=[(theme, "", "")])

        conflict = info.value
        assert conflict.status == 412
        assert conflict.version == 2
        assert "Greet Griffie heeft het concept intussen gewijzigd (nu versie 2)" in conflict.message
        changes = {c.field: c for c in conflict.changes}
        position = changes[f"position_{theme.uuid.hex}"]
        assert (position.original, position.theirs, position.mine) == ("", Position.OBJECTS, "")
        assert position.by == "Greet Griffie"
        assert position.at is not None
        assert not position.both_changed
        assert "overall_text" not in changes  # only this tab changed it: nothing to show
        assert OpinionDraft.objects.get(round=consultation).version == 2  # nothing written
        assert OpinionDraftRevision.objects.count() == 1


def test_the_next_save_writes_only_what_this_tab_changed(consultation, heemstede, heemstede_staff, griffie, top_themes):
    theme, other = top_themes[0], top_themes[1]
    with schema_context(heemstede.schema_name):
        save(griffie, consultation, 1, points=[(theme, Position.OBJECTS, "Zorgen over capaciteit.")])
        # Tab B (loaded version 1) changes the overall text and another theme; it sends every field,
        # as the page does, with the first theme still empty as it was shown.
        tab_b = {"text": "Tekst van OOV", "points": [(theme, "", ""), (other, Position.SUPPORTS, "Eens.")]}
        with pytest.raises(DraftConflictError):
            save(heemstede_staff, consultation, 1, **tab_b)

        draft = save(heemstede_staff, consultation, 1, seen=2, **tab_b)

        assert draft.version == 3
        assert stored(consultation) == {
            "overall_text": "Tekst van OOV",
            f"position_{theme.uuid.hex}": Position.OBJECTS,  # A's position survives B's save
            f"text_{theme.uuid.hex}": "Zorgen over capaciteit.",
            f"position_{other.uuid.hex}": Position.SUPPORTS,
            f"text_{other.uuid.hex}": "Eens.",
        }
        assert draft.updated_by == heemstede_staff
        assert list(OpinionDraftRevision.objects.order_by("version").values_list("version", "saved_by")) == [
            (2, griffie.pk),
            (3, heemstede_staff.pk),
        ]


@pytest.mark.parametrize(("choice", "expected"), [(KEEP_MINE, "Tekst van OOV"), (KEEP_THEIRS, "Tekst van de griffie")])
def test_a_field_both_changed_needs_an_explicit_choice(
    consultation, heemstede, heemstede_staff, griffie, choice, expected
):
    with schema_context(heemstede.schema_name):
        save(griffie, consultation, 1, text="Tekst van de griffie")
        with pytest.raises(DraftConflictError) as first:
            save(heemstede_staff, consultation, 1, text="Tekst van OOV", position=Position.SUPPORTS)
        (change,) = first.value.changes
        assert change.both_changed
        assert (change.original, change.theirs, change.mine) == (
            "",
            "Tekst van de griffie",
            "Tekst van OOV",
        )

        with pytest.raises(DraftConflictError) as unchosen:
            save(heemstede_staff, consultation, 1, text="Tekst van OOV", position=Position.SUPPORTS, seen=2)
        assert unchosen.value.unresolved == {"overall_text"}
        assert "kies bij elk daarvan welke versie blijft" in unchosen.value.message.lower()
        assert OpinionDraft.objects.get(round=consultation).version == 2

        save(
            heemstede_staff,
            consultation,
            1,
            text="Tekst van OOV",
            position=Position.SUPPORTS,
            seen=2,
            keep={"overall_text": choice},
        )
        assert stored(consultation) == {"overall_text": expected, "overall_position": Position.SUPPORTS}


def test_a_third_save_in_between_is_shown_before_anything_is_written(
    consultation, heemstede, heemstede_staff, griffie, make_user
):
    burgemeester = make_user(Role.OOV, heemstede, first_name="Bram", last_name="Bode")
    with schema_context(heemstede.schema_name):
        save(griffie, consultation, 1, position=Position.OBJECTS)
        with pytest.raises(DraftConflictError):
            save(heemstede_staff, consultation, 1, text="Tekst van OOV")
        save(burgemeester, consultation, 2, position=Position.OBJECTS, text="Toelichting van Bram")

        with pytest.raises(DraftConflictError) as again:  # B saw version 2, but 3 is saved now
            save(heemstede_staff, consultation, 1, text="Tekst van OOV", seen=2)

        assert again.value.version == 3
        by = {c.field: c.by for c in again.value.changes}
        assert by == {"overall_position": "Greet Griffie", "overall_text": "Bram Bode"}
        assert "Bram Bode en Greet Griffie" in again.value.message
        assert stored(consultation)["overall_text"] == "Toelichting van Bram"


def test_a_tab_older_than_the_kept_revisions_decides_nothing_for_the_user(
    consultation, heemstede, heemstede_staff, griffie
):
    with schema_context(heemstede.schema_name):
        save(griffie, consultation, 1, text="Een")
        save(griffie, consultation, 2, text="Twee", position=Position.SUPPORTS)
        OpinionDraftRevision.objects.filter(version=2).delete()  # as for a version saved before revisions

        with pytest.raises(DraftConflictError) as info:
            save(heemstede_staff, consultation, 2, text="Mijn tekst", position=Position.SUPPORTS, seen=3)

        assert info.value.unresolved == {"overall_text"}  # same position on both sides: nothing to ask
        (change,) = info.value.changes
        assert change.original is None
        assert change.both_changed


@pytest.mark.parametrize(
    ("original", "theirs", "mine", "merged"),
    [
        ("a", "a", "a", "a"),
        ("a", "a", "b", "b"),  # only mine changed
        ("a", "b", "a", "b"),  # only theirs changed
        ("a", "b", "b", "b"),  # both to the same
        ("", "", "x", "x"),
        ("x", "", "x", ""),  # they emptied it
    ],
)
def test_merge_takes_each_side_where_only_it_changed(original, theirs, mine, merged):
    values, unresolved = merge(original={"f": original}, theirs={"f": theirs}, mine={"f": mine}, keep={})
    assert values == {"f": merged}
    assert not unresolved


def test_merge_leaves_a_field_both_changed_unresolved_without_a_choice():
    values, unresolved = merge(original={"f": "a"}, theirs={"f": "b"}, mine={"f": "c"}, keep={})
    assert unresolved == {"f"}
    assert values == {"f": "b"}
