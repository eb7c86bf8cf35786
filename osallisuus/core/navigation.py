"""Role-aware navigation and the front page's sections. Modules register their entries here.

Two registries:

* ``register(NavEntry(...))`` adds a link to the main menu. An entry is shown when the user
  holds one of its roles (or, with no roles given, to everyone who is logged in), holds its
  permission if it names one, and passes its ``when`` check if it has one.
* ``register_home(HomeEntry(...))`` adds a link with a one-line description to the front
  page, in the section of one role. After login every person lands on the front page,
  which has one short section for each role they hold: what that role does here and
  the links the modules have registered for it.

A module calls both from its ``AppConfig.ready()``. The foundation's own entries are at
the end of this file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from osallisuus.accounts.models import Membership


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    roles: tuple[str, ...] = ()
    permission: str = ""
    order: int = 100
    when: Callable[[HttpRequest], bool] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class HomeEntry:
    """A link on the front page in the section of ``role``."""

    role: str
    url_name: str
    label: str | Promise
    description: str | Promise = ""
    permission: str = ""
    order: int = 100
    when: Callable[[HttpRequest], bool] | None = field(default=None, compare=False)


_ENTRIES: list[NavEntry] = []
_HOME_ENTRIES: list[HomeEntry] = []

# What each role does here, in one or two plain sentences (shown on the front page).
ROLE_INTRODUCTIONS: dict[str, str | Promise] = {
    "participant": _("Plan your own activities together with your own worker and follow how your goals move forward."),
    "own_worker": _("Write and follow your clients' plans together with them."),
    "coordinator": _(
        "Register and train experts by experience, pass on task requests to them and follow how they are doing."
    ),
    "expert": _("Keep your profile up to date, answer task offers and see your fees and earnings."),
    "orderer": _("Order an expert by experience for a task, and confirm when the task has been done."),
    "partner_worker": _("Work beside an expert by experience at your workplace and help them find their place there."),
    "network_coordinator": _("Run your collaboration networks: members, meetings, goals and evaluations."),
    "network_member": _("Take part in the work of your networks: meetings, goals and evaluations."),
    "funder_officer": _("Run funding programmes and calls, and follow applications, decisions and payments."),
    "civic_unit": _("Run the partnership funding model: calls, ideas, hearings and decisions."),
    "applicant": _("Share ideas, apply for funding for your organisation's activities and report on them."),
    "steering_group": _("Follow the partnership funding and take part in its decisions."),
    "activity_provider": _("Run activities for participants and record how they went."),
    "analyst": _("See anonymous figures and reports. You never see the data of individual people."),
    "administrator": _("Look after organisations, users, code lists and fee schedules, and read the feedback."),
}


def register(entry: NavEntry) -> None:
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)


def register_home(entry: HomeEntry) -> None:
    if entry not in _HOME_ENTRIES:
        _HOME_ENTRIES.append(entry)


def _allowed(request: HttpRequest, *, roles: Iterable[str], permission: str, when: Any) -> bool:
    user = request.user
    perms = user.permissions  # type: ignore[union-attr]
    roles = tuple(roles)
    if (
        roles
        and not (perms.role_codes & set(roles))
        and not (
            "administrator" in roles and user.is_superuser  # type: ignore[union-attr]
        )
    ):
        return False
    if permission and not (perms.has(permission) or user.is_superuser):  # type: ignore[union-attr]
        return False
    return when is None or bool(when(request))


def navigation_for(request: HttpRequest) -> list[dict[str, Any]]:
    items = []
    current = request.path
    for entry in sorted(_ENTRIES, key=lambda e: (e.order, str(e.label))):
        if not _allowed(request, roles=entry.roles, permission=entry.permission, when=entry.when):
            continue
        url = reverse(entry.url_name)
        is_current = current == url or (url != "/" and current.startswith(url))
        items.append({"url": url, "label": entry.label, "current": is_current})
    return items


def home_sections(request: HttpRequest, *, memberships: Iterable[Membership]) -> list[dict[str, Any]]:
    """One section per role the user holds: its name, where they hold it, what it does, its links.

    ``memberships`` must have ``organisation`` and ``roles`` loaded (``memberships_of``),
    so building the sections issues no queries of its own.
    """
    by_role: dict[str, dict[str, Any]] = {}
    for membership in memberships:
        for role in membership.roles.all():
            section = by_role.setdefault(
                role.code,
                {
                    "code": role.code,
                    "name": role.name,
                    "sort": (role.sort_order, role.code),
                    "organisations": [],
                    "introduction": ROLE_INTRODUCTIONS.get(role.code, ""),
                    "links": [],
                },
            )
            section["organisations"].append(membership.organisation.name)
    for entry in sorted(_HOME_ENTRIES, key=lambda e: (e.order, str(e.label))):
        target = by_role.get(entry.role)
        if target is None or not _allowed(request, roles=(), permission=entry.permission, when=entry.when):
            continue
        target["links"].append({"url": reverse(entry.url_name), "label": entry.label, "description": entry.description})
    return sorted(by_role.values(), key=lambda s: s["sort"])


# -- the foundation's own entries ------------------------------------------------------------
def _can_handle_feedback(request: HttpRequest) -> bool:
    return bool(request.user.permissions.can_handle_feedback())  # type: ignore[union-attr]


def _sees_people_of_organisation(request: HttpRequest) -> bool:
    return bool(request.user.permissions.has("people.view_organisation"))  # type: ignore[union-attr]


register(NavEntry("core:feedback_admin", _("Feedback"), order=90, when=_can_handle_feedback))
register_home(
    HomeEntry(
        "coordinator",
        "accounts:people",
        _("People"),
        _("The people of your organisation and their contact details."),
        permission="people.view_organisation",
        order=80,
    )
)
for _role in ("own_worker", "partner_worker"):
    register_home(
        HomeEntry(
            _role,
            "accounts:people",
            _("My clients"),
            _("The people you work with."),
            permission="people.view_clients",
            order=80,
            when=lambda r: not _sees_people_of_organisation(r),
        )
    )
register_home(
    HomeEntry(
        "administrator",
        "core:feedback_admin",
        _("Feedback"),
        _("Read the feedback people have sent and mark it handled."),
        order=90,
        when=_can_handle_feedback,
    )
)
