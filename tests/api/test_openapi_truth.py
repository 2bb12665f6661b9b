"""The OpenAPI document says what the server does: strict bodies, years, filters, parameters, tags."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from jsonschema import Draft7Validator, FormatChecker

from tenants.models import Role
from tests.api.test_errors import assert_problem

UNKNOWN = str(uuid.uuid4())


@pytest.fixture
def document(client, db) -> dict[str, Any]:
    return json.loads(client.get("/api/v1/openapi.json").content)


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def component(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    return document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]


def test_every_request_body_refuses_unknown_fields_as_the_server_does(document):
    seen = 0
    for path, method, operation in operations(document):
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
            schema = component(document, content["schema"])
            assert schema.get("additionalProperties") is False, (method, path, media_type)
            seen += 1
    nested = [document["components"]["schemas"][name] for name in ("ThemaStandpuntInvoerRequest", "MetingRequest")]
    assert all(schema["additionalProperties"] is False for schema in nested)
    assert seen >= 16  # the request bodies of today: the loop must have seen them
    # Answers may grow new fields: they are not closed.
    assert "additionalProperties" not in document["components"]["schemas"]["Meting"]


def test_years_are_four_digit_years_in_the_document_as_on_the_server(document, make_user, api_client_for, heemstede):
    [year] = [
        p
        for p in document["paths"]["/gemeenten/{cbs_code}/uitvoeringsplannen"]["get"]["parameters"]
        if p["name"] == "jaar"
    ]
    assert year["schema"] == {"type": "integer", "minimum": 1000, "maximum": 9999}
    client = api_client_for(make_user(Role.OOV, heemstede))
    url = "/api/v1/gemeenten/GM0397/uitvoeringsplannen?jaar="
    for refused in ("999", "0999", "10000", "2025.0"):
        assert_problem(client.get(url + refused), 400)
    assert client.get(url + "1000").status_code == 200

    schemas = document["components"]["schemas"]
    for name, fields in (
        ("IndicatorAanmaakRequest", ("jaarNulmeting", "streefjaar")),
        ("PatchedIndicatorWijzigingRequest", ("jaarNulmeting", "streefjaar")),
        ("VeiligheidsplanAanmaakRequest", ("eersteJaar", "laatsteJaar")),
        ("UitvoeringsplanAanmaakRequest", ("jaar",)),
        ("PatchedUitvoeringsplanWijzigingRequest", ("jaar",)),
    ):
        for field in fields:
            assert (schemas[name]["properties"][field]["minimum"], schemas[name]["properties"][field]["maximum"]) == (
                1990,
                2100,
            ), (name, field)
    assert schemas["MetingRequest"]["properties"]["jaar"]["minimum"] == 1990


def test_every_path_parameter_has_a_description(document):
    missing = [
        f"{method} {path} {parameter['name']}"
        for path, method, operation in operations(document)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path" and not parameter.get("description")
    ]
    assert not missing
    [cbs_code] = document["paths"]["/gemeenten/{cbs_code}"]["get"]["parameters"]
    assert cbs_code["description"] == "CBS-code van de gemeente, bijvoorbeeld GM0397."
    assert cbs_code["schema"]["pattern"] == "^GM[0-9]{4}$"


def test_tags_are_sorted_by_name(document):
    names = [tag["name"] for tag in document["tags"]]

    assert names == sorted(names)
    assert len(names) == 12


def test_a_list_filtered_on_an_unknown_uuid_is_empty_on_every_list_as_documented(
    document, make_user, api_client_for, heemstede, local_content, busy_round
):
    client = api_client_for(make_user(Role.ADVISER))
    filters = [
        (path, parameter)
        for path, method, operation in operations(document)
        if method == "get"
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and parameter["schema"].get("format") == "uuid" and not parameter.get("required")
    ]
    assert {parameter["name"] for _path, parameter in filters} == {
        "imvCyclus",
        "consultatieronde",
        "veiligheidsplan",
        "prioriteit",
    }
    assert len(filters) == 7
    for path, parameter in filters:
        assert parameter["description"].endswith("geeft een lege lijst."), (path, parameter["name"])
        url = "/api/v1" + path.replace("{cbs_code}", heemstede.cbs_code)
        assert client.get(url).json()["count"] > 0, url  # so that the empty answer below is the filter's doing
        response = client.get(url, {parameter["name"]: UNKNOWN})
        assert response.status_code == 200, (url, parameter["name"], response.content)
        assert response.json()["count"] == 0, (url, parameter["name"])


@pytest.mark.parametrize("path", ["/api/v1/afstemming", "/api/v1/afstemming/gemeenten/GM0397"])
def test_the_imv_of_an_alignment_is_its_subject_not_a_filter_unknown_is_400(
    document, make_user, api_client_for, heemstede, path
):
    client = api_client_for(make_user(Role.ADVISER))

    body = assert_problem(client.get(path, {"imvCyclus": UNKNOWN}), 400)

    assert [p["name"] for p in body["invalidParams"]] == ["imvCyclus"]
    template = path.removeprefix("/api/v1").replace("GM0397", "{cbs_code}")
    [cycle] = [p for p in document["paths"][template]["get"]["parameters"] if p["name"] == "imvCyclus"]
    assert "geeft 400" in cycle["description"]


def json_schema(schema: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: ``nullable: true`` becomes "or null"."""
    if isinstance(schema, list):
        return [json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: json_schema(value) for key, value in schema.items() if key != "nullable"}
    for bound, exclusive in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")):
        if converted.get(exclusive) is True:  # 3.0 marks the bound exclusive; JSON Schema names it
            converted[exclusive] = converted.pop(bound)
    if schema.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def test_every_request_body_has_an_example_that_fits_its_schema(document):
    components = json_schema(document["components"])
    checked = []
    for path, method, operation in operations(document):
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
            examples = content.get("examples", {})
            assert examples, f"{method} {path} {media_type}: no example"
            validator = Draft7Validator(
                {"components": components, **json_schema(content["schema"])}, format_checker=FormatChecker()
            )
            for name, example in examples.items():
                errors = [f"{'.'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(example["value"])]
                assert not errors, (method, path, name, errors)
                checked.append(name)
    assert len(checked) >= 16


def test_an_example_that_breaks_its_schema_is_caught(document):
    # The check above can fail: an unknown field, a value outside an enum, a malformed date.
    schema = json_schema(document["paths"]["/deelnames/{uuid}"]["patch"]["requestBody"]["content"]["application/json"])
    validator = Draft7Validator(
        {"components": json_schema(document["components"]), **schema["schema"]}, format_checker=FormatChecker()
    )

    assert not list(validator.iter_errors({"commissievergadering": None}))
    for broken in ({"vergadering": "2023-09-19"}, {"raadsvergadering": "19-09-2023"}, {"raadsvergadering": 5}):
        assert list(validator.iter_errors(broken)), broken
