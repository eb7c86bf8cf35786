"""Bad input never gives 500: 400/404/422 with a JSON ``detail`` in the user's language.

(The fuzz of every operation in the schema is in test_api_fuzz.py.)
"""

from __future__ import annotations

import pytest
from django.utils import translation

from osallisuus.core.models import AccessLogEntry, JobProgress


def test_api__non_integer_id__is_422_with_the_place_of_the_error(client, personas, login):
    login(personas.coordinator)
    response = client.get("/api/v1/people/abc")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert body["errors"][0]["loc"] == ["path", "person_id"]
    assert body["errors"][0]["msg"]
    assert "input" not in body["errors"][0]


@pytest.mark.parametrize("pk", ["0", "-5", "99999999999999999999999999"])
def test_api__out_of_range_id__is_refused_without_5xx_or_log(client, personas, login, pk):
    login(personas.coordinator)
    response = client.get(f"/api/v1/people/{pk}")
    assert response.status_code in {404, 422}
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["limit=-1", "limit=0", "limit=201", "offset=-1", "limit=99999999999999999999999", "offset=1e9", "q=" + "x" * 101],
)
def test_api_people__bad_paging_or_search__is_422_and_logs_nothing(client, personas, login, query):
    login(personas.coordinator)
    response = client.get(f"/api/v1/people/?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][0] == "query"
    assert not AccessLogEntry.objects.exists()


def test_api__malformed_json_body__is_400_and_starts_nothing(client, personas, login):
    login(personas.participant)
    response = client.post("/api/v1/jobs/access-log-export", data=b'{"since": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not JobProgress.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [('{"since": 5}', "since"), ('{"since": "eilen"}', "since"), ('{"until": [1]}', "until")],
)
def test_api__wrong_types_in_body__are_422_naming_the_field_and_start_nothing(client, personas, login, body, field):
    login(personas.participant)
    response = client.post("/api/v1/jobs/access-log-export", data=body, content_type="application/json")
    assert response.status_code == 422
    assert field in response.json()["errors"][0]["loc"]
    assert not JobProgress.objects.exists()


def test_api__dates_in_wrong_order__are_422_with_own_message(client, personas, login):
    login(personas.participant)
    response = client.post(
        "/api/v1/jobs/access-log-export",
        data='{"since": "2025-02-01", "until": "2025-01-01"}',
        content_type="application/json",
    )
    assert response.status_code == 422
    with translation.override("fi"):
        expected = translation.gettext("The last day must not be before the first day.")
    assert response.json()["errors"][0]["msg"] == expected
    assert not JobProgress.objects.exists()


def test_api__wrong_method__is_405_not_500(client, personas, login):
    login(personas.participant)
    assert client.delete("/api/v1/people/me").status_code == 405


def test_api__unknown_api_url__is_json_404(client, db):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["detail"]


# -- language -----------------------------------------------------------------------------


@pytest.fixture
def tagged_gettext(monkeypatch):
    """Mark every API message with the language active when it was made.

    The msgids are English until the translations are compiled; the tag proves that
    the message is translated in the language the user asked for.
    """

    def tagged(message: str) -> str:
        return f"[{translation.get_language()}] {message}"

    monkeypatch.setattr("osallisuus.core.api._", tagged)


@pytest.mark.parametrize(
    ("headers", "cookies", "language"),
    [
        ({}, {}, "fi"),
        ({"HTTP_ACCEPT_LANGUAGE": "sv-FI,sv;q=0.9"}, {}, "sv"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, {}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "sv"}, {"django_language": "en"}, "en"),
    ],
)
def test_api_errors__are_in_the_users_language(client, personas, login, tagged_gettext, headers, cookies, language):
    # Given a user who asks in a language (header or cookie; Finnish by default)
    for name, value in cookies.items():
        client.cookies[name] = value
    # When the API refuses a missing object, bad input and a missing login
    login(personas.participant)
    not_found = client.get("/api/v1/people/999999", **headers)
    invalid = client.get("/api/v1/people/?limit=-1", **headers)
    client.logout()
    for name, value in cookies.items():
        client.cookies[name] = value
    unauthenticated = client.get("/api/v1/people/me", **headers)
    # Then every message is made in that language
    assert not_found.json()["detail"] == f"[{language}] Not found."
    assert invalid.json()["detail"].startswith(f"[{language}] ")
    assert invalid.json()["errors"][0]["msg"].startswith(f"[{language}] ")
    assert unauthenticated.json()["detail"].startswith(f"[{language}] ")
