"""Idle expiry of sessions without a write on every request (``SessionActivityMiddleware``)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SESSION_SEEN_KEY = "_osallisuus_seen"
SEEN_WRITE_INTERVAL = 60


class SessionActivityMiddleware:
    """Idle expiry without writing the session on every request.

    The session keeps the time the person was last seen, written at most once a minute (so
    the session is saved, and its expiry moved on, at most once a minute). A session idle for
    longer than ``SESSION_COOKIE_AGE`` is ended here, whatever the cookie says. Place it right
    after ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(SESSION_SEEN_KEY)
            if isinstance(seen, int) and now - seen > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif not isinstance(seen, int) or now - seen >= SEEN_WRITE_INTERVAL:
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


def mark_seen(request: HttpRequest) -> None:
    """The person acted ("Continue my session"): start the idle time again now."""
    request.session[SESSION_SEEN_KEY] = int(time.time())
