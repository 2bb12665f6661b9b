"""The draft zienswijze lives in the municipality's own schema and reaches the region only on submit."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from imv.models import Opinion, ParticipationStatus, Position
from municipalities.models import OpinionDraft
from municipalities.services import DraftPointInput, opinion_draft_get, opinion_draft_save, opinion_draft_submit
from portal.exceptions import PortalError

pytestmark = pytest.mark.django_db


def test_a_municipality_never_sees_another_municipalitys_draft(consultation, heemstede, haarlem, heemstede_staff):
    with schema_context(heemstede.schema_name):
        draft = opinion_draft_get(consultation=consultation)
        opinion_draft_save(
            actor=heemstede_staff,
            draft=draft,
            expected_version=draft.version,
            overall_position=Position.OBJECTS,
            overall_text="Geheim concept van Heemstede",
            points=[],
        )
    with schema_context(haarlem.schema_name):
        assert not OpinionDraft.objects.filter(overall_text__contains="Heemstede").exists()
        assert opinion_draft_get(consultation=consultation).overall_text == ""
    assert not Opinion.objects.filter(overall_text__contains="Geheim").exists()


def test_two_editors_at_once_the_second_is_refused_not_lost(consultation, heemstede, heemstede_staff, make_user):
    from tenants.models import Role

    griffie = make_user(Role.GRIFFIE, heemstede, first_name="Greet", last_name="Griffie")
    with schema_context(heemstede.schema_name):
        draft = opinion_draft_get(consultation=consultation)
        seen_version = draft.version
        opinion_draft_save(
            actor=griffie,
            draft=draft,
            expected_version=seen_version,
            overall_position=Position.SUPPORTS,
            overall_text="Versie van de griffie",
            points=[],
        )
        with pytest.raises(PortalError) as info:
            opinion_draft_save(
                actor=heemstede_staff,
                draft=draft,
                expected_version=seen_version,
                overall_position=Position.OBJECTS,
                overall_text="Versie van OOV",
                points=[],
            )
        assert info.value.status == 412
        assert "Greet Griffie" in info.value.message
        assert OpinionDraft.objects.get(pk=draft.pk).overall_text == "Versie van de griffie"


def test_submit_copies_the_draft_to_the_region(adopted, heemstede, heemstede_staff, top_themes):
    with schema_context(heemstede.schema_name):
        draft = opinion_draft_get(consultation=adopted.round)
        points = [
            DraftPointInput(theme_uuid=str(t.uuid), position=Position.SUPPORTS, text=f"over {t.name}")
            for t in top_themes[:2]
        ]
        draft = opinion_draft_save(
            actor=heemstede_staff,
            draft=draft,
            expected_version=draft.version,
            overall_position=Position.SUPPORTS_WITH_REMARKS,
            overall_text="Met kanttekeningen",
            points=points,
        )
        opinion = opinion_draft_submit(actor=heemstede_staff, municipality=heemstede, draft=draft)
    assert opinion.overall_text == "Met kanttekeningen"
    assert {p.theme_id for p in opinion.points.all()} == {t.pk for t in top_themes[:2]}
    adopted.refresh_from_db()
    assert adopted.status == ParticipationStatus.SUBMITTED


def test_draft_with_a_theme_outside_the_round_is_refused(consultation, heemstede, heemstede_staff):
    import uuid

    with schema_context(heemstede.schema_name):
        draft = opinion_draft_get(consultation=consultation)
        with pytest.raises(PortalError) as info:
            opinion_draft_save(
                actor=heemstede_staff,
                draft=draft,
                expected_version=draft.version,
                overall_position="",
                overall_text="",
                points=[DraftPointInput(theme_uuid=str(uuid.uuid4()), position="steunt", text="")],
            )
        assert "points" in info.value.errors
        assert OpinionDraft.objects.get(pk=draft.pk).version == draft.version
