"""GET, PUT and PATCH /api/v1/gemeenten/{cbs_code}/concept-zienswijzen/{ronde_uuid}: the private draft zienswijze."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django_tenants.utils import schema_context

from imv.clock import db_now
from imv.models import ConsultationRound, Position, Theme
from imv.selectors import cycle_themes
from municipalities.models import OpinionDraft
from tenants.models import Municipality, Role
from tests.api.conftest import draft_url
from tests.api.test_errors import assert_problem

pytestmark = pytest.mark.django_db


def stored_draft(municipality: Municipality, consultation: ConsultationRound) -> dict[str, Any] | None:
    with schema_context(municipality.schema_name):
        draft = OpinionDraft.objects.filter(round=consultation).first()
        if draft is None:
            return None
        return {
            "position": draft.overall_position,
            "text": draft.overall_text,
            "version": draft.version,
            "points": {p.theme_id: (p.position, p.text) for p in draft.points.all()},
        }


def replacement(themes: list[Theme], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "standpunt": Position.SUPPORTS_WITH_REMARKS,
        "toelichting": "De raad steunt het concept, met kanttekeningen.",
        "standpunten": [
            {"thema": str(t.uuid), "standpunt": Position.SUPPORTS, "toelichting": f"Over {t.name}."} for t in themes
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def staff(make_user, api_client_for, heemstede):
    return api_client_for(make_user(Role.OOV, heemstede))


def test_draft_nobody_saved_reads_as_empty_version_1_and_get_writes_nothing(staff, heemstede, consultation, cycle):
    response = staff.get(draft_url(heemstede, consultation))

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"1"'
    body = response.json()
    assert body["versie"] == 1
    assert body["standpunt"] is None
    assert body["toelichting"] == ""
    assert body["gewijzigdOp"] is None
    assert body["consultatieronde"] == str(consultation.uuid)
    assert body["gemeente"]["cbsCode"] == "GM0397"
    themes = cycle_themes(cycle=cycle)
    assert [p["thema"] for p in body["standpunten"]] == [str(t.uuid) for t in themes]
    assert all(p["standpunt"] is None and p["toelichting"] == "" for p in body["standpunten"])
    subtheme = next(t for t in themes if t.parent is not None)
    [row] = [p for p in body["standpunten"] if p["thema"] == str(subtheme.uuid)]
    assert subtheme.parent is not None
    assert row["hoofdthema"] == str(subtheme.parent.uuid)
    assert body["_links"]["self"] == {"href": draft_url(heemstede, consultation)}
    assert stored_draft(heemstede, consultation) is None


def test_put_with_the_current_etag_saves_and_answers_the_new_etag(staff, heemstede, consultation, top_themes):
    response = staff.put(
        draft_url(heemstede, consultation), replacement(top_themes[:2]), format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    assert response.json()["versie"] == 2
    assert response.json()["gewijzigdOp"]
    stored = stored_draft(heemstede, consultation)
    assert stored is not None
    assert (stored["position"], stored["version"]) == (Position.SUPPORTS_WITH_REMARKS, 2)
    assert {theme_id: v for theme_id, v in stored["points"].items() if v[0]} == {
        t.pk: (Position.SUPPORTS, f"Over {t.name}.") for t in top_themes[:2]
    }
    again = staff.get(draft_url(heemstede, consultation))
    assert again["ETag"] == '"2"'
    assert again.json() == response.json()


def test_put_without_if_match_is_428_and_writes_nothing(staff, heemstede, consultation, top_themes):
    response = staff.put(draft_url(heemstede, consultation), replacement(top_themes), format="json")

    assert_problem(response, 428)
    assert stored_draft(heemstede, consultation) is None


def test_put_with_if_match_star_saves_over_whatever_version_is_current(staff, heemstede, consultation, top_themes):
    url = draft_url(heemstede, consultation)
    staff.put(url, replacement(top_themes, toelichting="Eerste"), format="json", HTTP_IF_MATCH='"1"')

    response = staff.put(url, replacement(top_themes, toelichting="Bewust over"), format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 200, response.content
    stored = stored_draft(heemstede, consultation)
    assert stored is not None
    assert (stored["text"], stored["version"]) == ("Bewust over", 3)


def test_put_with_a_stale_etag_is_412_and_changes_nothing(staff, heemstede, consultation, top_themes):
    url = draft_url(heemstede, consultation)
    first = staff.put(url, replacement(top_themes, toelichting="Eerste"), format="json", HTTP_IF_MATCH='"1"')
    assert first.status_code == 200, first.content

    for stale in ('"1"', 'W/"2"', '"7"'):
        response = staff.put(url, replacement(top_themes, toelichting="Tweede"), format="json", HTTP_IF_MATCH=stale)

        body = assert_problem(response, 412)
        assert '"2"' in body["detail"]
        assert body["huidigeEtag"] == '"2"'  # which version won, without a second request
    stored = stored_draft(heemstede, consultation)
    assert stored is not None
    assert (stored["text"], stored["version"]) == ("Eerste", 2)


def test_put_reopens_the_themes_it_leaves_out(staff, heemstede, consultation, top_themes):
    url = draft_url(heemstede, consultation)
    staff.put(url, replacement(top_themes), format="json", HTTP_IF_MATCH='"1"')

    response = staff.put(
        url, replacement(top_themes[:1], standpunt=None), format="json", HTTP_IF_MATCH=staff.get(url)["ETag"]
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["standpunt"] is None
    chosen = {p["thema"]: p["standpunt"] for p in body["standpunten"] if p["standpunt"]}
    assert chosen == {str(top_themes[0].uuid): Position.SUPPORTS}


def test_patch_changes_only_what_it_names(staff, heemstede, consultation, top_themes):
    url = draft_url(heemstede, consultation)
    staff.put(url, replacement(top_themes), format="json", HTTP_IF_MATCH='"1"')
    change = {
        "toelichting": "Alleen de toelichting en één thema.",
        "standpunten": [{"thema": str(top_themes[1].uuid), "standpunt": Position.OBJECTS}],
    }

    response = staff.patch(url, change, format="json", HTTP_IF_MATCH='"2"')

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"3"'
    body = response.json()
    assert body["standpunt"] == Position.SUPPORTS_WITH_REMARKS
    assert body["toelichting"] == "Alleen de toelichting en één thema."
    points = {p["thema"]: (p["standpunt"], p["toelichting"]) for p in body["standpunten"]}
    assert points[str(top_themes[0].uuid)] == (Position.SUPPORTS, f"Over {top_themes[0].name}.")
    assert points[str(top_themes[1].uuid)] == (Position.OBJECTS, "")


def test_patch_without_if_match_is_428_and_with_an_empty_body_400(staff, heemstede, consultation):
    url = draft_url(heemstede, consultation)

    assert_problem(staff.patch(url, {"toelichting": "x"}, format="json"), 428)
    assert_problem(staff.patch(url, {}, format="json", HTTP_IF_MATCH='"1"'), 400)
    assert stored_draft(heemstede, consultation) is None


def test_invalid_input_names_each_field_and_writes_nothing(staff, heemstede, consultation, top_themes):
    foreign_theme = "00000000-0000-0000-0000-000000000001"
    body = replacement(top_themes[:1], standpunt="misschien", extra="x")
    body["standpunten"] += [
        {"thema": foreign_theme, "standpunt": Position.SUPPORTS},
        {"thema": str(top_themes[0].uuid), "standpunt": Position.OBJECTS},
    ]

    response = staff.put(draft_url(heemstede, consultation), body, format="json", HTTP_IF_MATCH='"1"')

    problem = assert_problem(response, 400)
    assert {p["name"] for p in problem["invalidParams"]} == {"standpunt", "extra", "standpunten.2.thema"}
    unknown = replacement([], standpunten=[{"thema": foreign_theme}])
    problem = assert_problem(
        staff.put(draft_url(heemstede, consultation), unknown, format="json", HTTP_IF_MATCH='"1"'), 400
    )
    assert [p["name"] for p in problem["invalidParams"]] == ["standpunten.0.thema"]
    assert stored_draft(heemstede, consultation) is None


def test_griffie_writes_the_same_draft(make_user, api_client_for, staff, heemstede, consultation, top_themes):
    griffie = api_client_for(make_user(Role.GRIFFIE, heemstede))
    url = draft_url(heemstede, consultation)
    staff.put(url, replacement(top_themes, toelichting="Van OOV"), format="json", HTTP_IF_MATCH='"1"')

    response = griffie.patch(url, {"toelichting": "Van de griffie"}, format="json", HTTP_IF_MATCH='"2"')

    assert response.status_code == 200, response.content
    assert staff.get(url).json()["toelichting"] == "Van de griffie"


@pytest.mark.parametrize("role", [Role.ADVISER, Role.RBOP])
def test_regional_readers_neither_read_nor_write_the_draft(
    role, make_user, api_client_for, staff, heemstede, consultation, top_themes
):
    url = draft_url(heemstede, consultation)
    staff.put(url, replacement(top_themes, toelichting="Nog geheim"), format="json", HTTP_IF_MATCH='"1"')
    client = api_client_for(make_user(role))

    assert "Nog geheim" not in assert_problem(client.get(url), 403)["detail"]
    assert_problem(client.put(url, replacement(top_themes), format="json", HTTP_IF_MATCH='"2"'), 403)
    assert_problem(client.patch(url, {"toelichting": "Regio"}, format="json", HTTP_IF_MATCH='"2"'), 403)
    stored = stored_draft(heemstede, consultation)
    assert stored is not None
    assert (stored["text"], stored["version"]) == ("Nog geheim", 2)


def test_unknown_round_is_404(staff, heemstede):
    url = draft_url(heemstede, "00000000-0000-0000-0000-000000000000")

    assert_problem(staff.get(url), 404)
    assert_problem(staff.put(url, replacement([]), format="json", HTTP_IF_MATCH='"1"'), 404)


def test_put_after_the_rbop_meeting_is_409(staff, heemstede, consultation, top_themes):
    now = db_now()
    ConsultationRound.objects.filter(pk=consultation.pk).update(
        deadline=now - timedelta(days=2), rbop_meeting=now - timedelta(days=1)
    )

    response = staff.put(
        draft_url(heemstede, consultation), replacement(top_themes), format="json", HTTP_IF_MATCH='"1"'
    )

    assert_problem(response, 409)
    assert stored_draft(heemstede, consultation) is None
    assert staff.get(draft_url(heemstede, consultation)).status_code == 200  # still readable


def test_the_round_page_and_the_api_share_one_draft_and_version(
    staff, client_for, make_user, heemstede, consultation, top_themes
):
    url = draft_url(heemstede, consultation)
    staff.put(url, replacement(top_themes, toelichting="Via de API"), format="json", HTTP_IF_MATCH='"1"')
    page = client_for(make_user(Role.OOV, heemstede))

    html = page.get(f"/gemeenten/{heemstede.slug}/imv/{consultation.uuid}/").content.decode()

    assert "Via de API" in html
    assert 'name="version" value="2"' in html
