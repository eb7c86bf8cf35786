"""The checks of a provider login, each against the real provider made to misbehave: a tampered
or replayed state, a wrong audience, issuer or nonce, an expired token, a token signed with a
key the provider does not publish, a wrong PKCE verifier, a provider mix-up; and key rotation,
which must keep working. Every failure is a calm page in the person's language, logs its
reason, and shows nothing of the token; nobody is logged in and nothing is linked."""

from __future__ import annotations

import logging
import time

import pytest

from osallisuus.identity.models import LoginSession, PendingLink, ProviderLink

from .conftest import query_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def aino_at_county(county, personas):
    aino = personas.participant
    county.link(aino, county.person(aino))
    return aino


def assert_calm_failure(response, caplog, reason, *, status=400):
    body = response.content.decode()
    assert response.status_code == status
    assert "Kirjautuminen ei onnistunut" in body  # "Logging in did not succeed", in Finnish
    assert "eyJ" not in body  # nothing that looks like a JWT
    logged = [r.getMessage() for r in caplog.records if r.name == "osallisuus.identity"]
    assert any(reason in line for line in logged), logged
    assert not any("eyJ" in line for line in logged)
    reference = next(line.split("reference ")[1].rstrip(")") for line in logged if "reference" in line)
    assert reference in body  # the same reference on the page and in the log


def assert_nobody_logged_in(client):
    assert "_auth_user_id" not in client.session
    assert not LoginSession.objects.exists()


def test_tampered_state__is_refused(client, county, aino_at_county, caplog):
    callback = county.answer(county.start(client), "aino.makinen")
    state = query_of(callback)["state"]
    tampered = callback.replace(f"state={state}", f"state={state[:-4]}AAAA")
    with caplog.at_level(logging.INFO, logger="osallisuus.identity"):
        response = county.callback(client, tampered)
    assert_calm_failure(response, caplog, "state / unknown state")
    assert_nobody_logged_in(client)


def test_replayed_answer__is_refused_the_second_time(client, county, aino_at_county, caplog):
    callback = county.answer(county.start(client), "aino.makinen")
    assert client.get(callback).status_code == 302
    client.logout()
    with caplog.at_level(logging.INFO, logger="osallisuus.identity"):
        response = county.callback(client, callback)
    assert_calm_failure(response, caplog, "state")
    assert "_auth_user_id" not in client.session


def test_answer_started_in_another_browser__is_refused(client, county, aino_at_county, caplog):
    from django.test import Client

    callback = county.answer(county.start(client), "aino.makinen")
    other = Client()
    with caplog.at_level(logging.INFO, logger="osallisuus.identity"):
        response = county.callback(other, callback)  # e.g. a link planted on someone else (login CSRF)
    assert_calm_failure(response, caplog, "state")


def test_answer_after_too_long__is_refused(client, county, aino_at_county, caplog, settings):
    settings.IDENTITY_LOGIN_MAX_SECONDS = 1
    callback = county.answer(county.start(client), "aino.makinen")
    time.sleep(1.2)
    with caplog.at_level(logging.INFO, logger="osallisuus.identity"):
        response = county.callback(client, callback)
    assert_calm_failure(response, caplog, "state / expired")
    assert_nobody_logged_in(client)


@pytest.mark.parametrize(
    ("quirk", "reason"),
    [
        ({"id_token_audience": "another-service"}, "audience"),
        ({"id_token_issuer": "https://evil.example/o"}, "issuer"),
        ({"id_token_lifetime": -600}, "expired"),
        ({"id_token_nonce": "a-nonce-from-another-login"}, "nonce"),
    ],
    ids=["wrong-audience", "wrong-issuer", "expired", "wrong-nonce"],
)
def test_id_token_that_fails_a_check__is_refused(client, county, aino_at_county, caplog, quirk, reason):
    county.server.misbehave(**quirk)
    with caplog.at_level(logging.INFO, logger="osallisuus.identity"):
        response = county.login(client, "aino.makinen")
    assert_calm_failure(response, caplog, f"token / {reason}")
    assert_nobody_logged_in(client)


