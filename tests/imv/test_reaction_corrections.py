"""A correction of the region's answer after "beantwoord": a new, dated version with a reason, the earlier
text kept, the change audited and the municipality told; refused (with nothing written) without a reason,
before the answer was sent, for anyone but the adviser, and when it changes nothing."""

from __future__ import annotations

import pytest
from django.test import override_settings

from imv import services
from imv.models import Notification, OutgoingEmail, Position, Reaction, ReactionVersion
from portal.exceptions import PortalError, StaleVersionError
from tenants.models import AuditEvent, Role
from tests.factories import react_to_all

pytestmark = pytest.mark.django_db

BASE = "https://regioportaal.example.nl"


@pytest.fixture
def opinion(adopted, heemstede_staff, top_themes):
    return services.opinion_submit(
        actor=heemstede_staff,
        participation=adopted,
        overall_position=Position.SUPPORTS_WITH_REMARKS,
        overall_text="Met kanttekeningen.",
        points=[services.PointInput(theme=t, position=Position.OBJECTS, text="Bezwaar.") for t in top_themes[:2]],
    )


@pytest.fixture
def colleagues(make_user, heemstede, haarlem):
    """Heemstede's staff with e-mail addresses, and someone of Haarlem who must hear nothing."""
    return {
        "oov": make_user(Role.OOV, heemstede, email="oov@heemstede.example"),
        "griffie": make_user(Role.GRIFFIE, heemstede, email="griffie@heemstede.example"),
        "haarlem": make_user(Role.OOV, haarlem, email="oov@haarlem.example"),
    }


@pytest.fixture
def answered(opinion, adviser, colleagues):
    react_to_all(actor=adviser, opinion=opinion)
    services.participation_answer(actor=adviser, participation=opinion.participation)
    return opinion


@pytest.fixture
def overall(answered) -> Reaction:
    return Reaction.objects.get(opinion=answered, point=None)


def correct(actor, reaction, **overrides):
    values = {
        "disposition": "deels_overgenomen",
        "explanation": "Alleen de eerste helft is overgenomen.",
        "reason": "De eerste reactie noemde het verkeerde hoofdstuk.",
    }
    values.update(overrides)
    return services.reaction_correct(actor=actor, reaction=reaction, **values)


def notices_to(municipality, consultation):
    return Notification.objects.filter(round=consultation, municipality=municipality, message__contains="gecorrigeerd")


def written(reaction):
    """Everything a refused correction must leave as it was."""
    return (
        list(Reaction.objects.filter(pk=reaction.pk).values_list("disposition", "explanation", "version")),
        ReactionVersion.objects.count(),
        AuditEvent.objects.filter(object_uuid=reaction.uuid).count(),
        Notification.objects.filter(message__contains="gecorrigeerd").count(),
        OutgoingEmail.objects.filter(subject__startswith="Reactie gecorrigeerd").count(),
    )


def test_a_correction_is_a_new_version_and_keeps_the_one_the_municipality_was_sent(overall, adviser, make_user):
    sent_at = overall.updated_at
    other_adviser = make_user(Role.ADVISER)

    corrected = correct(other_adviser, overall)

    assert (corrected.disposition, corrected.explanation, corrected.version) == (
        "deels_overgenomen",
        "Alleen de eerste helft is overgenomen.",
        2,
    )
    assert corrected.created_by == other_adviser
    (earlier,) = corrected.earlier_versions.all()
    assert (earlier.number, earlier.disposition, earlier.explanation) == (1, "overgenomen", "Verwerkt.")
    assert (earlier.written_by, earlier.written_at) == (adviser, sent_at)
    assert earlier.reason == "De eerste reactie noemde het verkeerde hoofdstuk."
    assert (earlier.corrected_by, earlier.corrected_at) == (other_adviser, corrected.updated_at)
    # Still one reaction per point: whatever reads "the reaction" reads the corrected one.
    assert Reaction.objects.filter(opinion=overall.opinion, point=None).count() == 1


def test_a_second_correction_keeps_both_earlier_versions(overall, adviser):
    correct(adviser, overall)
    again = correct(adviser, overall, disposition="niet_overgenomen", explanation="Toch niet.", reason="Herzien.")

    assert again.version == 3
    assert list(again.earlier_versions.values_list("number", "disposition", "reason")) == [
        (2, "deels_overgenomen", "Herzien."),
        (1, "overgenomen", "De eerste reactie noemde het verkeerde hoofdstuk."),
    ]


