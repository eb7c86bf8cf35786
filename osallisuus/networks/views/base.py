"""Shared pieces of the package: imports, constants and helpers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.urls import reverse

from osallisuus.core.errors import Refusal
from osallisuus.core.paging import Listing, ListQuery, clamp_page

from ..models import Network

PAGE_SIZE = 20
TABLE_PAGE_SIZE = 50
"""Rows of the member table on the network page and of the picture's table, per page."""


def _list_page(
    request: HttpRequest, rows: list[Any], *, keep: dict[str, str], per_page: int = TABLE_PAGE_SIZE
) -> Listing:
    """A page of rows already in order (the picture's table, sorted by the figures), with the
    project's pager (``partials/pager.html``) keeping the other parameters of the address."""
    page = Paginator(rows, per_page).get_page(clamp_page(request.GET.get("page")))
    params = {k: v for k, v in keep.items() if v}
    if page.number > 1:
        params["page"] = str(page.number)
    return Listing(page=page, query=ListQuery(page=page.number), params=params, sorts=())


def _refused(request: HttpRequest, refusal: Refusal) -> None:
    messages.error(request, refusal.message)


def _network_url(network: Network, anchor: str = "") -> str:
    return reverse("networks:network", args=[network.pk]) + (f"#{anchor}" if anchor else "")


def _require(decision: Any) -> None:
    if not decision:
        raise PermissionDenied(str(decision.reason))
