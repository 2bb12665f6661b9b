"""A zienswijze names the draft version it answers: recorded on the opinion at submission, and shown
on the municipality's round page, the adviser's opinion page, the RBOP pack and in the API."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from imv import services
from imv.models import Position
from tests.imv.board_helpers import board_url
from tests.imv.round_page_helpers import round_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def opinion(adopted, heemstede_staff, top_themes):
    return services.opinion_submit(
        actor=heemstede_staff,
        participation=adopted,
        overall_position=Position.SUPPORTS,
        overall_text="Akkoord.",
        points=[services.PointInput(theme=t, position=Position.SUPPORTS, text="") for t in top_themes],
    )


def test_the_opinion_records_the_rounds_draft_version(opinion, consultation):
    assert opinion.draft_version_id == consultation.draft_version_id


def test_pages_pack_and_api_name_the_draft_version(
    opinion, consultation, staff_client, client_for, adviser, api_client_for, heemstede_staff
):
    label = consultation.draft_version.label
    round_page = staff_client.get(round_url(consultation)).content.decode()
    assert f"<dt>Zienswijze op</dt><dd>{label} (" in round_page
    detail = client_for(adviser).get(
        reverse(
            "imv:opinion_detail",
            kwargs={"round_uuid": consultation.uuid, "participation_uuid": opinion.participation.uuid},
        )
    )
    assert f"<dt>Zienswijze op</dt><dd>{label} (" in detail.content.decode()
    pack = client_for(adviser).get(board_url(consultation, "imv:export_pdf"))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.content)).pages)
    assert f"Op “{label}”." in text
    body = api_client_for(heemstede_staff).get(f"/api/v1/zienswijzen/{opinion.uuid}").json()
    assert body["conceptversie"]["naam"] == label
    assert body["conceptversie"]["uuid"] == str(consultation.draft_version.uuid)
