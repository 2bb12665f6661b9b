"""The length of the council's explanations: one limit on the page, in the service and in the API.

The browser used to cut a pasted 100 kB text to 10,000 characters (the textarea's maxlength) and the
page then said "opgeslagen". Now the HTML carries no maxlength, and a text over the limit is refused
with the reason, on the page and by the services, while nothing is saved.
"""

from __future__ import annotations

import pytest

from imv import services
from imv.models import Position
from portal.exceptions import PortalError
from tests.imv.round_page_helpers import draft_data, draft_version, round_url

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 100_000


def test_the_draft_page_has_no_maxlength_and_refuses_a_100_kb_text(
    staff_client, consultation, adopted, heemstede, top_themes
):
    page = staff_client.get(round_url(consultation)).content.decode()
    assert f'name="text_{top_themes[0].uuid.hex}"' in page
    assert "maxlength" not in page

    before = draft_version(heemstede, consultation)
    data = draft_data(before, **{f"text_{top_themes[0].uuid.hex}": TOO_LONG})
    response = staff_client.post(round_url(consultation, action="concept/"), {**data, "action": "opslaan"})

    assert response.status_code == 400
    body = response.content.decode()
    assert "100000" in body  # the form says how long it was, not "opgeslagen"
    assert "Het concept is opgeslagen" not in body
    assert draft_version(heemstede, consultation) == before


def test_the_services_refuse_a_text_over_the_limit(adopted, heemstede_staff, top_themes):
    points = [
        services.PointInput(theme=top_themes[0], position=Position.SUPPORTS, text="y" * (services.POINT_TEXT_MAX + 1))
    ]
    with pytest.raises(PortalError) as info:
        services.opinion_submit(
            actor=heemstede_staff,
            participation=adopted,
            overall_position=Position.SUPPORTS,
            overall_text="z" * (services.OVERALL_TEXT_MAX + 1),
            points=points,
        )
    assert set(info.value.errors) == {"overall_text", "points"}
    assert f"hooguit {services.POINT_TEXT_MAX}" in info.value.errors["points"][0]
    assert not adopted.opinions.exists()


def test_a_text_at_the_limit_is_accepted(adopted, heemstede_staff, top_themes):
    opinion = services.opinion_submit(
        actor=heemstede_staff,
        participation=adopted,
        overall_position=Position.SUPPORTS,
        overall_text="z" * services.OVERALL_TEXT_MAX,
        points=[
            services.PointInput(theme=top_themes[0], position=Position.SUPPORTS, text="y" * services.POINT_TEXT_MAX)
        ],
    )
    assert len(opinion.points.get().text) == services.POINT_TEXT_MAX
