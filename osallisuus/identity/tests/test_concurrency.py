"""Two first logins of the same subject at the same moment never make two links (PostgreSQL:
row locks and the unique constraints decide; SQLite serialises writes, so conftest.py
deselects these there)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from osallisuus.identity import services
from osallisuus.identity.models import Invitation, ProviderLink
from osallisuus.identity.oidc import VerifiedLogin
from osallisuus.identity.providers import parse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ISSUER = "https://login.example.fi/realms/county"
RAW = {"issuer": ISSUER, "client_id": "osallisuus", "client_secret": "s", "organisations": "*"}


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in parallel threads, each with its own connection; their results or errors."""
    results: list[Any] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = calls[i]()
        except Exception as exc:
            results[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def invitation_for(email: str) -> Invitation:
    from osallisuus.accounts.models import User

    user = User.objects.create_user(email, "x", full_name=email.split("@")[0].title())
    return Invitation.objects.create(
        user=user,
        provider="county",
        token_hash=email.ljust(64, "x")[:64],
        expires_at=timezone.now() + dt.timedelta(days=1),
    )


def test_one_subject_through_two_invitations_at_once__one_link_the_other_refused(settings):
    settings.IDENTITY_PROVIDERS = {"county": RAW}
    provider = parse("county", RAW)
    first, second = invitation_for("a@example.test"), invitation_for("b@example.test")
    login = VerifiedLogin(provider_key="county", issuer=ISSUER, subject="same-person")

    results = at_once(
        [
            lambda: services.login_resolve(provider=provider, login=login, invitation_id=first.pk),
            lambda: services.login_resolve(provider=provider, login=login, invitation_id=second.pk),
        ]
    )

    refused = [r for r in results if isinstance(r, services.LoginRefused)]
    resolved = [r for r in results if isinstance(r, services.Resolved)]
    assert len(resolved) == 1
    assert [r.code for r in refused] == ["linked_elsewhere"]
    assert ProviderLink.objects.filter(subject="same-person").count() == 1
    assert Invitation.objects.filter(used_at__isnull=False).count() == 1  # the refused one stays unused


def test_two_subjects_through_one_invitation_at_once__one_link(settings):
    settings.IDENTITY_PROVIDERS = {"county": RAW}
    provider = parse("county", RAW)
    invitation = invitation_for("c@example.test")
    logins = [VerifiedLogin(provider_key="county", issuer=ISSUER, subject=s) for s in ("phone", "laptop")]

    results = at_once(
        [
            lambda login=login: services.login_resolve(provider=provider, login=login, invitation_id=invitation.pk)
            for login in logins
        ]
    )

    assert sum(isinstance(r, services.Resolved) for r in results) == 1
    assert [r.code for r in results if isinstance(r, services.LoginRefused)] == ["invitation_invalid"]
    assert ProviderLink.objects.filter(user=invitation.user).count() == 1
