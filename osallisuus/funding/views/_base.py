"""What the funding pages share. The rules are in services and permissions, the reads and gates in
selectors; the views connect them to forms and templates. Every refusal is shown beside its field
with what was typed kept; nothing partial is saved (each service is one transaction)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from osallisuus.accounts.permissions import Decision
from osallisuus.core.errors import Refusal


def refused(request: HttpRequest, refusal: Refusal) -> None:
    messages.error(request, refusal.message)


def require(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(str(decision.reason))
