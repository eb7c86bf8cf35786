"""Reads for privacy: the access log about a person, the administrators' log search, the
people a data-subject request can be about, and the summary on the "My data" page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from osallisuus.core import selectors as core_selectors
from osallisuus.core.access import Action, gate

from . import register

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from osallisuus.accounts.models import User
    from osallisuus.core.models import AccessLogEntry  # noqa: TID251 - a type only


def access_log_about(*, subject: User, since: dt.datetime | None = None) -> QuerySet[AccessLogEntry]:
    """Entries about the person written by others (their own visits are not listed)."""
    return core_selectors.access_log_about(subject_id=subject.pk, since=since)


def period_start(period: str) -> dt.datetime | None:
    """The start of a period code of the "who has seen my data" filter ('all' gives None)."""
    days = {"30": 30, "90": 90, "365": 365}.get(period)
    if days is None:
        return None
    return timezone.now() - dt.timedelta(days=days)


# -- the administrators' search ---------------------------------------------------------------------


@dataclass(frozen=True)
class AccessLogQuery:
    actor: str = ""
    subject: str = ""
    object_type: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _people_matching(text: str) -> QuerySet[User]:
    user_model = register.user_model()
    return user_model._base_manager.filter(Q(email__icontains=text) | Q(full_name__icontains=text))  # type: ignore[return-value]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def access_log_search(*, actor: User, query: AccessLogQuery) -> QuerySet[AccessLogEntry]:
    """Search the whole log. Only for those who may (``can_search_access_log``); others get nothing."""
    if not actor.permissions.can_search_access_log():
        return core_selectors.access_log_none()
    return core_selectors.access_log_filtered(
        actor_ids=_people_matching(query.actor).values_list("pk", flat=True) if query.actor else None,
        actor_text=query.actor,
        subject_ids=_people_matching(query.subject).values_list("pk", flat=True) if query.subject else None,
        object_type=query.object_type,
        action=query.action,
        since=_day_start(query.date_from) if query.date_from else None,
        before=_day_start(query.date_to + dt.timedelta(days=1)) if query.date_to else None,
    )


def people_by_id(ids: set[int]) -> dict[int, User]:
    """The people behind log rows. The log keeps ids without a constraint, so a missing id is possible."""
    user_model = register.user_model()
    return user_model._base_manager.in_bulk(list(ids))  # type: ignore[return-value]


def object_types_in_log() -> list[str]:
    return core_selectors.access_log_object_types()


# -- data-subject requests --------------------------------------------------------------------------


def request_people(*, actor: User, query: str) -> QuerySet[User]:
    """People a data-subject request can be about (everyone, erased accounts included)."""
    user_model = register.user_model()
    if not actor.permissions.can_handle_privacy_requests() or not query:
        return user_model._base_manager.none()  # type: ignore[return-value]
    return _people_matching(query).order_by("full_name", "email", "pk")


def _request_scope(actor: User) -> QuerySet[User]:
    user_model = register.user_model()
    if actor.permissions.can_handle_privacy_requests():
        return user_model._base_manager.all()  # type: ignore[return-value]
    return user_model._base_manager.none()  # type: ignore[return-value]


def request_subject_get_for_view(*, actor: User, person_id: object, purpose: str, route: str = "") -> User:
    """The gate for a data-subject request: the person, or the same 404 when missing or not allowed.
    Opening a request is logged as a read of the person's data."""
    return gate(
        _request_scope(actor), pk=person_id, actor=actor, purpose=purpose, subject_of=lambda p: p.pk, route=route
    )


def request_subject_get_for_export(*, actor: User, person_id: object) -> User:
    """The same gate without a log row of its own: the export service writes the 'export' row."""
    try:
        return _request_scope(actor).get(pk=person_id)  # type: ignore[misc]
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# -- "My data" ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyDataLine:
    label: str
    name: str
    purpose: StrOrPromise
    """Translated when shown (``gettext_lazy``)."""
    rows: int


def my_data_summary(*, subject: User) -> list[MyDataLine]:
    """What the service keeps about the person: per kind of record, how many rows and why.
    Login sessions are left out: finding them means reading every session."""
    counts: dict[str, MyDataLine] = {}
    for rel in register.relations():
        if rel.costly:
            continue
        n = rel.rows(subject).count()
        line = counts.get(rel.label)
        if line is None:
            counts[rel.label] = MyDataLine(rel.label, rel.shown_name, rel.purpose, n)
        else:
            counts[rel.label] = MyDataLine(line.label, line.name, line.purpose, line.rows + n)
    return sorted((line for line in counts.values() if line.rows), key=lambda line: line.name.lower())


__all__ = [
    "AccessLogQuery",
    "Action",
    "MyDataLine",
    "access_log_about",
    "access_log_search",
    "my_data_summary",
    "object_types_in_log",
    "people_by_id",
    "period_start",
    "request_people",
    "request_subject_get_for_export",
    "request_subject_get_for_view",
]
