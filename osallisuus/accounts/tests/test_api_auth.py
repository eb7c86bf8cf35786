"""API authentication: the page session (second factor, CSRF) and personal bearer tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from osallisuus.accounts.api_auth import token_hash, token_issue, token_revoke
from osallisuus.accounts.models import ApiToken
from osallisuus.core.models import ChangeEvent, JobProgress

ME = "/api/v1/people/me"
EXPORT = "/api/v1/jobs/access-log-export"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api__without_login_or_token__answers_401_json(client, db):
    # Given nobody has logged in
    # When the API is asked for "me"
    response = client.get(ME)
    # Then the answer is 401 with a JSON detail and a hint of the scheme
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_api__anonymous_post_without_csrf__answers_401_not_403(db):
    # Given a client that enforces CSRF and has no session
    client = Client(enforce_csrf_checks=True)
    # When it posts to the API
    response = client.post(EXPORT, data="{}", content_type="application/json")
    # Then the answer is "log in" (401), and nothing was started
    assert response.status_code == 401
    assert not JobProgress.objects.exists()


def test_api__valid_token__acts_as_its_owner(client, personas):
    # Given Aino has a token
    _token, raw = token_issue(user=personas.participant, name="Oma sovellus")
    # When the API is called with it
    response = client.get(ME, **bearer(raw))
    # Then the answer is Aino's own data
    assert response.status_code == 200
    assert response.json()["id"] == personas.participant.pk


def test_api__token_of_staff_user__works_without_a_session(client, personas):
    # Given Kaisa, a coordinator who needs the second factor on the pages, made a token
    _token, raw = token_issue(user=personas.coordinator, name="Raportointi")
    # When another system uses it
    response = client.get("/api/v1/people/", **bearer(raw))
    # Then it sees what Kaisa sees
    assert response.status_code == 200
    assert {row["id"] for row in response.json()} == {personas.expert.pk, personas.expert2.pk}


def test_api__token_use__records_last_used(client, personas):
    token, raw = token_issue(user=personas.participant, name="Oma sovellus")
    assert token.last_used_at is None
    client.get(ME, **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_api__expired_token__answers_401(client, personas):
    # Given a token that expired a minute ago
    token, raw = token_issue(user=personas.participant, name="Vanha")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    # When it is used
    response = client.get(ME, **bearer(raw))
    # Then the answer is 401 and the token was not marked used
    assert response.status_code == 401
    token.refresh_from_db()
    assert token.last_used_at is None


def test_api__revoked_token__answers_401(client, personas):
    # Given a token that worked and was then revoked
    token, raw = token_issue(user=personas.participant, name="Poistettava")
    assert client.get(ME, **bearer(raw)).status_code == 200
    assert token_revoke(user=personas.participant, token_id=token.pk)
    # When it is used again
    response = client.get(ME, **bearer(raw))
    # Then the answer is 401
    assert response.status_code == 401


def test_api__token_of_deactivated_user__answers_401(client, personas):
    _token, raw = token_issue(user=personas.participant, name="Oma sovellus")
    personas.participant.is_active = False
    personas.participant.save(update_fields=["is_active"])
    assert client.get(ME, **bearer(raw)).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer ", "Bearer osa_", "Bearer not-ours", "Basic dXNlcjpwYXNz", "Bearer osa_" + "x" * 5000, "osa_abc"],
)
def test_api__malformed_authorization_header__answers_401(client, db, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_api__session_of_participant__works(client, personas, login):
    login(personas.participant, second_factor=False)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["id"] == personas.participant.pk


def test_api__staff_session_without_second_factor__answers_401(client, personas, login):
    # Given Ville (own worker, needs the second factor) logged in but did not verify it
    login(personas.own_worker, second_factor=False)
    # When the API is asked for his clients
    response = client.get("/api/v1/people/")
    # Then the session does not count
    assert response.status_code == 401


def test_api__staff_session_with_second_factor__works(client, personas, login):
    login(personas.own_worker)
    response = client.get("/api/v1/people/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [personas.participant.pk]


def test_api__session_post_without_csrf_token__answers_403_and_changes_nothing(personas):
    # Given Aino logged in in a browser that enforces CSRF
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.participant, backend="django.contrib.auth.backends.ModelBackend")
    # When a page on another site makes her browser post to the API
    response = client.post(EXPORT, data="{}", content_type="application/json")
    # Then the answer is 403 with a JSON detail and no job was started
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not JobProgress.objects.exists()


def test_api__session_post_with_csrf_token__is_accepted(personas, settings, tmp_path):
    # Given Aino logged in and her page holds the CSRF token
    settings.MEDIA_ROOT = tmp_path
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.participant, backend="django.contrib.auth.backends.ModelBackend")
    client.get("/account/api-tokens/")
    csrf = client.cookies["csrftoken"].value
    # When the page posts with the token in the header
    response = client.post(EXPORT, data="{}", content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    # Then the job is accepted
    assert response.status_code == 202
    assert JobProgress.objects.filter(owner=personas.participant).count() == 1


def test_api__token_post_needs_no_csrf_token(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _token, raw = token_issue(user=personas.participant, name="Oma sovellus")
    client = Client(enforce_csrf_checks=True)
    response = client.post(EXPORT, data="{}", content_type="application/json", **bearer(raw))
    assert response.status_code == 202


# -- the tokens page ----------------------------------------------------------------------


def test_api_tokens_page__create__shows_secret_once_and_stores_only_its_hash(client, personas, login):
    # Given Aino is on her tokens page
    login(personas.participant)
    # When she creates a token
    response = client.post("/account/api-tokens/", {"name": "Kotisivu", "days": "30"})
    # Then the secret is shown on this answer and only its hash is stored
    assert response.status_code == 200
    raw = response.context["new_secret"]
    assert raw.startswith("osa_")
    assert raw in response.content.decode()
    token = ApiToken.objects.get(user=personas.participant)
    assert token.token_hash == token_hash(raw)
    assert raw not in (token.name, token.prefix, token.token_hash)
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert ChangeEvent.objects.filter(verb="accounts.api_token.created", target_id=str(token.pk)).exists()
    # And the page does not show it again
    again = client.get("/account/api-tokens/")
    assert raw not in again.content.decode()
    assert "Kotisivu" in again.content.decode()
    # And the token works
    assert client.get(ME, **bearer(raw)).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "days": "30"},
        {"name": "Kotisivu", "days": "0"},
        {"name": "Kotisivu", "days": "366"},
        {"name": "Kotisivu", "days": "kolme"},
        {"name": "x" * 101, "days": "30"},
    ],
)
def test_api_tokens_page__invalid_form__answers_400_keeps_input_and_creates_nothing(client, personas, login, data):
    login(personas.participant)
    response = client.post("/account/api-tokens/", data)
    assert response.status_code == 400
    assert response.context["form"].data["name"] == data["name"]
    assert response.context["new_secret"] is None
    assert not ApiToken.objects.exists()


def test_api_tokens_page__revoke_own__stops_the_token(client, personas, login):
    token, raw = token_issue(user=personas.participant, name="Kotisivu")
    login(personas.participant)
    response = client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ChangeEvent.objects.filter(verb="accounts.api_token.revoked", target_id=str(token.pk)).exists()
    client.logout()
    assert client.get(ME, **bearer(raw)).status_code == 401


def test_api_tokens_page__revoke_someone_elses__is_404_and_changes_nothing(client, personas, login):
    # Given Kaisa has a token
    token, raw = token_issue(user=personas.coordinator, name="Raportointi")
    # When Aino tries to revoke it
    login(personas.participant)
    response = client.post(f"/account/api-tokens/{token.pk}/revoke/")
    # Then the answer is the same 404 as for a missing token, and the token still works
    assert response.status_code == 404
    assert client.post("/account/api-tokens/999999/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    client.logout()
    assert client.get(ME, **bearer(raw)).status_code == 200


def test_api_tokens_page__lists_only_own_active_tokens(client, personas, login):
    token_issue(user=personas.coordinator, name="Kaisan avain")
    token_issue(user=personas.participant, name="Ainon avain")
    gone, _raw2 = token_issue(user=personas.participant, name="Poistettu avain")
    token_revoke(user=personas.participant, token_id=gone.pk)
    login(personas.participant)
    html = client.get("/account/api-tokens/").content.decode()
    assert "Ainon avain" in html
    assert "Kaisan avain" not in html
    assert "Poistettu avain" not in html
