"""A correction on the pages: the adviser corrects a sent reaction through the form on the opinion's page
(refusals in Dutch at the fields, a copy corrected meanwhile kept for a second look), and the municipality
reads the current reaction with the earlier version, its date, who corrected it and why."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from imv import services
from imv.models import Disposition, Reaction, ReactionVersion
from tenants.models import Role
from tests.factories import react_to_all
from tests.imv.round_page_helpers import round_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(submitted, adviser):
    """Heemstede's opinion, answered by the region: "overgenomen" on every point."""
    react_to_all(actor=adviser, opinion=submitted)
    services.participation_answer(actor=adviser, participation=submitted.participation)
    return submitted


@pytest.fixture
def detail_url(answered):
    participation = answered.participation
    return reverse(
        "imv:opinion_detail", kwargs={"round_uuid": participation.round.uuid, "participation_uuid": participation.uuid}
    )


def correction(point, **values):
    prefix = f"c-{point.uuid}" if point is not None else "c-geheel"
    data = {
        "action": "corrigeren",
        "point": str(point.uuid) if point is not None else "",
        f"{prefix}-disposition": Disposition.NOT_ADOPTED,
        f"{prefix}-explanation": "Dit punt past niet in het regionale plan.",
        f"{prefix}-reason": "De eerste reactie was op het verkeerde thema geschreven.",
        f"{prefix}-version": "1",
    }
    data.update({f"{prefix}-{key}": value for key, value in values.items()})
    return data


def test_the_answered_page_offers_a_correction_per_reaction_instead_of_the_frozen_form(
    client_for, adviser, answered, detail_url
):
    page = client_for(adviser).get(detail_url).content.decode()

    assert page.count('value="corrigeren"') == answered.points.count() + 1
    assert 'name="c-geheel-reason"' in page
    assert 'name="r-geheel-explanation"' not in page  # the reaction itself is frozen


def test_the_adviser_corrects_a_reaction_through_the_form(client_for, adviser, answered, detail_url):
    point = answered.points.select_related("theme").order_by("pk").first()
    client = client_for(adviser)

    response = client.post(detail_url, correction(point))

    assert response.status_code == 302
    assert response["Location"].endswith(f"#reactie-{point.uuid}")
    reaction = Reaction.objects.get(opinion=answered, point=point)
    assert (reaction.disposition, reaction.version) == (Disposition.NOT_ADOPTED, 2)
    assert reaction.earlier_versions.get().explanation == "Ja."
    page = client.get(detail_url).content.decode()
    assert "De correctie is opgeslagen en Heemstede is op de hoogte gebracht." in page
    assert "Dit punt past niet in het regionale plan." in page
    assert "Eerdere versie 1" in page
    assert "De eerste reactie was op het verkeerde thema geschreven." in page


def test_a_correction_without_reason_is_refused_in_dutch_at_the_field(client_for, adviser, answered, detail_url):
    response = client_for(adviser).post(detail_url, correction(None, reason=""))

    page = response.content.decode()
    assert response.status_code == 400
    assert "De correctie is niet opgeslagen." in page
    assert "Geef de reden van de correctie: de gemeente leest die naast de eerdere versie." in page
    assert 'id="id_c-geheel-reason_error"' in page
    assert "Dit punt past niet in het regionale plan." in page  # the adviser's text stays
    assert not ReactionVersion.objects.exists()


def test_a_correction_on_a_page_corrected_meanwhile_keeps_the_text_and_names_the_new_version(
    client_for, adviser, make_user, answered, detail_url
):
    reaction = Reaction.objects.get(opinion=answered, point=None)
    services.reaction_correct(
        actor=make_user(Role.ADVISER),
        reaction=reaction,
        disposition="deels_overgenomen",
        explanation="Deels.",
        reason="Typefout.",
    )

    response = client_for(adviser).post(detail_url, correction(None))

    page = response.content.decode()
    assert response.status_code == 412
    assert "Deze reactie is intussen gecorrigeerd." in page
    assert "Dit punt past niet in het regionale plan." in page
    assert 'name="c-geheel-version" value="2"' in page
    assert Reaction.objects.get(pk=reaction.pk).explanation == "Deels."


def test_rbop_members_read_the_versions_but_get_no_correction_form(
    client_for, make_user, adviser, answered, detail_url
):
    reaction = Reaction.objects.get(opinion=answered, point=None)
    services.reaction_correct(
        actor=adviser, reaction=reaction, disposition="deels_overgenomen", explanation="Deels.", reason="Typefout."
    )
    client = client_for(make_user(Role.RBOP))

    page = client.get(detail_url).content.decode()

    assert "Eerdere versie 1" in page
    assert 'value="corrigeren"' not in page
    assert client.post(detail_url, correction(None)).status_code == 403


def test_the_municipality_reads_the_current_reaction_beside_the_earlier_one(
    staff_client, consultation, adviser, answered
):
    point = answered.points.select_related("theme").order_by("pk").first()
    services.reaction_correct(
        actor=adviser,
        reaction=Reaction.objects.get(opinion=answered, point=point),
        disposition=Disposition.PARTLY,
        explanation="Gedeeltelijk overgenomen in hoofdstuk 3.",
        reason="Hoofdstuk 3 was vergeten.",
    )
    corrected = Reaction.objects.get(opinion=answered, point=point)
    earlier = corrected.earlier_versions.get()

    page = staff_client.get(round_url(consultation)).content.decode()
    answer = page[page.index('id="antwoord"') : page.index('id="uitstel"')]

    assert "Gedeeltelijk overgenomen in hoofdstuk 3." in answer
    assert "Versie 2, gecorrigeerd op" in answer
    assert "Eerdere versie 1" in answer
    assert "<strong>overgenomen</strong> — Ja." in answer
    who = adviser.get_full_name() or adviser.username
    with translation.override("nl"):
        when = date_format(timezone.localtime(earlier.corrected_at), "j F Y, H:i")
    assert f"Gecorrigeerd op {when} door {who}: Hoofdstuk 3 was vergeten." in answer
