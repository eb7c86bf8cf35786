"""API authentication: the browser session (CSRF-checked) or a personal bearer token."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken, User

TOKEN_PREFIX = "osa_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(*, user: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown to the user only once."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=raw[:10],
        token_hash=token_hash(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    return token, raw


class VerifiedSessionAuth(SessionAuth):
    """The page session; staff who need a second factor must have verified it."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        if user.permissions.requires_second_factor and not user.is_verified():
            return None
        return user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        now = timezone.now()
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=token_hash(token), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


def auth_methods() -> list[Any]:
    return [TokenAuth(), VerifiedSessionAuth()]
