"""Session expiry after idle time, and the "Continue my session" endpoint."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

EXTEND_URL = "/session/extend/"
JSON = {"HTTP_ACCEPT": "application/json"}


def _expire_date(client: Client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_session_settings__idle_timeout_without_a_write_on_every_request():
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert "osallisuus.core.session_activity.SessionActivityMiddleware" in settings.MIDDLEWARE
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_WARNING_SECONDS < settings.SESSION_COOKIE_AGE


def test_session__idle_longer_than_the_limit__sends_the_user_to_login(client, personas, login):
    # given Aino logged in
    login(personas.participant)
    assert client.get("/account/").status_code == 200
    # when nothing happens for longer than the idle limit
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 5), tick=False):
        response = client.get("/account/")
    # then the next page asks her to log in again, and comes back afterwards
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/account/"


def test_session__activity_before_the_limit__keeps_the_session_alive(client, personas, login):
    login(personas.participant)
    start = timezone.now()
    step = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(3):  # three times the idle limit in total, never idle for long
            traveller.shift(step)
            assert client.get("/account/").status_code == 200


def test_session_extend__json__restarts_the_idle_timer(client, personas, login):
    # given Kaisa whose session is about to end (the warning dialog is showing)
    login(personas.coordinator)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        traveller.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 30))
        # when she presses "Continue my session" (fetch with Accept: application/json)
        response = client.post(EXTEND_URL, **JSON)
        # then the answer tells the page how long the session now lasts
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"expires_in": settings.SESSION_COOKIE_AGE}
        assert _expire_date(client) >= timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 1)
        # and she is still logged in, with the second factor, well past the original end
        traveller.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 30))
        assert client.get("/account/people/").status_code == 200


def test_session_extend__htmx__answers_json_too(client, personas, login):
    login(personas.participant)
    response = client.post(EXTEND_URL, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.json()["expires_in"] == settings.SESSION_COOKIE_AGE


def test_session_extend__after_the_session_ended__answers_401_json(client, personas, login):
    login(personas.participant)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 5), tick=False):
        response = client.post(EXTEND_URL, **JSON)
    assert response.status_code == 401
    assert "detail" in response.json()
    assert "_auth_user_id" not in client.session


def test_session_extend__form_post_without_javascript__returns_to_the_page(client, personas, login):
    login(personas.participant)
    response = client.post(EXTEND_URL, {"next": "/account/?a=1"})
    assert response.status_code == 302
    assert response["Location"] == "/account/?a=1"


def test_session_extend__anonymous_form_post__goes_to_login(client, db):
    response = client.post(EXTEND_URL, {"next": "/account/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_session_extend__next_to_another_site__goes_to_the_front_page(client, personas, login):
    login(personas.participant)
    for target in ("https://evil.example/", "//evil.example", "javascript:alert(1)"):
        response = client.post(EXTEND_URL, {"next": target})
        assert response.status_code == 302
        assert response["Location"] == "/", target


def test_session_extend__get__is_not_allowed(client, personas, login):
    login(personas.participant)
    assert client.get(EXTEND_URL).status_code == 405


def test_session_extend__without_csrf_token__is_refused(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.participant, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(EXTEND_URL, **JSON)
    assert response.status_code == 403
    assert "expires_in" not in response.content.decode()


def test_session_extend__staff_before_second_factor__still_answers(client, personas, login):
    # the warning dialog may show on the code page itself; extending must not bounce there
    login(personas.coordinator, second_factor=False)
    response = client.post(EXTEND_URL, **JSON)
    assert response.status_code == 200


def test_session__is_written_at_most_once_a_minute_while_the_person_is_active(client, personas, login):
    # given Aino logged in and seen just now
    login(personas.participant)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.get("/account/")
        first = _expire_date(client)
        # when she opens pages within the same minute, the session row is not rewritten
        traveller.shift(dt.timedelta(seconds=30))
        client.get("/account/")
        assert _expire_date(client) == first
        # and after a minute it is, so the idle time starts again
        traveller.shift(dt.timedelta(seconds=40))
        client.get("/account/")
        assert _expire_date(client) > first
