"""GET /api/v1/gemeenten and /api/v1/gemeenten/{cbs_code}: public reference data.

Counts come from the database, never from the size of the real region: the test database
holds the three test municipalities, a development database 32.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tenants.models import District, Municipality

PROBLEM = "application/problem+json"


@pytest.fixture
def api(db: None) -> APIClient:
    return APIClient()


def active_codes() -> list[str]:
    return sorted(Municipality.objects.filter(is_active=True).values_list("cbs_code", flat=True))


def test_municipality_list_is_public_and_holds_every_active_municipality(api, municipalities):
    response = api.get("/api/v1/gemeenten")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(active_codes())
    assert [m["cbsCode"] for m in body["results"]] == active_codes()  # ordered by CBS code
    assert {m["cbsCode"] for m in body["results"]} >= {"GM0397", "GM0392", "GM0377"}


def test_municipality_list_leaves_out_inactive_municipalities(api, bloemendaal):
    bloemendaal.is_active = False
    bloemendaal.save(update_fields=["is_active"])

    codes = [m["cbsCode"] for m in api.get("/api/v1/gemeenten").json()["results"]]

    assert "GM0377" not in codes
    assert codes == active_codes()


def test_municipality_has_dutch_camelcase_fields(api, heemstede):
    body = api.get("/api/v1/gemeenten/GM0397").json()

    assert body == {
        "uuid": str(heemstede.uuid),
        "cbsCode": "GM0397",
        "naam": "Heemstede",
        "politieEenheid": "Noord-Holland",
        "district": "Kennemerland",
        "basisteam": heemstede.basisteam,
        "_links": {"self": {"href": "/api/v1/gemeenten/GM0397"}},
    }


def test_municipality_list_filters_on_district_case_insensitively(api, bloemendaal, noord_holland):
    zaanstreek = District.objects.create(police_unit=noord_holland, name="Zaanstreek-Waterland")
    bloemendaal.district = zaanstreek
    bloemendaal.save(update_fields=["district"])

    in_zaanstreek = api.get("/api/v1/gemeenten", {"district": "zaanstreek-waterland"}).json()
    in_kennemerland = api.get("/api/v1/gemeenten", {"district": "Kennemerland"}).json()

    assert [m["cbsCode"] for m in in_zaanstreek["results"]] == ["GM0377"]
    expected = sorted(
        Municipality.objects.filter(is_active=True, district__name="Kennemerland").values_list("cbs_code", flat=True)
    )
    assert [m["cbsCode"] for m in in_kennemerland["results"]] == expected
    assert "GM0377" not in expected


def test_municipality_list_with_unknown_district_is_empty(api, municipalities):
    body = api.get("/api/v1/gemeenten", {"district": "Atlantis"}).json()

    assert body["count"] == 0
    assert body["results"] == []


def test_municipality_list_is_paginated_with_page_size(api, municipalities):
    codes = active_codes()

    first = api.get("/api/v1/gemeenten", {"pageSize": 2}).json()
    second = api.get("/api/v1/gemeenten", {"pageSize": 2, "page": 2}).json()

    assert first["count"] == second["count"] == len(codes)
    assert [m["cbsCode"] for m in first["results"]] == codes[:2]
    assert [m["cbsCode"] for m in second["results"]] == codes[2:4]
    assert "page=2" in first["next"]
    assert first["previous"] is None


def test_municipality_list_page_size_is_capped(api, municipalities):
    body = api.get("/api/v1/gemeenten", {"pageSize": 100_000}).json()

    assert len(body["results"]) == min(len(active_codes()), 500)


def test_municipality_list_page_past_the_end_is_404_problem(api, municipalities):
    response = api.get("/api/v1/gemeenten", {"page": 99})

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_municipality_detail_by_cbs_code(api, haarlem):
    response = api.get("/api/v1/gemeenten/GM0392")

    assert response.status_code == 200
    assert response.json()["naam"] == "Haarlem"


def test_municipality_detail_with_unknown_code_is_404_problem(api, municipalities):
    response = api.get("/api/v1/gemeenten/GM9999")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Niet gevonden"


@pytest.mark.parametrize("code", ["GM12", "GM03970", "gm0397", "0397", "GM039X"])
def test_municipality_detail_with_malformed_code_is_404_problem(api, code, municipalities):
    response = api.get(f"/api/v1/gemeenten/{code}")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_municipality_list_query_count_does_not_grow_with_results(api, municipalities, django_assert_max_num_queries):
    # count + one page with police unit and district joined (django-tenants adds SET search_path per query)
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/gemeenten").status_code == 200
