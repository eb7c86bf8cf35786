"""Shared test fixtures: the demo personas (Aino the participant, Ville the own worker,
Kaisa the coordinator...) and a way to log each of them in, second factor included."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("OSALLISUUS_TESTING", "1")


def pytest_configure(config: Any) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]


@dataclass
class Personas:
    users: dict[str, Any]
    organisations: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.users[key]

    def __getattr__(self, key: str) -> Any:
        try:
            return self.users[key]
        except KeyError:
            raise AttributeError(key) from None


@pytest.fixture
def personas(db: None) -> Personas:
    """One user for every role, the same people as the demo logins."""
    from osallisuus.accounts import demo as accounts_demo
    from osallisuus.core.demo import DemoContext

    ctx = DemoContext()
    accounts_demo.load(ctx)
    return Personas(users=ctx.users, organisations=ctx.organisations)


def verify_second_factor(client: Any, user: Any) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def login(client: Any) -> Callable[[Any], Any]:
    """``login(user)`` logs the test client in as that user, with the second factor verified."""

    def _login(user: Any, *, second_factor: bool = True) -> Any:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if second_factor:
            verify_second_factor(client, user)
        return client

    return _login
