"""Logging in with the county's identity provider in Chromium, against the real test provider
(django-oauth-toolkit on 127.0.0.1): Aino finds the button with the keyboard, identifies
herself strongly at the provider and lands on her plan; the county ends her session there and
the back-channel logout ends it here; she logs in again and logs out, at the provider too;
a token for another service ends on a calm failure page. axe-core on every page of ours."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.oidc_provider.server import TestProvider, running

from .helpers import tab_to
from .test_experts_journey import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

CLIENT_ID = "osallisuus-county-browser"
CLIENT_SECRET = "county-browser-client-secret"
PASSWORD = "provider-password-1"
LABEL = "Hyvinvointialueen tunnus"


@pytest.fixture
def county(live_server: Any, settings: Any) -> Iterator[TestProvider]:
    from django.core.cache import cache

    server = running()
    server.misbehave()
    server.add_client(
        CLIENT_ID,
        CLIENT_SECRET,
        redirect_uris=[f"{live_server.url}/login/oidc/county/callback/"],
        post_logout_redirect_uris=[f"{live_server.url}/account/login/"],
        backchannel_logout_uri=f"{live_server.url}/login/oidc/county/backchannel-logout/",
    )
    settings.IDENTITY_PROVIDERS = {
        "county": {
            "issuer": server.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "organisations": "Järvi-Suomen hyvinvointialue",
            "label_fi": LABEL,
        }
    }
    settings.CSP_FORM_ACTION_EXTRA = [server.base_url]  # what config/settings.py derives from the issuer
    cache.clear()
    yield server
    server.misbehave()
    cache.clear()


def screenshots(page: Any, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(tempfile.gettempdir()) / f"identity-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{name} is wider than {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def log_in_at_provider(page: Any, username: str, method: str) -> None:
    page.wait_for_selector("#username")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.check(f"input[name=method][value={method}]")
    with page.expect_navigation(url=lambda url: "/accounts/login/" not in url):
        page.click("#idp-login")


def test_aino_logs_in_with_strong_identification__and_the_county_ends_her_session(county, personas, page):
    from osallisuus.identity.models import LoginSession, ProviderLink

    aino = personas.participant
    subject = county.add_user("aino.makinen", PASSWORD, first_name="Aino", last_name="Mäkinen", email=aino.email)
    ProviderLink.objects.create(
        user=aino, name=LABEL, provider="county", issuer=county.issuer, subject=subject, made_by="administrator"
    )

    page.goto("/account/login/")
    assert_accessible(page)
    screenshots(page, "login")
    tab_to(page, "a.identity-login__button")
    assert LABEL in page.evaluate("document.activeElement.innerText")
    page.keyboard.press("Enter")
    log_in_at_provider(page, "aino.makinen", "strong")

    page.wait_for_url("**/plan/")
    assert_accessible(page)
    assert page.locator("header").get_by_text("Aino Mäkinen").is_visible()
    record = LoginSession.objects.get(link__user=aino)
    assert record.strong
    assert record.acr == "http://ftn.ficora.fi/2017/loa3"

    # The county ends her session at the provider: it tells us, and her session here ends too.
    delivered = county.end_session("aino.makinen")
    assert delivered == [{"client_id": CLIENT_ID, "status": 200}]
    page.goto("/plan/")
    assert "/account/login/" in page.url
    record.refresh_from_db()
    assert record.end_reason == LoginSession.EndReason.PROVIDER

    # She logs in again, and logs out: here and at the provider, then back on the login page.
    page.goto("/account/login/")
    page.click("a.identity-login__button")
    log_in_at_provider(page, "aino.makinen", "strong")
    page.wait_for_url("**/plan/")
    with page.expect_navigation(url="**/account/login/"):
        page.click("header form[action='/account/logout/'] button")
    assert page.locator(".messages").is_visible()
    page.goto("/login/oidc/county/")
    assert "/accounts/login/" in page.url  # the provider asks her to log in again: logged out there


def test_token_for_another_service__ends_on_a_calm_failure_page(county, personas, page, live_server):
    from osallisuus.identity.models import ProviderLink

    ville = personas.own_worker
    subject = county.add_user("ville.hakkinen", PASSWORD, first_name="Ville", last_name="Häkkinen", email=ville.email)
    ProviderLink.objects.create(
        user=ville, name=LABEL, provider="county", issuer=county.issuer, subject=subject, made_by="administrator"
    )
    county.misbehave(id_token_audience="another-service")
    page.goto("/account/login/")
    page.click("a.identity-login__button")
    log_in_at_provider(page, "ville.hakkinen", "mfa")

    assert page.locator("h1").inner_text() == "Kirjautuminen ei onnistunut"
    assert "eyJ" not in page.content()
    assert_accessible(page)
    screenshots(page, "failure")

    # The provider behaves again; "Try again" gets Ville in, and his two factors count.
    county.misbehave()
    page.click("text=Yritä uudelleen")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("header").get_by_text("Ville Häkkinen").is_visible()
    assert "/account/second-factor/" not in page.url
