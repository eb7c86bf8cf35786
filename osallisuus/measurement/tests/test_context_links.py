"""The way back from a respondent's answers to the module that started them: measurement asks the
module's registered resolver, and gives the link only to the logged-in respondent, only as a
same-site path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from osallisuus.measurement import context_links, services
from osallisuus.measurement.models import Response

MODULE = "testmodule"


@pytest.fixture
def resolver_answers() -> Iterator[dict[str, object]]:
    """Register a resolver for a test module that answers what the test puts in the dict."""
    answer: dict[str, object] = {"link": ("Back to the test page", "/test/7/"), "calls": []}

    def resolver(context_ref: str, user: object) -> tuple[str, str] | None:
        answer["calls"].append((context_ref, user))  # type: ignore[attr-defined]
        return answer["link"]  # type: ignore[return-value]

    services.register_context_link(MODULE, resolver)
    yield answer
    context_links._RESOLVERS.pop(MODULE, None)


def _started(person: object) -> Response:
    return services.response_start(
        instrument_code="plan-checkin", respondent=person, context_module=MODULE, context_ref="thing:7"
    )  # type: ignore[arg-type]


def test_answers_page__respondent__gets_the_modules_link(personas, login, resolver_answers):
    response = _started(personas.participant)
    page = login(personas.participant).get(f"/measurement/r/{response.pk}/answers/").content.decode()
    assert 'href="/test/7/"' in page
    assert "Back to the test page" in page
    assert resolver_answers["calls"] == [("thing:7", personas.participant)]


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "relative/path", ""]
)
def test_link__not_a_same_site_path__is_dropped(personas, resolver_answers, url):
    response = _started(personas.participant)
    resolver_answers["link"] = ("Back", url)
    assert context_links.link_for(response=response, viewer=personas.participant) is None


def test_link__module_says_no__no_link(personas, login, resolver_answers):
    response = _started(personas.participant)
    resolver_answers["link"] = None
    page = login(personas.participant).get(f"/measurement/r/{response.pk}/answers/").content.decode()
    assert "/test/7/" not in page
    assert "Back to Questionnaires" in page


def test_link__never_asked_for_anyone_but_the_logged_in_respondent(personas, resolver_answers):
    from django.contrib.auth.models import AnonymousUser

    response = _started(personas.participant)
    assert context_links.link_for(response=response, viewer=AnonymousUser()) is None
    assert context_links.link_for(response=response, viewer=personas.own_worker) is None
    Response.objects.filter(pk=response.pk).update(respondent=None, anonymised_at=response.created_at)
    response.refresh_from_db()
    assert context_links.link_for(response=response, viewer=personas.participant) is None
    assert resolver_answers["calls"] == []


def test_link__module_without_a_resolver__no_link(personas):
    response = services.response_start(
        instrument_code="plan-checkin",
        respondent=personas.participant,
        context_module="no-such-module",
        context_ref="x:1",
    )
    assert "no-such-module" not in context_links.registered()  # (networks has its own resolver now)
    assert context_links.link_for(response=response, viewer=personas.participant) is None
