"""Writes and helpers for logging in safely: the lockout key, password change and the second factor.

The brute-force counters (django-axes) and the second-factor throttle live in the database,
so every app process behind a load balancer sees the same failures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallisuus.core import events

from .models import User


def login_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The name django-axes counts failures under (AXES_USERNAME_CALLABLE).

    Login accepts the e-mail in any letter case, so the counter must too: otherwise
    ``Kaisa@...`` and ``kaisa@...`` would each get their own five attempts.
    """
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username", "") if request.method == "POST" else ""
    return str(raw).strip().lower()[:254]


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """Set a new password (already checked by the password validators) and record the change."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    events.record(actor=user, verb="accounts.password.changed", target=user, subject=user)


def second_factor_device(*, user: User) -> tuple[TOTPDevice, bool]:
    """The user's confirmed authenticator, or an unconfirmed one to set up (``setup`` is True)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is not None:
        return device, False
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device, True


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    device: TOTPDevice
    wait_seconds: int = 0
    """More than 0 when too many wrong codes were given and the device is resting."""


@transaction.atomic
def second_factor_verify(*, user: User, device: TOTPDevice, code: str) -> CodeCheck:
    """Check a one-time code. The device row is locked so parallel requests in several
    processes cannot get past the throttle; a right code confirms a new device."""
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    allowed, info = locked.verify_is_allowed()
    if not allowed:
        return CodeCheck(ok=False, device=locked, wait_seconds=_seconds_until((info or {}).get("locked_until")))
    if not locked.verify_token(code.strip()):
        return CodeCheck(ok=False, device=locked)
    if not locked.confirmed:
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        events.record(actor=user, verb="accounts.second_factor.set_up", target=locked, subject=user)
    return CodeCheck(ok=True, device=locked)


def _seconds_until(moment: Any) -> int:
    if moment is None:
        return 1
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))
