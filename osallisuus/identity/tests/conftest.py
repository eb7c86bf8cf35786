"""The identity tests run against a real OpenID Connect provider: django-oauth-toolkit in a small
project of its own (tests/oidc_provider), started once per test process on 127.0.0.1. The
service under test trades real codes for real tokens at it; nothing is mocked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.oidc_provider.server import TestProvider, running

CLIENT_ID = "osallisuus-county"
CLIENT_SECRET = "county-client-secret-for-the-tests"
PASSWORD = "provider-password-1"
COUNTY = "Järvi-Suomen hyvinvointialue"
LABELS = {
    "label_fi": "Hyvinvointialueen tunnus",
    "label_sv": "Välfärdsområdets inloggning",
    "label_en": "Wellbeing county login",
}


@pytest.fixture(scope="session")
def oidc_provider() -> TestProvider:
    return running()


@dataclass
class County:
    """The county's provider as the service sees it, and a browser's trip through it."""

    server: TestProvider
    key: str = "county"

    def person(self, user: Any, *, username: str | None = None, **extra: Any) -> str:
        """Give a persona an account at the provider; returns its subject identifier."""
        first, _space, last = user.full_name.partition(" ")
        fields = {"first_name": first, "last_name": last, "email": user.email, **extra}
        return self.server.add_user(username or user.email.split("@")[0], PASSWORD, **fields)

    def link(self, user: Any, subject: str) -> Any:
        from osallisuus.identity.models import ProviderLink

        return ProviderLink.objects.create(
            user=user,
            name="county",
            provider=self.key,
            issuer=self.server.issuer,
            subject=subject,
            made_by=ProviderLink.MadeBy.ADMINISTRATOR,
        )

    def start(self, client: Any, *, next_url: str = "") -> str:
        """The service's start page: the address at the provider it sends the browser to."""
        query = f"?next={next_url}" if next_url else ""
        response = client.get(f"/login/oidc/{self.key}/{query}")
        assert response.status_code == 302, response.status_code
        return str(response["Location"])

    def answer(self, authorize_url: str, username: str, *, method: str = "pwd", browser: Any = None) -> str:
        """Log in at the provider; the path of the service's callback with the provider's answer."""
        location = self.server.authorize(
            authorize_url, username=username, password=PASSWORD, method=method, browser=browser
        )
        parts = urlsplit(location)
        assert parts.netloc == "testserver", location
        return f"{parts.path}?{parts.query}"

    def callback(self, client: Any, path: str) -> Any:
        """Open the provider's answer; a login that did not end in a session is followed to its page."""
        response = client.get(path)
        result = f"/login/oidc/{self.key}/result/"
        if response.status_code == 302 and response["Location"] == result:
            response = client.get(result)
        return response

    def login(self, client: Any, username: str, *, method: str = "pwd", next_url: str = "", browser: Any = None) -> Any:
        """The whole login: start here, log in at the provider, come back. The callback's answer."""
        callback = self.answer(self.start(client, next_url=next_url), username, method=method, browser=browser)
        return self.callback(client, callback)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.fixture
def county(oidc_provider: TestProvider, settings: Any) -> Iterator[County]:
    from django.core.cache import cache

    oidc_provider.misbehave()
    oidc_provider.add_client(
        CLIENT_ID,
        CLIENT_SECRET,
        redirect_uris=["http://testserver/login/oidc/county/callback/"],
        post_logout_redirect_uris=["http://testserver/account/login/"],
    )
    settings.IDENTITY_PROVIDERS = {
        "county": {
            "issuer": oidc_provider.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "organisations": COUNTY,
            **LABELS,
        }
    }
    cache.clear()
    yield County(server=oidc_provider)
    oidc_provider.misbehave()
    cache.clear()


@pytest.fixture
def provider_browser() -> Iterator[requests.Session]:
    """The browser's cookies at the provider (its session survives between steps of a test)."""
    with requests.Session() as session:
        yield session
