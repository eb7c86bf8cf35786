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
    # An app that imports a module with tasks from its AppConfig.ready (e.g. to register its
    # notification kinds) has already made the task backend from the settings: make it again.
    from django.core.signals import setting_changed

    setting_changed.send(sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True)
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]


_MIGRATED_DATA: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Right after the test database is migrated, keep the rows the data migrations made
    (roles, permissions, code lists) so ``migrated_data`` can put them back."""
    import json

    from django.apps import apps
    from django.db import connection

    from osallisuus.core.db import AppendOnlyModel

    project = {c.label for c in apps.get_app_configs() if c.name.startswith("osallisuus.")}
    append_only = {m._meta.label_lower for m in apps.get_models() if issubclass(m, AppendOnlyModel)}
    with django_db_blocker.unblock():
        rows = json.loads(connection.creation.serialize_db_to_string())
    kept = [r for r in rows if r["model"].split(".")[0] in project and r["model"] not in append_only]
    _MIGRATED_DATA["default"] = json.dumps(kept)


@pytest.fixture
def migrated_data(transactional_db: None) -> None:
    """For transactional tests (the browser tests): put back the rows the data migrations made,
    which the flush after every transactional test removes. Django's serialized_rollback cannot
    do this on PostgreSQL, which refuses to rewrite the append-only log rows; those are left out."""
    import json

    from django.apps import apps
    from django.db import connection

    rows = json.loads(_MIGRATED_DATA.get("default") or "[]")
    # Tables that already have rows were not flushed yet, or were filled again by a
    # post_migrate handler during the flush: leave those as they are.
    empty = {label for label in {r["model"] for r in rows} if not apps.get_model(label)._base_manager.exists()}
    missing = [r for r in rows if r["model"] in empty]
    if missing:
        connection.creation.deserialize_db_from_string(json.dumps(missing))


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


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Tests marked ``postgres`` (row locks, triggers, parallel transactions) run only on
    PostgreSQL; on SQLite they are deselected, so the summary says so instead of skipping."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    selected, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgres") else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
