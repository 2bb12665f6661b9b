"""GET /api/v1/consultatierondes/{uuid}/deelnames and GET/PATCH /api/v1/deelnames/{uuid}: ETag and If-Match."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from imv.clock import db_now
from imv.models import ConsultationRound, Participation
from tenants.models import Role
from tests.api.conftest import adopt
from tests.api.test_errors import assert_problem


def deelname_url(participation: Participation) -> str:
    return f"/api/v1/deelnames/{participation.uuid}"


def test_participation_list_has_one_row_per_municipality_with_status(consultation, make_user, api_client_for):
    client = api_client_for(make_user(Role.ADVISER))

    response = client.get(f"/api/v1/consultatierondes/{consultation.uuid}/deelnames")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["gemeente"]["naam"] for r in rows] == ["Bloemendaal", "Haarlem", "Heemstede"]
    assert {r["status"] for r in rows} == {"uitgenodigd"}
    assert set(rows[0]) == {
        "uuid",
        "gemeente",
        "status",
        "uitersteMoment",
        "commissievergadering",
        "raadsvergadering",
        "raadsbesluitDatum",
        "zaaknummer",
        "openbaarheid",
        "wooCategorie",
        "ingediendOp",
        "dagenTeLaat",
        "versie",
        "isVoorbeeld",
        "_links",
    }
    assert rows[0]["_links"]["consultatieronde"] == {"href": f"/api/v1/consultatierondes/{consultation.uuid}"}


def test_participation_list_of_unknown_round_is_404(make_user, api_client_for):
    client = api_client_for(make_user(Role.ADVISER))

    assert_problem(client.get("/api/v1/consultatierondes/00000000-0000-0000-0000-000000000000/deelnames"), 404)


def test_participation_list_runs_no_query_per_row(
    consultation, make_user, api_client_for, heemstede, django_assert_max_num_queries
):
    adviser = api_client_for(make_user(Role.ADVISER))
    staff = api_client_for(make_user(Role.OOV, heemstede))
    url = f"/api/v1/consultatierondes/{consultation.uuid}/deelnames"

    counts = []
    for client, rows in ((adviser, 3), (staff, 1)):
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(url).json()["results"]) == rows
        counts.append(len(queries))
    # Token, last use, round, count, page: five queries, each after django-tenants' SET search_path.
    with django_assert_max_num_queries(10):
        adviser.get(url)

    assert counts[0] == counts[1]  # three rows cost what one row costs


def test_participation_detail_sends_its_version_as_etag(participation_of, heemstede, staff_of, api_client_for):
    participation = participation_of(heemstede)

    response = api_client_for(staff_of(heemstede)).get(deelname_url(participation))

    assert response.status_code == 200
    assert response["ETag"] == f'"{participation.version}"'
    assert response.json()["versie"] == participation.version


def test_patch_without_if_match_is_428_and_changes_nothing(participation_of, heemstede, staff_of, api_client_for):
    participation = participation_of(heemstede)

    response = api_client_for(staff_of(heemstede)).patch(
        deelname_url(participation), {"raadsvergadering": "2030-01-01"}, format="json"
    )

    body = assert_problem(response, 428)
    assert "If-Match" in body["detail"]
    participation.refresh_from_db()
    assert (participation.status, participation.council_date) == ("uitgenodigd", None)


def test_patch_with_if_match_star_changes_whatever_version_is_current(
    participation_of, heemstede, staff_of, api_client_for
):
    """RFC 9110: ``If-Match: *`` matches any current representation; the client overwrites knowingly."""
    participation = participation_of(heemstede)
    response = api_client_for(staff_of(heemstede)).patch(
        deelname_url(participation), {"raadsvergadering": "2030-01-01"}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 200, response.content
    participation.refresh_from_db()
    assert str(participation.council_date) == "2030-01-01"


def test_patch_with_stale_if_match_is_412_and_keeps_the_other_change(
    participation_of, heemstede, staff_of, make_user, api_client_for
):
    participation = participation_of(heemstede)
    first = api_client_for(staff_of(heemstede))
    second = api_client_for(make_user(Role.GRIFFIE, heemstede))
    etag = first.get(deelname_url(participation))["ETag"]
    assert second.get(deelname_url(participation))["ETag"] == etag

    won = first.patch(
        deelname_url(participation), {"raadsvergadering": "2030-01-10"}, format="json", HTTP_IF_MATCH=etag
    )
    lost = second.patch(
        deelname_url(participation), {"raadsvergadering": "2030-02-20"}, format="json", HTTP_IF_MATCH=etag
    )

    assert won.status_code == 200
    body = assert_problem(lost, 412)
    assert won["ETag"] in body["detail"]
    assert body["huidigeEtag"] == won["ETag"]  # the same form as the ETag header, from a service's version
    participation.refresh_from_db()
    assert str(participation.council_date) == "2030-01-10"


def test_patch_with_weak_etag_is_412(participation_of, heemstede, staff_of, api_client_for):
    participation = participation_of(heemstede)

    response = api_client_for(staff_of(heemstede)).patch(
        deelname_url(participation),
        {"raadsvergadering": "2030-01-01"},
        format="json",
        HTTP_IF_MATCH=f'W/"{participation.version}"',
    )

    assert_problem(response, 412)


def test_patch_records_meeting_dates_and_returns_the_new_etag(participation_of, heemstede, staff_of, api_client_for):
    participation = participation_of(heemstede)
    client = api_client_for(staff_of(heemstede))
    etag = client.get(deelname_url(participation))["ETag"]

    response = client.patch(
        deelname_url(participation),
        {"commissievergadering": "2030-01-05", "raadsvergadering": "2030-01-20"},
        format="json",
        HTTP_IF_MATCH=f'"stale", {etag}',
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["commissievergadering"], body["raadsvergadering"]) == (
        "geagendeerd",
        "2030-01-05",
        "2030-01-20",
    )
    assert response["ETag"] == f'"{participation.version + 1}"' != etag
    assert client.get(deelname_url(participation))["ETag"] == response["ETag"]


def test_patch_keeps_a_date_that_is_left_out(participation_of, heemstede, staff_of, api_client_for):
    participation = participation_of(heemstede)
    client = api_client_for(staff_of(heemstede))
    first = client.patch(
        deelname_url(participation), {"commissievergadering": "2030-01-05"}, format="json", HTTP_IF_MATCH='"1"'
    )

    second = client.patch(
        deelname_url(participation), {"raadsvergadering": "2030-01-20"}, format="json", HTTP_IF_MATCH=first["ETag"]
    )

    assert second.status_code == 200
    assert (second.json()["commissievergadering"], second.json()["raadsvergadering"]) == ("2030-01-05", "2030-01-20")


def test_patch_errors_name_the_api_fields(participation_of, heemstede, staff_of, api_client_for):
    participation = participation_of(heemstede)
    client = api_client_for(staff_of(heemstede))

    reversed_dates = client.patch(
        deelname_url(participation),
        {"commissievergadering": "2030-02-01", "raadsvergadering": "2030-01-01"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    unknown = client.patch(
        deelname_url(participation), {"council_date": "2030-01-01"}, format="json", HTTP_IF_MATCH='"1"'
    )
    empty = client.patch(deelname_url(participation), {}, format="json", HTTP_IF_MATCH='"1"')

    assert [p["name"] for p in assert_problem(reversed_dates, 400)["invalidParams"]] == ["commissievergadering"]
    assert [p["name"] for p in assert_problem(unknown, 400)["invalidParams"]] == ["council_date"]
    assert [p["name"] for p in assert_problem(empty, 400)["invalidParams"]] == ["nonFieldErrors"]
    participation.refresh_from_db()
    assert participation.version == 1


def test_patch_after_the_rbop_meeting_is_409(participation_of, heemstede, staff_of, api_client_for, consultation):
    now = db_now()
    ConsultationRound.objects.filter(pk=consultation.pk).update(
        deadline=now - timedelta(days=2), rbop_meeting=now - timedelta(days=1)
    )

    response = api_client_for(staff_of(heemstede)).patch(
        deelname_url(participation_of(heemstede)),
        {"raadsvergadering": "2030-01-01"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )

    body = assert_problem(response, 409)
    assert "gesloten" in body["detail"]


def test_a_participation_says_its_openbaarheid_and_woo_category(participation_of, heemstede, staff_of, api_client_for):
    p = adopt(participation_of(heemstede), staff_of(heemstede))
    body = api_client_for(staff_of(heemstede)).get(f"/api/v1/deelnames/{p.uuid}").json()
    assert p.woo_category is not None
    assert body["openbaarheid"] == p.openbaarheid
    assert body["wooCategorie"] == p.woo_category.tooi_uri
