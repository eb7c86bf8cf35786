"""What the measurement pages share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from osallisuus.accounts.permissions import Decision


def require(decision: Decision) -> None:
    """A page the person may not use at all: 403 with the reason (a missing or someone else's
    object is a gate's 404 instead)."""
    if not decision:
        raise PermissionDenied(decision.reason)
