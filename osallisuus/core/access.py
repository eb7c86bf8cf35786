"""Gate selectors and the access log: the only writer of ``AccessLogEntry``.

Three ways in, one writer:

* ``gate(visible, pk=..., ...)`` returns one object from the actor's *visible* queryset or
  raises the same ``Http404`` whether the object is missing or not the caller's to see, so
  nothing leaks that it exists. A read of another person's data writes one row.
* ``log_listing(actor=..., rows=..., subject_of=..., ...)`` logs the rows a page or an
  endpoint shows (one row per person and object, written in one insert).
* ``log_access(actor=..., subject_id=..., ...)`` logs one read that is not a gate: an export,
  a download, a read in the admin site.

A row never contains the data itself: who, whose, which object, what was done, why, when.
Creating ``AccessLogEntry`` anywhere else is refused by ruff (``TID251``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import Http404

from .models import AccessLogEntry

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")

Action = AccessLogEntry.Action

_ORG_CACHE_ATTR = "_access_log_organisation_label"

# -- purposes: the log keeps an English code, people read it in their own language -----------------
_PURPOSES: dict[str, Any] = {}


def register_purposes(purposes: dict[str, Any]) -> None:
    """A module's purposes (``<app>/purposes.py``: ``PURPOSES = {"people list": _("people list")}``),
    found by ``discover_purposes`` at start-up."""
    _PURPOSES.update(purposes)


def discover_purposes() -> None:
    """Import every installed app's ``purposes`` module and register its ``PURPOSES``."""
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.purposes")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.purposes":
                raise
            continue
        register_purposes(getattr(module, "PURPOSES", {}))


def registered_purposes() -> dict[str, Any]:
    return dict(_PURPOSES)


def purpose_label(code: str) -> str:
    """The purpose of a log row in the reader's language (the code itself if it is not registered)."""
    label = _PURPOSES.get(code)
    return str(label) if label is not None else code


def actor_organisation_label(actor: Any | None) -> str:
    """The organisations the actor acts for, as kept in the log (computed once per actor object,
    so a page that logs many rows asks the database once)."""
    if actor is None or not getattr(actor, "pk", None):
        return ""
    cached = getattr(actor, _ORG_CACHE_ATTR, None)
    if cached is None:
        names = actor.memberships.values_list("organisation__name", flat=True)
        cached = ", ".join(sorted(set(names)))[:200]
        setattr(actor, _ORG_CACHE_ATTR, cached)
    return str(cached)


def _entry(
    *,
    actor: User | None,
    subject_id: int,
    object_type: str,
    object_id: str,
    action: str,
    purpose: str,
    route: str,
) -> AccessLogEntry:
    if not purpose:
        raise ValueError("An access-log entry needs a purpose.")
    return AccessLogEntry(
        actor=actor,
        actor_label=(str(actor) if actor is not None else "")[:200],
        actor_organisation=actor_organisation_label(actor),
        subject_id=subject_id,
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        action=action,
        purpose=str(purpose)[:200],
        route=route[:200],
    )


def log_access(
    *,
    actor: User | None,
    subject_id: int,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    action: str = Action.VIEW,
    purpose: str,
    route: str = "",
) -> AccessLogEntry:
    """Write one access-log row. ``purpose`` is a short phrase (``purposes.py``), never the data."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    entry = _entry(
        actor=actor,
        subject_id=subject_id,
        object_type=object_type,
        object_id=object_id,
        action=action,
        purpose=purpose,
        route=route,
    )
    entry.save()
    return entry


def log_listing(
    *,
    actor: User,
    rows: Iterable[T],
    subject_of: Callable[[T], int | None],
    purpose: str,
    route: str = "",
    action: str = Action.LIST,
    object_of: Callable[[T], tuple[str, object]] | None = None,
) -> int:
    """Log that the actor was shown these rows: one entry per person (the first row shown about
    them), all in one insert, so a page of any length costs the same two queries.

    ``subject_of(row)`` gives whose data the row is (``None`` for nobody's); the actor's own
    rows are not logged. ``object_of(row)`` gives ``(object_type, object_id)``; by default the
    row itself when it is a model instance, else the person. Returns how many rows were written.
    """
    seen: set[int] = set()
    entries: list[AccessLogEntry] = []
    for row in rows:
        subject_id = subject_of(row)
        if subject_id is None or subject_id == actor.pk:
            continue
        if object_of is not None:
            object_type, object_id = object_of(row)
        elif isinstance(row, models.Model):
            object_type, object_id = row._meta.label_lower, row.pk
        else:
            object_type, object_id = "accounts.user", subject_id
        if subject_id in seen:
            continue
        seen.add(subject_id)
        entries.append(
            _entry(
                actor=actor,
                subject_id=subject_id,
                object_type=object_type,
                object_id=str(object_id),
                action=action,
                purpose=purpose,
                route=route,
            )
        )
    if entries:
        AccessLogEntry.objects.bulk_create(entries)
    return len(entries)


class Shown:
    """Collects the people a page shows while it is built, then logs each of them once
    (``log_listing`` underneath). For pages that show people from several relations."""

    def __init__(self, actor: User, purpose: str, route: str = "") -> None:
        self.actor = actor
        self.purpose = purpose
        self.route = route
        self.people: dict[int, Any] = {}

    def add(self, *users: Any) -> None:
        for user in users:
            if user is not None and user.pk != self.actor.pk:
                self.people[user.pk] = user

    def log(self, already: Iterable[int] = ()) -> int:
        skip = set(already)
        return log_listing(
            actor=self.actor,
            rows=[u for pk, u in self.people.items() if pk not in skip],
            subject_of=lambda u: u.pk,
            object_of=lambda u: ("accounts.user", u.pk),
            purpose=self.purpose,
            route=self.route,
        )


def gate(
    queryset: models.QuerySet[M],
    *,
    pk: object,
    actor: User,
    purpose: str,
    subject_of: Callable[[M], int | None],
    action: str = Action.VIEW,
    route: str = "",
) -> M:
    """Return the object from the actor's *visible* queryset or raise ``Http404``.

    ``queryset`` must already be scoped to what the actor may see; the gate never
    looks outside it, so "missing" and "forbidden" are the same answer.
    """
    try:
        obj = queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
        # ValidationError: a malformed id, e.g. a bad UUID.
        raise Http404 from exc
    subject_id = subject_of(obj)
    if subject_id is not None and subject_id != actor.pk:
        log_access(actor=actor, subject_id=subject_id, obj=obj, action=action, purpose=purpose, route=route)
    return obj