def test_a_correction_is_audited_old_to_new_with_its_reason(overall, adviser):
    correct(adviser, overall)

    rows = list(
        AuditEvent.objects.filter(object_uuid=overall.uuid, field__in=["correctie", "verwerking", "toelichting"])
        .order_by("pk")
        .values_list("field", "old_value", "new_value", "note", "actor")
    )
    note = (
        "correctie, zienswijze versie 1, de zienswijze als geheel; "
        "reden: De eerste reactie noemde het verkeerde hoofdstuk."
    )
    assert rows[-3:] == [
        ("correctie", "versie 1", "versie 2", note, adviser.pk),
        ("verwerking", "overgenomen", "deels_overgenomen", note, adviser.pk),
        ("toelichting", "Verwerkt.", "Alleen de eerste helft is overgenomen.", note, adviser.pk),
    ]


@override_settings(PORTAL_BASE_URL=BASE)
def test_a_correction_tells_the_municipality_once_by_message_and_email(answered, adviser, colleagues, heemstede):
    point = answered.points.select_related("theme").first()
    reaction = Reaction.objects.get(opinion=answered, point=point)
    consultation = answered.participation.round

    correct(adviser, reaction, disposition="niet_overgenomen", explanation="Past niet in het plan.")

    (notice,) = notices_to(heemstede, consultation)
    assert (notice.about, notice.round) == (heemstede, consultation)
    assert f"“{point.theme.name}”" in notice.message
    assert notice.url == f"/gemeenten/{heemstede.slug}/imv/{consultation.uuid}/#antwoord"
    mails = OutgoingEmail.objects.filter(subject__startswith="Reactie gecorrigeerd", subject__contains="Heemstede")
    addresses = list(mails.values_list("to", flat=True))
    # Each colleague once (the demo data has Heemstede staff of its own, who get theirs too).
    assert addresses.count("oov@heemstede.example") == addresses.count("griffie@heemstede.example") == 1
    assert len(addresses) == len(set(addresses))
    assert not OutgoingEmail.objects.filter(to="oov@haarlem.example", subject__startswith="Reactie gecorrigeerd")
    body = mails.get(to="oov@heemstede.example").body
    assert "Was: overgenomen. Ja." in body
    assert "Nu: niet overgenomen. Past niet in het plan." in body
    assert "Reden van de correctie: De eerste reactie noemde het verkeerde hoofdstuk." in body
    assert f"{BASE}/gemeenten/{heemstede.slug}/imv/{consultation.uuid}/#antwoord" in body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"explanation": ""}, "explanation"),
        ({"disposition": "misschien"}, "disposition"),
    ],
)
def test_a_correction_without_reason_explanation_or_valid_disposition_is_refused(overall, adviser, overrides, field):
    before = written(overall)
    with pytest.raises(PortalError) as info:
        correct(adviser, overall, **overrides)
    assert info.value.status == 400
    assert info.value.message == "De correctie is niet opgeslagen."
    assert list(info.value.errors) == [field]
    assert written(overall) == before


def test_a_correction_that_changes_nothing_is_refused(overall, adviser):
    before = written(overall)
    with pytest.raises(PortalError) as info:
        correct(adviser, overall, disposition="overgenomen", explanation="  Verwerkt. ")
    assert (info.value.status, info.value.code) == (400, "unchanged")
    assert written(overall) == before


def test_before_the_answer_is_sent_there_is_nothing_to_correct(opinion, adviser):
    react_to_all(actor=adviser, opinion=opinion)
    reaction = Reaction.objects.get(opinion=opinion, point=None)
    before = written(reaction)
    with pytest.raises(PortalError) as info:
        correct(adviser, reaction)
    assert (info.value.status, info.value.code) == (409, "reactions_not_sent")
    assert written(reaction) == before
    # Until then the reaction is simply rewritten.
    services.reaction_set(
        actor=adviser, opinion=opinion, point=None, disposition="niet_overgenomen", explanation="Nee."
    )
    assert Reaction.objects.get(pk=reaction.pk).version == 1


@pytest.mark.parametrize("role", [Role.RBOP, Role.OOV])
def test_only_the_adviser_corrects(overall, make_user, heemstede, role):
    someone = make_user(role, heemstede if role == Role.OOV else None)
    before = written(overall)
    with pytest.raises(PortalError) as info:
        correct(someone, overall)
    assert (info.value.status, info.value.code) == (403, "forbidden")
    assert written(overall) == before


def test_a_correction_on_a_copy_corrected_since_is_refused(overall, adviser):
    correct(adviser, overall)
    before = written(overall)
    with pytest.raises(StaleVersionError) as info:
        correct(adviser, overall, explanation="Nog anders.", expected_versions=["1"])
    assert info.value.current == "2"
    assert written(overall) == before
