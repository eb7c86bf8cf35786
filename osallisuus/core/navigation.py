"""Role-aware navigation. Modules register their entries with ``register``.

An entry is shown when the user holds one of its roles (or, with no roles given, to
everyone who is logged in) and, if it names a permission, holds that permission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    roles: tuple[str, ...] = ()
    permission: str = ""
    order: int = 100
    when: Callable[[HttpRequest], bool] | None = field(default=None, compare=False)


_ENTRIES: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    user = request.user
    perms = user.permissions  # type: ignore[union-attr]
    roles = perms.role_codes
    items = []
    current = request.path
    for entry in sorted(_ENTRIES, key=lambda e: (e.order, str(e.label))):
        if entry.roles and not (roles & set(entry.roles)) and not (
            "administrator" in entry.roles and user.is_superuser  # type: ignore[union-attr]
        ):
            continue
        if entry.permission and not (perms.has(entry.permission) or user.is_superuser):  # type: ignore[union-attr]
            continue
        if entry.when is not None and not entry.when(request):
            continue
        url = reverse(entry.url_name)
        is_current = current == url or (url != "/" and current.startswith(url))
        items.append({"url": url, "label": entry.label, "current": is_current})
    return items
