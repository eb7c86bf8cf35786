"""Keys of the cache of what each person holds (``accounts.permissions``), and their invalidation.

Kept apart from the models and the permissions so that both can use it without a cycle.
A generation number covers changes that touch everyone (a role's permissions); a person's key
also carries the date, because memberships are valid between dates.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

_GLOBAL_KEY = "perm:gen"


def _generation() -> int:
    try:
        value = cache.get(_GLOBAL_KEY)
        if value is None:
            value = 1
            cache.add(_GLOBAL_KEY, value, None)
        return int(value)
    except Exception:  # the cache is down: the database answers
        logger.warning("permissions cache unavailable", exc_info=True)
        return 0


def _user_key(user_id: int, generation: int) -> str:
    return f"perm:{generation}:{user_id}:{timezone.localdate().isoformat()}"


def invalidate_user(user_id: int) -> None:
    """Forget what one person holds (a membership of theirs changed)."""
    try:
        cache.delete(_user_key(user_id, _generation()))
    except Exception:
        logger.warning("permissions cache unavailable", exc_info=True)


def invalidate_all() -> None:
    """Forget what everyone holds (a role, a permission or an organisation changed)."""
    try:
        cache.incr(_GLOBAL_KEY) if cache.get(_GLOBAL_KEY) is not None else cache.set(_GLOBAL_KEY, 2, None)
    except Exception:
        logger.warning("permissions cache unavailable", exc_info=True)


