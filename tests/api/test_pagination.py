"""Pagination: ?page from 1 and ?pageSize from 1 to 500, as the document says; no whole number from 1 is a 400."""

from __future__ import annotations

import json

import pytest

from tests.api.test_errors import assert_problem


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("pageSize=null", {"pageSize"}),
        ("pageSize=abc", {"pageSize"}),
        ("pageSize=0", {"pageSize"}),
        ("pageSize=-1", {"pageSize"}),
        ("pageSize=", {"pageSize"}),
        ("page=0", {"page"}),
        ("page=-1", {"page"}),
        ("page=abc", {"page"}),
        ("page=last", {"page"}),
        ("page=0&pageSize=abc", {"page", "pageSize"}),
    ],
)
def test_page_or_page_size_outside_the_document_is_400_naming_it(client, db, query, names):
    body = assert_problem(client.get(f"/api/v1/gemeenten?{query}"), 400)

    assert {p["name"] for p in body["invalidParams"]} == names


@pytest.mark.parametrize(("query", "count"), [("pageSize=1", 1), ("pageSize=500", 3), ("page=1&pageSize=2", 2)])
def test_page_and_page_size_within_the_document_are_served(client, db, query, count):
    response = client.get(f"/api/v1/gemeenten?{query}")

    assert response.status_code == 200
    assert len(response.json()["results"]) == count


def test_a_page_past_the_end_is_still_404(client, db):
    assert_problem(client.get("/api/v1/gemeenten?page=2"), 404)


def test_the_document_gives_page_and_page_size_their_bounds(client, db):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/gemeenten"]["get"]["parameters"]}

    assert parameters["page"] == {"type": "integer", "minimum": 1}
    assert parameters["pageSize"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}
