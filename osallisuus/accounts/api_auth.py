"""API authentication: the browser session (CSRF-checked) or a personal bearer token.

Tokens: ``osa_`` followed by 43 random characters. Only the SHA-256 hash is stored, so a
leaked database does not leak usable tokens; the token itself is shown once when it is
made. A token expires (1–365 days), can be revoked on /account/api-tokens/, and stops
working when its owner is deactivated. It acts with its owner's rights and nothing more.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from osallisuus.core import events

from .models import ApiToken, User

TOKEN_PREFIX = "osa_"  # noqa: S105 - a public marker, not a secret
MAX_TOKEN_LENGTH = 200
# Writing "last used" on every request would turn each read into a write; once a minute is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown to the user only once."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=raw[:10],
        token_hash=token_hash(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    events.record(actor=user, verb="accounts.api_token.created", target=token, subject=user, data={"days": days})
    return token, raw


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the user's own active tokens. False when there is no such token."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user, revoked_at__isnull=True).first()
    if token is None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    events.record(actor=user, verb="accounts.api_token.revoked", target=token, subject=user)
    return True


def tokens_of(*, user: User) -> Any:
    """The user's tokens that are not revoked, newest first (expired ones included, marked by date)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


def token_user(raw: str) -> User | None:
    """The active owner of a valid, unexpired, unrevoked token, or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > MAX_TOKEN_LENGTH:
        return None
    now = timezone.now()
    found = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if found is None:
        return None
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user


class VerifiedSessionAuth(SessionAuth):
    """The page session. Staff who need a second factor must have verified it.

    CSRF is checked for unsafe methods, but only once the session has identified
    someone: an anonymous request gets 401, not a CSRF error.
    """

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if user.permissions.requires_second_factor and not user.is_verified():
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("The security check failed. Reload the page and try again."))
        return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer osa_...``: a personal token made on /account/api-tokens/."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_user(token.strip())
        if user is not None:
            request.user = user
        return user


def auth_methods() -> list[Any]:
    return [TokenAuth(), VerifiedSessionAuth()]