def test_id_token_signed_with_a_key_the_provider_does_not_publish__is_refused(client, county, aino_at_county, caplog):
    county.server.misbehave(sign_with_unpublished_key=county.server.unpublished_key())
    with caplog.at_level(logging.INFO, logger="osallisuus.identity"):
        response = county.login(client, "aino.makinen")
    assert_calm_failure(response, caplog, "token / unknown_key")
    assert_nobody_logged_in(client)


def test_wrong_pkce_verifier__the_provider_gives_no_tokens(client, county, aino_at_county, caplog):
    authorize = county.start(client)
    state = query_of(authorize)["state"]
    session = client.session
    session["oidc_states"][state]["code_verifier"] = "x" * 64  # not the one the challenge was made of
    session.save()
    with caplog.at_level(logging.INFO, logger="osallisuus.identity"):
        response = county.callback(client, county.answer(authorize, "aino.makinen"))
    assert_calm_failure(response, caplog, "token / token endpoint answered 400")
    assert_nobody_logged_in(client)


def test_answer_naming_another_issuer__is_refused(client, county, aino_at_county, caplog):
    callback = county.answer(county.start(client), "aino.makinen")
    mixed_up = callback.replace("iss=http", "iss=https%3A%2F%2Fother-provider.example%2Fx&unused=http")
    with caplog.at_level(logging.INFO, logger="osallisuus.identity"):
        response = county.callback(client, mixed_up)
    assert_calm_failure(response, caplog, "token / iss of the answer")


def test_person_cancels_at_the_provider__gets_a_calm_page(client, county, caplog):
    state = query_of(county.start(client))["state"]
    with caplog.at_level(logging.INFO, logger="osallisuus.identity"):
        response = county.callback(client, f"/login/oidc/county/callback/?error=access_denied&state={state}")
    assert_calm_failure(response, caplog, "cancelled")
    assert state not in client.session["oidc_states"]  # the state cannot be used after that


def test_failure_page__is_in_the_reader_language(client, county, aino_at_county):
    client.cookies["django_language"] = "sv"
    response = county.callback(client, "/login/oidc/county/callback/?code=x&state=unknown")
    assert response.status_code == 400
    assert "Inloggningen lyckades inte" in response.content.decode()


def test_provider_that_does_not_answer__gets_a_calm_page(client, county, settings, caplog):
    from tests.oidc_provider.server import free_port

    settings.IDENTITY_PROVIDERS["county"]["issuer"] = f"http://127.0.0.1:{free_port()}/o"
    with caplog.at_level(logging.INFO, logger="osallisuus.identity"):
        response = county.callback(client, "/login/oidc/county/")
    assert_calm_failure(response, caplog, "unavailable", status=502)


def test_provider_rotates_its_keys__logins_keep_working(client, county, aino_at_county):
    from django.core.cache import cache

    assert county.login(client, "aino.makinen").status_code == 302
    client.logout()
    assert cache.get(f"identity:jwks:{county.server.issuer}")  # the keys are kept
    new_kid = county.server.rotate_key()

    response = county.login(client, "aino.makinen")

    assert response.status_code == 302, response.content.decode()[:500]
    assert new_kid in {k["kid"] for k in cache.get(f"identity:jwks:{county.server.issuer}")}


def test_failures_link_nothing_and_keep_no_waiting_login(client, county, personas):
    stranger = county.server.add_user("stranger", "provider-password-1", first_name="S", last_name="T")
    county.server.misbehave(id_token_audience="another-service")
    county.login(client, "stranger")
    assert not PendingLink.objects.filter(subject=stranger).exists()
    assert not ProviderLink.objects.exists()


def test_failure_page__has_an_address_of_its_own_and_a_reload_shows_it_again(client, county, aino_at_county):
    callback = county.answer(county.start(client), "aino.makinen")
    county.server.misbehave(id_token_audience="another-service")
    response = client.get(callback)
    assert response.status_code == 302
    assert response["Location"] == "/login/oidc/county/result/"  # the code and state leave the address bar
    first, again = client.get(response["Location"]), client.get(response["Location"])
    assert first.status_code == again.status_code == 400
    assert first.context["reference"] == again.context["reference"]


def test_result_page__without_a_login__goes_to_the_login_page(client, county):
    response = client.get("/login/oidc/county/result/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/"
