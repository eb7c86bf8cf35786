"""Role-aware navigation and the front page's sections. Modules register their entries here.

Two registries:

* ``register(NavEntry(...))`` adds a link to the main menu. An entry is shown when the user
  holds one of its roles (or, with no roles given, to everyone who is logged in), holds its
  permission if it names one, and passes its ``when`` check if it has one.
* ``register_home(HomeEntry(...))`` adds a link with a one-line description to the front
  page, in the section of one role. After login every person lands on the front page,
  which has one short section for each role they hold: what that role does here and
  the links the modules have registered for it.
* ``register_queue(QueueEntry(...))`` adds a work queue to the top of the front page: what
  waits for the person, with a count and a link ("3 new requests"). Its ``count`` is asked
  only of people who hold its permission; a queue with nothing waiting is not shown, and a
  person with no waiting work reads one calm sentence instead.

A module calls these from its ``AppConfig.ready()``. The foundation's own entries are at
the end of this file. The front page gets the person's memberships from the loader the
accounts app sets (``set_memberships_loader``), so core imports no other app.
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


@dataclass(frozen=True)
class QueueEntry:
    """Work that waits for a person: ``count(request)`` gives how many, ``url_name`` where."""

    key: str
    label: Callable[[int], str]
    """The line shown, given the count: ``lambda n: ngettext("%(n)d new request", ...) % {"n": n}``."""
    url_name: str
    count: Callable[[HttpRequest], int] = field(compare=False)
    permission: str = ""
    order: int = 100
    url_query: str = ""


_ENTRIES: list[NavEntry] = []
_HOME_ENTRIES: list[HomeEntry] = []
_QUEUES: list[QueueEntry] = []
_memberships_loader: Callable[[Any], list[Any]] = lambda user: []  # noqa: E731 - replaced by accounts

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


def register_queue(entry: QueueEntry) -> None:
    if all(e.key != entry.key for e in _QUEUES):
        _QUEUES.append(entry)


def set_memberships_loader(loader: Callable[[Any], list[Any]]) -> None:
    """The accounts app gives the front page a person's current memberships (with organisation
    and roles loaded) through this, so the foundation imports no app."""
    global _memberships_loader
    _memberships_loader = loader


def memberships_for(user: Any) -> list[Any]:
    return _memberships_loader(user)


def work_queues(request: HttpRequest) -> list[dict[str, Any]]:
    """What waits for the person now: one line per queue with something in it."""
    user = request.user
    perms = user.permissions  # type: ignore[union-attr]  # an authenticated User here
    out = []
    for entry in sorted(_QUEUES, key=lambda e: (e.order, e.key)):
        if entry.permission and not perms.has(entry.permission):
            continue
        n = int(entry.count(request))
        if n <= 0:
            continue
        url = reverse(entry.url_name)
        if entry.url_query:
            url = f"{url}?{entry.url_query}"
        out.append({"key": entry.key, "count": n, "label": entry.label(n), "url": url})
    return out


def _allowed(request: HttpRequest, *, roles: Iterable[str], permission: str, when: Any) -> bool:
    user = request.user
    perms = user.permissions  # type: ignore[union-attr]  # an authenticated User here
    roles = tuple(roles)
    if roles and not (perms.role_codes & set(roles)) and not ("administrator" in roles and user.is_superuser):
        return False
    # No shortcut for a superuser: the menu holds only what the person's roles let them open.
    if permission and not perms.has(permission):
        return False
    return when is None or bool(when(request))


def navigation_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The menu: one item is the current one, the longest address the page is under (on
    ``/plan/activities/`` that is "Activities", not also "My plan" at ``/plan/``)."""
    items: list[dict[str, Any]] = []
    current = request.path
    for entry in sorted(_ENTRIES, key=lambda e: (e.order, str(e.label))):
        if not _allowed(request, roles=entry.roles, permission=entry.permission, when=entry.when):
            continue
        url = reverse(entry.url_name)
        if any(item["url"] == url for item in items):
            continue  # two entries for one page (e.g. "People" and "My clients"): the first fits
        items.append({"url": url, "label": entry.label, "current": False})
    under = [i for i in items if current == i["url"] or (i["url"] != "/" and current.startswith(i["url"]))]
    if under:
        max(under, key=lambda item: len(item["url"]))["current"] = True
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
    # A role whose module has no pages yet (or none this person may open) gets no card.
    return sorted((s for s in by_role.values() if s["links"]), key=lambda s: s["sort"])


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
register_home(
    HomeEntry(
        "own_worker",
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
