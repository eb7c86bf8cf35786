"""Logging in with the county's provider, against the real test provider: a linked subject logs
in its own account (name and e-mail from the claims), staff with a multi-factor login skip the
one-time code and without one are asked for it, Aino's strong identification takes her
straight to her plan, and a subject nobody has linked waits for an administrator (never
matched by e-mail)."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from osallisuus.core.models import ChangeEvent, Notification
from osallisuus.identity.models import LoginSession, PendingLink, ProviderLink
from osallisuus.identity.session import SESSION_KEY

from .conftest import LABELS

pytestmark = pytest.mark.django_db


def test_login_page__without_providers__shows_the_password_form_only(client, settings):
    settings.IDENTITY_PROVIDERS = {}
    body = client.get("/account/login/").content.decode()
    assert 'name="password"' in body
    assert "/login/oidc/" not in body


def test_login_page__shows_the_provider_button_in_the_reader_language(client, county):
    body = client.get("/account/login/?next=/plan/").content.decode()
    assert LABELS["label_fi"] in body
    assert 'href="/login/oidc/county/?next=%2Fplan%2F"' in body
    assert 'name="password"' in body  # alongside the password login
    client.cookies["django_language"] = "sv"
    assert LABELS["label_sv"] in client.get("/account/login/").content.decode()


def test_start__sends_state_nonce_and_an_s256_pkce_challenge(client, county):
    from .conftest import query_of

    authorize = county.start(client)
    params = query_of(authorize)
    assert authorize.startswith(county.server.issuer + "/authorize/")
    assert params["response_type"] == "code"
    assert params["code_challenge_method"] == "S256"
    assert len(params["state"]) >= 32
    assert len(params["nonce"]) >= 32
    entry = client.session["oidc_states"][params["state"]]
    assert entry["provider"] == "county"
    assert entry["nonce"] == params["nonce"]
    assert len(entry["code_verifier"]) == 64
    assert entry["code_verifier"] != params["code_challenge"]


def test_login__linked_staff_with_two_factors__logs_in_her_account_and_skips_the_code(client, county, personas):
    ville = personas.own_worker
    sub = county.person(ville, first_name="Ville", last_name="Häkkinen-Laine")
    county.link(ville, sub)

    response = county.login(client, "ville.hakkinen", method="mfa")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(ville.pk)
    link = ProviderLink.objects.get(user=ville)
    assert client.session[DEVICE_ID_SESSION_KEY] == link.persistent_id  # the second factor is done
    assert client.get("/plan/caseload/").status_code == 200  # no one-time code asked
    ville.refresh_from_db()
    assert ville.full_name == "Ville Häkkinen-Laine"  # the name comes from the claims
    assurance = client.session[SESSION_KEY]
    assert assurance["multi_factor"] is True
    assert assurance["strong"] is False
    assert assurance["amr"] == ["pwd", "otp"]
    assert assurance["acr"] == "urn:test:two-factor"
    record = LoginSession.objects.get(link=link)
    assert record.session_key == client.session.session_key
    assert record.multi_factor
    assert ChangeEvent.objects.filter(verb="accounts.user.details_updated", subject=ville).exists()


def test_login__staff_whose_amr_shows_no_second_factor__is_asked_for_the_one_time_code(client, county, personas):
    from tests.browser.helpers import one_time_code

    ville = personas.own_worker
    county.link(ville, county.person(ville))

    response = county.login(client, "ville.hakkinen", method="pwd", next_url="/plan/caseload/")

    assert response.status_code == 302
    assert response["Location"] == "/plan/caseload/"
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.session[SESSION_KEY]["multi_factor"] is False
    asked = client.get("/plan/caseload/")
    assert asked.status_code == 302
    assert asked["Location"].startswith("/account/second-factor/")
    answered = client.post("/account/second-factor/", {"code": one_time_code(ville), "next": "/plan/caseload/"})
    assert answered.status_code == 302
    assert answered["Location"] == "/plan/caseload/"
    assert client.get("/plan/caseload/").status_code == 200


def test_login__participant_with_strong_identification__goes_straight_to_her_plan(client, county, personas):
    aino = personas.participant
    county.link(aino, county.person(aino, national_id_number="010190-123A"))

    response = county.login(client, "aino.makinen", method="strong")

    assert response.status_code == 302
    assert response["Location"] == reverse("activation:my_plan")
    assert client.get(response["Location"]).status_code == 200
    assurance = client.session[SESSION_KEY]
    assert assurance["strong"] is True
    assert assurance["acr"] == "http://ftn.ficora.fi/2017/loa3"
    # The provider also sent a personal identity code and a special-category claim: neither is kept.
    stored = [
        json.dumps(list(LoginSession.objects.values()), default=str),
        json.dumps(list(ProviderLink.objects.values()), default=str),
        json.dumps(list(ChangeEvent.objects.values()), default=str),
        *(s.get_decoded().__repr__() for s in Session.objects.all()),
    ]
    for value in ("010190-123A", "special-category"):
        assert not any(value in text for text in stored), value


def test_login__participant_with_a_weaker_login__goes_to_the_front_page(client, county, personas):
    aino = personas.participant
    county.link(aino, county.person(aino))
    response = county.login(client, "aino.makinen", method="pwd")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login__unknown_subject__waits_for_an_administrator_and_is_never_matched_by_email(client, county, personas):
    # Someone at the provider has Aino's e-mail address, but no one linked this subject to her.
    stranger = county.server.add_user(
        "not-aino", "provider-password-1", first_name="Aino", last_name="M", email=personas.participant.email
    )

    response = county.login(client, "not-aino")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "odottaa" in response.content.decode()  # the calm page in Finnish: "waits for confirmation"
    pending = PendingLink.objects.get(subject=stranger)
    assert pending.account == personas.participant  # only a suggestion for the administrator
    assert not ProviderLink.objects.exists()
    notice = Notification.objects.get(kind="identity.link_requested")
    assert notice.user == personas.administrator
    assert f"/admin/identity/pendinglink/{pending.pk}/" in notice.url

    county.login(client, "not-aino")  # a second try: the same waiting login, no new notice
    pending.refresh_from_db()
    assert pending.attempts == 2
    assert Notification.objects.filter(kind="identity.link_requested").count() == 1


def test_login__account_outside_the_provider_organisations__is_refused(client, county, personas):
    kaisa = personas.coordinator  # a member of the NGO only; the provider serves the county
    county.link(kaisa, county.person(kaisa))
    response = county.login(client, "kaisa.lindstrom", method="mfa")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert "ei ole käytössä organisaatiossasi" in response.content.decode()


def test_login__deactivated_account__is_refused(client, county, personas):
    jari = personas.participant2
    county.link(jari, county.person(jari))
    jari.is_active = False
    jari.save()
    response = county.login(client, "jari.koopikka")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_login__deactivated_later__ends_at_the_next_request(client, county, personas):
    aino = personas.participant
    county.link(aino, county.person(aino))
    county.login(client, "aino.makinen", method="strong")
    aino.is_active = False
    aino.save()
    assert client.get("/plan/").status_code == 302  # the provider's backend loads active people only


def test_a_provider_with_broken_settings__is_reported_and_the_password_login_goes_on(client, settings, personas):
    from osallisuus.core.demo import DEMO_PASSWORD
    from osallisuus.identity.checks import providers_configured

    settings.IDENTITY_PROVIDERS = {"county": {"issuer": "https://login.example.fi", "client_id": "x"}}
    errors = providers_configured()
    assert [e.id for e in errors] == ["identity.E001"]
    assert "OIDC_COUNTY_CLIENT_SECRET" in errors[0].msg
    assert "/login/oidc/county/" not in client.get("/account/login/").content.decode()
    assert client.get("/login/oidc/county/").status_code == 404
    response = client.post("/account/login/", {"username": personas.own_worker.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
