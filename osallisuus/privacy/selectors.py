from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from osallisuus.core.models import AccessLogEntry

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def access_log_about(*, subject: User) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(subject=subject).exclude(actor=subject).order_by("-occurred_at", "-id")
