"""Logging out: here and at the provider (RP-initiated logout), and the provider telling us a
session ended there (back-channel logout, with logout tokens the real provider signs). A
logout token that fails a check ends nothing."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from osallisuus.identity.models import LoginSession

from .conftest import CLIENT_ID, query_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def aino(county, personas):
    aino = personas.participant
    county.link(aino, county.person(aino))
    return aino


def logged_in(county, username, browser=None, method="strong"):
    client = Client()
    assert county.login(client, username, method=method, browser=browser).status_code == 302
    return client


def test_logout__ends_the_session_here_and_at_the_provider(county, aino, provider_browser):
    client = logged_in(county, "aino.makinen", browser=provider_browser)
    record = LoginSession.objects.get()

    response = client.post("/account/logout/")

    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(f"{county.server.issuer}/logout/")
    params = query_of(end_session)
    assert params["client_id"] == CLIENT_ID
    assert params["post_logout_redirect_uri"] == "http://testserver/account/login/"
    assert params["id_token_hint"].count(".") == 2
    assert "_auth_user_id" not in client.session
    record.refresh_from_db()
    assert record.ended_at is not None
    assert record.end_reason == LoginSession.EndReason.LOGOUT

    # The browser goes on to the provider, which ends its own session and sends it back here.
    at_provider = provider_browser.get(end_session, allow_redirects=False, timeout=30)
    assert at_provider.status_code == 302
    assert at_provider.headers["Location"] == "http://testserver/account/login/"
    again = provider_browser.get(county.start(Client()), allow_redirects=False, timeout=30)
    assert "/accounts/login/" in again.headers["Location"]  # logged out there too


def test_logout__a_password_session__stays_a_local_logout(client, county, personas, login):
    response = login(personas.participant).post("/account/logout/")
    assert response["Location"] == "/account/login/"


def test_backchannel_logout__ends_the_session_the_provider_names(client, county, aino):
    first = logged_in(county, "aino.makinen")
    second = logged_in(county, "aino.makinen")  # another device, another provider session (sid)
    first_key = first.session.session_key
    token = county.server.logout_token("aino.makinen", CLIENT_ID)  # names the latest session (sid)

    response = client.post("/login/oidc/county/backchannel-logout/", {"logout_token": token})

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert second.get("/plan/").status_code == 302  # logged out: the login page
    assert not Session.objects.filter(session_key=second.session.session_key).exists()
    assert first.get("/plan/").status_code == 200  # the other session goes on
    assert Session.objects.filter(session_key=first_key).exists()
    ended = LoginSession.objects.get(ended_at__isnull=False)
    assert ended.end_reason == LoginSession.EndReason.PROVIDER


def test_backchannel_logout__by_subject__ends_every_session_of_the_person(client, county, aino):
    clients = [logged_in(county, "aino.makinen"), logged_in(county, "aino.makinen")]
    token = county.server.logout_token("aino.makinen", CLIENT_ID, sid=None)

    assert client.post("/login/oidc/county/backchannel-logout/", {"logout_token": token}).status_code == 200

    for each in clients:
        assert each.get("/plan/").status_code == 302
    assert not LoginSession.objects.filter(ended_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"aud": "another-service"}, "audience"),
        ({"iss": "https://evil.example/o"}, "issuer"),
        ({"events": None}, "logout_event"),
        ({"events": {"http://example.com/other-event": {}}}, "logout_event"),
        ({"nonce": "n"}, "nonce"),
        ({"sub": None, "sid": None}, "logout_subject"),
        ({"iat": -3600, "exp": 60}, "logout_stale"),  # seconds from now
        ({"jti": None}, "claims"),
    ],
    ids=["wrong-audience", "wrong-issuer", "no-event", "other-event", "nonce", "nobody", "stale", "no-jti"],
)
def test_backchannel_logout__a_token_that_fails_a_check__ends_nothing(client, county, aino, caplog, claims, reason):
    aino_client = logged_in(county, "aino.makinen")
    now = int(time.time())
    claims = {k: now + v if k in {"iat", "exp"} else v for k, v in claims.items()}
    token = county.server.logout_token("aino.makinen", CLIENT_ID, **claims)

    response = client.post("/login/oidc/county/backchannel-logout/", {"logout_token": token})

    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request"}
    assert aino_client.get("/plan/").status_code == 200
    assert any(reason in r.getMessage() for r in caplog.records if r.name == "osallisuus.identity")


def test_backchannel_logout__a_token_signed_with_another_key__ends_nothing(client, county, aino):
    aino_client = logged_in(county, "aino.makinen")
    token = county.server.logout_token("aino.makinen", CLIENT_ID, _key=county.server.unpublished_key())
    assert client.post("/login/oidc/county/backchannel-logout/", {"logout_token": token}).status_code == 400
    assert aino_client.get("/plan/").status_code == 200


def test_backchannel_logout__the_same_token_twice__is_refused_the_second_time(client, county, aino):
    token = county.server.logout_token("aino.makinen", CLIENT_ID)
    url = "/login/oidc/county/backchannel-logout/"
    assert client.post(url, {"logout_token": token}).status_code == 200
    assert client.post(url, {"logout_token": token}).status_code == 400


def test_backchannel_logout__without_a_token_or_by_get__is_refused(client, county):
    url = "/login/oidc/county/backchannel-logout/"
    assert client.post(url, {}).status_code == 400
    assert client.get(url).status_code == 405
