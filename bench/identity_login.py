"""Benchmark: the OpenID Connect callback and the back-channel logout, against the real test
provider (tests/oidc_provider, started on 127.0.0.1 by this script).

Makes its own data in a throw-away database, then prints:

* the SQL queries of one callback (code → tokens → checks → account → session) with 10 and with
  1,000 other people linked to the provider (they must be the same);
* the median time of a callback with the provider's keys kept in the cache (ours) against one
  that fetches the JWKS every time (what mozilla-django-oidc does by itself), measured in the
  same run, and their ratio;
* the SQL queries and the median time of a back-channel logout with 10 and with 1,000 other open
  sessions (the same queries: the logout token names the session).

    .venv/bin/python bench/identity_login.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/identity_login.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="osallisuus-bench-")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
settings.SECURE_SSL_REDIRECT = False
settings.SESSION_COOKIE_SECURE = False
settings.CSRF_COOKIE_SECURE = False

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.oidc_provider.server import TestProvider  # noqa: E402

RUNS = 15
CLIENT_ID = "osallisuus-bench"
CLIENT_SECRET = "bench-client-secret"  # noqa: S105 - the throw-away test provider's client
PASSWORD = "bench-password-1"  # noqa: S105 - a person at the throw-away test provider


def configure(provider: TestProvider) -> None:
    provider.add_client(CLIENT_ID, CLIENT_SECRET, redirect_uris=["http://testserver/login/oidc/county/callback/"])
    settings.IDENTITY_PROVIDERS = {
        "county": {
            "issuer": provider.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "organisations": "*",
            "userinfo": "0",
        }
    }


def people(provider: TestProvider, count: int, start: int) -> None:
    """``count`` more people linked to the provider, each with an open session record."""
    from osallisuus.accounts.models import User
    from osallisuus.identity.models import LoginSession, ProviderLink

    users = User.objects.bulk_create(
        User(email=f"p{i}@bench.test", full_name=f"Henkilö {i}") for i in range(start, start + count)
    )
    links = ProviderLink.objects.bulk_create(
        ProviderLink(user=u, name="x", provider="county", issuer=provider.issuer, subject=f"s{u.pk}", made_by="x")
        for u in users
    )
    LoginSession.objects.bulk_create(
        LoginSession(link=link, session_key=f"k{link.pk}", sid=f"sid{link.pk}") for link in links
    )


def callback_path(client: Client, provider: TestProvider) -> str:
    start = client.get("/login/oidc/county/")
    location = provider.authorize(start["Location"], username="aino", password=PASSWORD, method="mfa")
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def one_callback(provider: TestProvider, *, keep_keys: bool) -> tuple[float, int]:
    client = Client()
    path = callback_path(client, provider)
    if not keep_keys:
        cache.delete(f"identity:jwks:{provider.issuer}")
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - began
    assert response.status_code == 302
    assert "/result/" not in response["Location"], response["Location"]
    return elapsed, len(queries)


def one_backchannel(provider: TestProvider) -> tuple[float, int]:
    client = Client()
    client.get(callback_path(client, provider))
    token = provider.logout_token("aino", CLIENT_ID)
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = Client().post("/login/oidc/county/backchannel-logout/", {"logout_token": token})
        elapsed = time.perf_counter() - began
    assert response.status_code == 200
    return elapsed, len(queries)


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    provider = TestProvider().start()
    try:
        configure(provider)
        from osallisuus.accounts.models import User
        from osallisuus.identity.models import ProviderLink

        aino = User.objects.create_user("aino@bench.test", None, full_name="Aino Mäkinen")
        subject = provider.add_user("aino", PASSWORD, first_name="Aino", last_name="Mäkinen", email="aino@bench.test")
        ProviderLink.objects.create(
            user=aino, name="x", provider="county", issuer=provider.issuer, subject=subject, made_by="x"
        )
        one_callback(provider, keep_keys=True)  # warm up: discovery and keys in the cache

        figures: dict[str, Any] = {}
        for others, start in ((10, 0), (990, 10)):
            people(provider, others, start)
            total = ProviderLink.objects.count() - 1
            callbacks = [one_callback(provider, keep_keys=True) for _ in range(RUNS)]
            fetching = [one_callback(provider, keep_keys=False) for _ in range(RUNS)]
            logouts = [one_backchannel(provider) for _ in range(RUNS)]
            figures[total] = {
                "callback_queries": max(q for _t, q in callbacks),
                "callback_ms": median_ms([t for t, _q in callbacks]),
                "fetching_ms": median_ms([t for t, _q in fetching]),
                "logout_queries": max(q for _t, q in logouts),
                "logout_ms": median_ms([t for t, _q in logouts]),
            }
        out = sys.stdout
        out.write(f"identity login benchmark ({connection.vendor}, {RUNS} runs each, medians)\n")
        for total, f in figures.items():
            out.write(
                f"  {total:>5} other people linked: callback {f['callback_queries']} queries, "
                f"{f['callback_ms']:.1f} ms with the keys kept, {f['fetching_ms']:.1f} ms fetching the JWKS "
                f"every time (ratio {f['fetching_ms'] / f['callback_ms']:.2f}); back-channel logout "
                f"{f['logout_queries']} queries, {f['logout_ms']:.1f} ms\n"
            )
        small, large = figures[10], figures[1000]
        same = (
            small["callback_queries"] == large["callback_queries"]
            and small["logout_queries"] == large["logout_queries"]
        )
        out.write(f"  queries the same at 10 and 1,000: {'yes' if same else 'NO'}\n")
    finally:
        provider.stop()


if __name__ == "__main__":
    main()
