from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for
from .notifications import unread_count


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "nav_items": navigation_for(request) if authenticated else [],
        "unread_notifications": (lambda: unread_count(user=request.user)) if authenticated else 0,  # type: ignore[arg-type]
        "session_idle_seconds": settings.SESSION_COOKIE_AGE if authenticated else 0,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "demo_mode": settings.DEMO_MODE,
    }
