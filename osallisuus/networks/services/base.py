"""Shared pieces of the package: imports, constants and helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from osallisuus.core.errors import Conflict, Forbidden, Refusal

from .. import permissions
from ..models import (
    Network,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

INVITATION_DAYS = 14
TIE_WINDOW_DAYS = 365
"""A tie from meetings lasts a year after the last meeting the two attended together."""
ABSENT_AFTER_MEETINGS = 3
"""A member is counted as absent when she attended none of this many last meetings."""
CLOSING_NOTICE_DAYS = 30
"""A project network asks its coordinator whether to close it this many days before its end."""


class NetworkRefusal(Refusal):
    pass


def _check_decision(decision: Any, *, status: int = 403) -> None:
    if not decision:
        raise Forbidden(decision.reason) if status == 403 else Conflict(decision.reason)


def _coordinate(actor: User, network: Network) -> None:
    if network.is_closed:
        raise Conflict(_("The network has been closed. Its history can be read but not changed."), code="closed")
    _check_decision(permissions.can_coordinate(actor, network))
