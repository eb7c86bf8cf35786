"""Pages of participatory budgeting. The rules are in services and permissions, the reads and gates in
selectors; the views connect them to forms and templates. Every refusal is shown beside its field
with what was typed kept; nothing partial is saved (each service is one transaction)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse

from osallisuus.core.errors import Refusal

from ..models import Process

PAGE_SIZE = 25
CODE_SESSION_KEY = "budgeting_code"
CARD_LANGUAGES = ("fi", "sv", "en")


def _refused(request: HttpRequest, refusal: Refusal) -> None:
    messages.error(request, refusal.message)


def _process_url(process: Process) -> str:
    return reverse("budgeting:process", args=[process.pk])
