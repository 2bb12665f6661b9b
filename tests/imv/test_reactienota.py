"""The region's answer (reactienota): a reaction on every point before "beantwoord", every reaction
audited, and the reactions frozen once the answer has gone to the municipality."""

from __future__ import annotations

import pytest

from imv import services
from imv.models import Participation, ParticipationStatus, Position, Reaction
from portal.exceptions import PortalError
from tenants.models import AuditEvent
from tests.factories import react_to_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def opinion(adopted, heemstede_staff, top_themes):
    return services.opinion_submit(
        actor=heemstede_staff,
        participation=adopted,
        overall_position=Position.SUPPORTS_WITH_REMARKS,
        overall_text="Met kanttekeningen.",
        points=[services.PointInput(theme=t, position=Position.SUPPORTS, text="") for t in top_themes[:2]],
    )


def test_answering_needs_a_reaction_on_every_point_and_names_the_open_ones(opinion, adviser, top_themes):
    services.reaction_set(actor=adviser, opinion=opinion, point=None, disposition="overgenomen", explanation="Ja.")
    with pytest.raises(PortalError) as info:
        services.participation_answer(actor=adviser, participation=opinion.participation)
    assert info.value.code == "reactions_missing"
    assert info.value.message == (
        f"Nog zonder reactie: {top_themes[0].name}, {top_themes[1].name}. Geef op elk punt aan wat de regio ermee doet."
    )
    assert Participation.objects.get(pk=opinion.participation_id).status == ParticipationStatus.SUBMITTED


def test_every_reaction_and_its_rewrite_is_audited(opinion, adviser):
    point = opinion.points.first()
    services.reaction_set(actor=adviser, opinion=opinion, point=point, disposition="overgenomen", explanation="Ja.")
    services.reaction_set(
        actor=adviser, opinion=opinion, point=point, disposition="niet_overgenomen", explanation="Nee."
    )
    reaction = Reaction.objects.get(opinion=opinion, point=point)
    rows = list(
        AuditEvent.objects.filter(object_uuid=reaction.uuid)
        .order_by("pk")
        .values_list("field", "old_value", "new_value")
    )
    assert rows == [
        ("verwerking", "", "overgenomen"),
        ("toelichting", "", "Ja."),
        ("verwerking", "overgenomen", "niet_overgenomen"),
        ("toelichting", "Ja.", "Nee."),
    ]


def test_once_answered_the_reactions_are_frozen(opinion, adviser):
    react_to_all(actor=adviser, opinion=opinion)
    services.participation_answer(actor=adviser, participation=opinion.participation)
    before = list(Reaction.objects.filter(opinion=opinion).values_list("pk", "disposition", "explanation"))
    with pytest.raises(PortalError) as info:
        services.reaction_set(
            actor=adviser, opinion=opinion, point=None, disposition="niet_overgenomen", explanation="Toch niet."
        )
    assert (info.value.status, info.value.code) == (409, "reactions_frozen")
    assert list(Reaction.objects.filter(opinion=opinion).values_list("pk", "disposition", "explanation")) == before
