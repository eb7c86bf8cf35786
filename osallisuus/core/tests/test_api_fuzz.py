"""Fuzz every operation of the published OpenAPI schema: odd values never give 5xx.

Each operation is its own test case (named "METHOD /path"), so a failure points at the
endpoint. Odd values go into every path parameter, query parameter and request body;
every 4xx must be JSON with a ``detail``. List endpoints should take ``Query[PageQuery]``
from ``osallisuus.core.api`` so that out-of-range paging is refused before the database.
"""

from __future__ import annotations

import itertools
from urllib.parse import urlencode

import pytest

from osallisuus.accounts.api_auth import token_issue

HTTP_METHODS = {"get", "put", "post", "delete", "patch"}

ODD_PATH_VALUES = [
    "0",
    "-1",
    "abc",
    "9" * 40,
    "1e5",
    "1.5",
    "%00",
    "null",
    "%27%20OR%201%3D1",
    "%C3%A4%C3%B6",
    "00000000-0000-0000-0000-000000000000",
    "%F0%9F%98%80",
    "x" * 3000,
]
ODD_QUERY_VALUES = [
    "-1",
    "-99999999999999999999",
    "9" * 400,
    "abc",
    "",
    "1e309",
    "nan",
    "\x00",
    "ä" * 1000,
    "true",
    "[]",
    "%",
    "_",
]
ODD_BODIES: list[tuple[bytes, str]] = [
    (b"{", "application/json"),
    (b"null", "application/json"),
    (b"[]", "application/json"),
    (b'"text"', "application/json"),
    (b"12", "application/json"),
    (b'{"since": "x"}', "application/json"),
    (b'{"since": 5}', "application/json"),
    (b'{"since": "2025-13-40"}', "application/json"),
    (b'{"since": "2025-01-02", "until": "2025-01-01"}', "application/json"),
    (b'{"since": {"$gt": ""}}', "application/json"),
    (b'{"since": "' + b"9" * 5000 + b'"}', "application/json"),
    (b"\xff\xfe\x00", "application/json"),
    (b"since=2025-01-01", "application/x-www-form-urlencoded"),
    (b"a" * 100_000, "text/plain"),
]


def schema_operations():
    """Every operation of the published schema, read when the tests are collected."""
    from config.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return [
        pytest.param(path, method, operation, id=f"{method.upper()} {path}")
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def assert_clean_error(response, where):
    assert response.status_code < 500, f"{where} -> {response.status_code}: {response.content[:300]!r}"
    if response.status_code >= 400 and response.status_code != 405:
        assert response["Content-Type"].startswith("application/json"), where
        assert isinstance(response.json().get("detail"), str), where


def fill_path(path, params, value):
    for param in params:
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", value)
    return path


def sample_path(path, params):
    """A path with harmless values, so query and body fuzzing reach the handler."""
    for param in params:
        if param["in"] == "path":
            fmt = param.get("schema", {}).get("format")
            value = "00000000-0000-0000-0000-000000000000" if fmt == "uuid" else "1"
            path = path.replace("{" + param["name"] + "}", value)
    return path


def test_api_fuzz__schema_lists_operations():
    assert len(schema_operations()) >= 5


@pytest.mark.parametrize(("path", "method", "operation"), schema_operations())
def test_api_fuzz__odd_values__never_give_5xx(client, personas, settings, tmp_path, path, method, operation):
    # Given Kaisa's token (a staff user who sees people) and one operation of the schema
    settings.MEDIA_ROOT = tmp_path
    _token, raw = token_issue(user=personas.coordinator, name="fuzz")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    params = operation.get("parameters", [])
    send = getattr(client, method)
    tried = 0
    # When odd values go into each path parameter
    if any(p["in"] == "path" for p in params):
        for value in ODD_PATH_VALUES:
            url = fill_path(path, params, value)
            assert_clean_error(send(url, **auth), f"{method} {url}")
            tried += 1
    # ... and into each query parameter
    base = sample_path(path, params)
    for param, value in itertools.product([p for p in params if p["in"] == "query"], ODD_QUERY_VALUES):
        if method == "get":
            response = send(base, {param["name"]: value}, **auth)
        else:
            response = send(f"{base}?{urlencode({param['name']: value})}", **auth)
        assert_clean_error(response, f"{method} {base} {param['name']}={value!r}")
        tried += 1
    # ... and into the request body
    if "requestBody" in operation:
        for body, content_type in ODD_BODIES:
            response = send(base, data=body, content_type=content_type, **auth)
            assert_clean_error(response, f"{method} {base} body={body[:40]!r}")
            tried += 1
    # ... and without any login at all
    assert client.generic(method.upper(), base).status_code == 401
    # Then nothing answered 5xx (and odd values were really sent unless the operation takes none)
    assert tried or not (params or "requestBody" in operation)
