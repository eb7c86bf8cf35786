"""The funding module's navigation, front-page links and work queues (registered from ``apps.ready``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from osallisuus.core.navigation import NavEntry, register

from .permissions import ALL


def _takes_part(request: Any) -> bool:
    perms = request.user.permissions
    return any(perms.has(code) for code in ALL)


def register_entries() -> None:
    register(NavEntry("funding:home", _("Partnership funding"), order=45, when=_takes_part))
