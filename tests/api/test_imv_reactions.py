"""The region's reactions in the API: the current reaction and its earlier versions in the opinion's
``reacties`` and on its own (GET /reacties/{uuid}, ETag its version), and POST /reacties/{uuid}/correcties
for the adviser, refused as problem+json in Dutch."""

from __future__ import annotations

import pytest
from django.utils.timezone import localtime

from imv import services
from imv.models import Disposition, Opinion, Position, Reaction, ReactionVersion
from tenants.models import Role
from tests.api.conftest import adopt
from tests.api.test_errors import assert_problem

pytestmark = pytest.mark.django_db

CORRECTION = {
    "verwerking": "niet_overgenomen",
    "toelichting": "Past niet in het regionale plan.",
    "reden": "De eerste reactie was op een ander thema geschreven.",
}


@pytest.fixture
def opinion(participation_of, heemstede, staff_of) -> Opinion:
    participation = adopt(participation_of(heemstede), staff_of(heemstede))
    return services.opinion_submit(
        actor=staff_of(heemstede),
        participation=participation,
        overall_position=Position.OBJECTS,
        overall_text="Bezwaar.",
        points=[],
    )


@pytest.fixture
def reaction(opinion, adviser) -> Reaction:
    """The region's reaction on the opinion as a whole, sent to Heemstede."""
    reaction = services.reaction_set(
        actor=adviser, opinion=opinion, point=None, disposition=Disposition.ADOPTED, explanation="Overgenomen."
    )
    services.participation_answer(actor=adviser, participation=opinion.participation)
    return reaction


@pytest.fixture
def adviser_client(adviser, api_client_for):
    return api_client_for(adviser)


def corrections_url(reaction: Reaction) -> str:
    return f"/api/v1/reacties/{reaction.uuid}/correcties"


def test_the_opinion_shows_the_current_reaction_and_its_earlier_versions(
    reaction, adviser, heemstede, staff_of, api_client_for
):
    services.reaction_correct(
        actor=adviser, reaction=reaction, disposition=Disposition.PARTLY, explanation="Deels.", reason="Herzien."
    )
    earlier = ReactionVersion.objects.get(reaction=reaction)

    body = api_client_for(staff_of(heemstede)).get(f"/api/v1/zienswijzen/{reaction.opinion.uuid}").json()

    (shown,) = body["reacties"]
    assert (shown["uuid"], shown["verwerking"], shown["toelichting"], shown["versie"]) == (
        str(reaction.uuid),
        "deels_overgenomen",
        "Deels.",
        2,
    )
    assert shown["eerdereVersies"] == [
        {
            "versie": 1,
            "verwerking": "overgenomen",
            "toelichting": "Overgenomen.",
            "geschrevenOp": localtime(earlier.written_at).isoformat(),
            "gecorrigeerdOp": localtime(earlier.corrected_at).isoformat(),
            "reden": "Herzien.",
        }
    ]


def test_the_adviser_corrects_a_reaction_and_gets_the_new_version(reaction, adviser_client):
    etag = adviser_client.get(f"/api/v1/reacties/{reaction.uuid}")["ETag"]

    response = adviser_client.post(corrections_url(reaction), CORRECTION, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 201, response.content
    assert (etag, response["ETag"]) == ('"1"', '"2"')
    assert response["Location"] == f"/api/v1/reacties/{reaction.uuid}"
    body = response.json()
    assert (body["verwerking"], body["toelichting"], body["versie"]) == (
        "niet_overgenomen",
        "Past niet in het regionale plan.",
        2,
    )
    assert [(v["versie"], v["verwerking"], v["reden"]) for v in body["eerdereVersies"]] == [
        (1, "overgenomen", "De eerste reactie was op een ander thema geschreven.")
    ]
    assert body["_links"]["zienswijze"] == {"href": f"/api/v1/zienswijzen/{reaction.opinion.uuid}"}


def test_a_correction_without_reason_is_a_dutch_problem_naming_the_field(reaction, adviser_client):
    response = adviser_client.post(corrections_url(reaction), {**CORRECTION, "reden": " "}, format="json")

    problem = assert_problem(response, 400)
    assert problem["detail"] == "De correctie is niet opgeslagen."
    assert [(p["name"], p["reason"]) for p in problem["invalidParams"]] == [
        ("reden", "Geef de reden van de correctie: de gemeente leest die naast de eerdere versie.")
    ]
    assert not ReactionVersion.objects.exists()


def test_a_correction_on_a_stale_version_is_412(reaction, adviser_client):
    adviser_client.post(corrections_url(reaction), CORRECTION, format="json")

    response = adviser_client.post(
        corrections_url(reaction), {**CORRECTION, "toelichting": "Nog anders."}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert_problem(response, 412)
    assert Reaction.objects.get(pk=reaction.pk).explanation == "Past niet in het regionale plan."


def test_before_the_answer_is_sent_a_reaction_is_the_regions_own(
    opinion, adviser, adviser_client, heemstede, staff_of, api_client_for
):
    reaction = services.reaction_set(
        actor=adviser, opinion=opinion, point=None, disposition=Disposition.ADOPTED, explanation="Overgenomen."
    )

    refused = adviser_client.post(corrections_url(reaction), CORRECTION, format="json")
    staff_view = api_client_for(staff_of(heemstede)).get(f"/api/v1/reacties/{reaction.uuid}")

    assert assert_problem(refused, 409)["type"].endswith("/reactions_not_sent")
    assert_problem(staff_view, 404)
    assert not ReactionVersion.objects.exists()


def test_municipal_staff_cannot_correct_their_own_answer(reaction, heemstede, staff_of, api_client_for, make_user):
    for caller in (staff_of(heemstede), make_user(Role.RBOP)):
        response = api_client_for(caller).post(corrections_url(reaction), CORRECTION, format="json")
        assert_problem(response, 403)
    assert not ReactionVersion.objects.exists()
