"""The notification centre: every module's notices go through here.

A module declares its kinds once (``register_kind(Kind("experts.offer", _("New task offers")))``
in ``AppConfig.ready``) and calls ``notify`` from its services:

    notify(
        user=expert.user,
        kind="experts.offer",
        subject=_("New task offer: %(title)s"),
        message=_("You have a new task offer: %(title)s, %(when)s."),
        params={"title": request.title, "when": lambda: formatting.datetime(request.starts_at)},
        url=reverse("experts:offers"),
    )

The texts are lazy and the params plain values or callables: both are turned into text in the
*recipient's* language (``user.preferred_language``), so Aino gets Finnish and Sven Swedish,
whoever triggered the notice. The notice is shown in the app (the header shows how many are
unread) and, unless the person has turned that kind off, sent by e-mail after the transaction
commits, by a background task, with a full link (``core.mail``). ``email=False`` keeps a notice
in the app only; ``force_email=True`` is for messages a person cannot turn off (a password link).
Read notices are removed after ``NOTIFICATION_RETENTION_DAYS`` by the scheduled cleanup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from .mail import absolute_url, send
from .models import Notification, NotificationPreference

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    email_default: bool = True
    description: str | Promise = ""


_KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    _KINDS[kind.code] = kind


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: (str(k.label), k.code))


def kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return str(kind.label) if kind else code


register_kind(Kind("core.general", _("Other notices from the service")))

Text = str | Promise
Params = Mapping[str, Any]


def render_text(text: Text, params: Params | None = None) -> str:
    """A lazy text with its params, in the active language; callables among params are called."""
    values = {k: (v() if callable(v) else v) for k, v in (params or {}).items()}
    rendered = str(text)
    return rendered % values if values else rendered


def language_for(user: User) -> str:
    return str(getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE)


def wants_email(*, user: User, kind: str) -> bool:
    preference = NotificationPreference.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
    if preference is not None:
        return bool(preference)
    registered = _KINDS.get(kind)
    return registered.email_default if registered else True


def notify(
    *,
    user: User,
    kind: str,
    message: Text,
    params: Params | None = None,
    subject: Text | None = None,
    url: str = "",
    email: bool = True,
    force_email: bool = False,
) -> Notification:
    """One notice to one person in their language: in the app, and by e-mail if they want it."""
    if kind not in _KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: register_kind() it first.")
    with translation.override(language_for(user)):
        text = render_text(message, params)[:500]
        subject_text = render_text(subject, params)[:200] if subject is not None else ""
    safe_url = url if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None) else ""
    notification = Notification.objects.create(
        user=user, kind=kind, subject=subject_text, message=text, url=safe_url[:500]
    )
    if user.email and (force_email or (email and wants_email(user=user, kind=kind))):
        pk = notification.pk
        transaction.on_commit(lambda: notification_email_send.enqueue(notification_id=pk))
    return notification


def subject_from(message: str, *, limit: int = 90) -> str:
    """A notice without a subject of its own is e-mailed with its first sentence as the subject
    ("Tehtävä siirrettiin: Luento, nyt 5.12.2026 klo 10.00"), so the subject says what it is
    about; a long one is cut at a word, with an ellipsis."""
    text = " ".join(message.split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".")
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–-")
    return f"{cut}…"


def email_send(*, notification_id: int) -> bool:
    """Send one stored notice by e-mail (the background task's body). Sent at most once."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("user").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at is not None or not notification.user.email:
            return False
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    user = notification.user
    with translation.override(language_for(user)):
        subject = notification.subject or subject_from(notification.message) or str(_("A notice from Osallisuus"))
    return send(
        to=user,
        subject=subject,
        template="core/email/notice",
        context={
            "subject": subject,
            "message": notification.message,
            "paragraphs": [p for p in notification.message.split("\n\n") if p.strip()],
            "link": absolute_url(notification.url) if notification.url else "",
            "settings_link": absolute_url("/notifications/settings/"),
        },
        fail_silently=True,
    )


# -- reads and the person's own changes -------------------------------------------------------
def notifications_of(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_open(*, user: User, notification_id: object) -> Notification | None:
    """Mark one of the person's own notices read and return it (``None`` for anyone else's)."""
    try:
        notification = Notification.objects.get(pk=str(notification_id), user=user)
    except (Notification.DoesNotExist, ValueError):
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def preferences_of(*, user: User) -> list[dict[str, Any]]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return [{"kind": k, "code": k.code, "email": chosen.get(k.code, k.email_default)} for k in kinds()]


@transaction.atomic
def preferences_save(*, user: User, email_kinds: set[str]) -> None:
    """The person chooses per kind whether to get e-mail (unknown kinds are ignored)."""
    for kind in kinds():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind.code, defaults={"email": kind.code in email_kinds}
        )


def cleanup(*, now: dt.datetime | None = None) -> int:
    """Remove read notices older than the retention period, and any older than a year."""
    now = now or timezone.now()
    days = int(getattr(settings, "NOTIFICATION_RETENTION_DAYS", 180))
    read_before = now - dt.timedelta(days=days)
    any_before = now - dt.timedelta(days=max(days, 365))
    old = Notification.objects.filter(read_at__isnull=False, created_at__lt=read_before)
    deleted, _detail = old.delete()
    very_old, _detail = Notification.objects.filter(created_at__lt=any_before).delete()
    return int(deleted + very_old)


@task()
def notification_email_send(*, notification_id: int) -> bool:
    """Send one notice by e-mail, after the transaction that made it (at most once)."""
    return email_send(notification_id=notification_id)


@task()
def notifications_cleanup() -> int:
    """Daily: remove read notices past the retention period (``NOTIFICATION_RETENTION_DAYS``)."""
    return cleanup()
