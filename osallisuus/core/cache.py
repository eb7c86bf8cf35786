"""A Redis cache that a Redis outage cannot break: every miss and every failure falls through.

Pages, sessions (``cached_db``) and the rights cache read through this backend. When Redis is
down, ``get`` answers "not cached" and writes are dropped, so each request asks the database
instead and the service stays up (login lockout keeps its counters in the database anyway).
Failures are logged once a minute per process, not on every call.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

_last_warning = 0.0


def _warn(operation: str, exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("cache %s failed, falling through to the database: %s", operation, exc.__class__.__name__)


class ResilientRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except Exception as exc:
            _warn("get", exc)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except Exception as exc:
            _warn("get_many", exc)
            return {}

    def set(self, key: Any, value: Any, timeout: Any = ..., version: int | None = None) -> None:
        try:
            if timeout is ...:
                super().set(key, value, version=version)
            else:
                super().set(key, value, timeout, version)
        except Exception as exc:
            _warn("set", exc)

    def add(self, key: Any, value: Any, timeout: Any = ..., version: int | None = None) -> bool:
        try:
            if timeout is ...:
                return bool(super().add(key, value, version=version))
            return bool(super().add(key, value, timeout, version))
        except Exception as exc:
            _warn("add", exc)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().delete(key, version))
        except Exception as exc:
            _warn("delete", exc)
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return int(super().incr(key, delta, version))
        except ValueError:
            raise
        except Exception as exc:
            _warn("incr", exc)
            return 0

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().has_key(key, version))
        except Exception as exc:
            _warn("has_key", exc)
            return False

    def touch(self, key: Any, timeout: Any = ..., version: int | None = None) -> bool:
        try:
            if timeout is ...:
                return bool(super().touch(key, version=version))
            return bool(super().touch(key, timeout, version))
        except Exception as exc:
            _warn("touch", exc)
            return False
