"""What the pages of the module share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .. import selectors
from ..permissions import can_coordinate

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

    from ..models import Expert

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require_coordinator(user: User) -> None:
    decision = can_coordinate(user)
    if not decision:
        raise PermissionDenied(str(decision.reason))


def require_expert(user: User) -> Expert:
    expert = selectors.my_expert_profile(user=user)
    if expert is None:
        raise PermissionDenied(_("This page is for experts by experience."))
    return expert


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
