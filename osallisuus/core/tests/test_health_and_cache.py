"""Liveness and readiness answers, and a cache whose outage the service survives."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from osallisuus.core.cache import ResilientRedisCache

pytestmark = pytest.mark.django_db


def _dead_redis() -> ResilientRedisCache:
    # nothing listens on port 1: every call fails at once
    return ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})


def test_cache__down__misses_and_dropped_writes_instead_of_errors():
    cache = _dead_redis()
    cache.set("k", "v", 10)
    assert cache.get("k") is None
    assert cache.get("k", "default") == "default"
    assert cache.add("k", "v") is False
    assert cache.delete("k") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.incr("n") == 0


def test_healthz__answers_without_touching_anything(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz__checks_the_database_and_the_cache(client):
    response = client.get("/readyz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_readyz__a_cache_that_does_not_answer__is_503(client, monkeypatch):
    import osallisuus.core.views as views

    monkeypatch.setattr(views, "cache", _dead_redis())
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"
    assert response.json()["database"] == "ok"
    assert caches["default"].get("anything") is None
