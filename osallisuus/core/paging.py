"""Lists that scale: paging, search, filters and sortable columns, all in the address.

One helper for every list page (and the same limits for the API's ``PageQuery``):

    listing = paginate(
        request,
        people_qs,
        sorts={"name": (finnish("full_name"), "pk"), "joined": ("date_joined", "pk")},
        default_sort="name",
        filters={"status": ["active", "paused"]},
        per_page=25,
    )

``listing.rows`` are the rows of this page (sorted and sliced in SQL, counted once);
``listing.query`` holds what was asked (``q``, ``sort``, ``filters``); the templates
``partials/pager.html`` and the tag ``{% sort_header listing "name" label %}`` (``{% load
listing %}``) build links that keep every other parameter, so a list can be bookmarked and
works without JavaScript. A page number out of range shows the nearest page; an unknown sort or
filter value is ignored, never an error. Log the rows shown with ``core.access.log_listing``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.http import HttpRequest, QueryDict

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 200
MAX_QUERY_LENGTH = 100

SortSpec = Sequence[Any]
"""Field names (``"-created_at"`` for a reversed one) or expressions (``finnish("full_name")``)."""


@dataclass(frozen=True)
class ListQuery:
    q: str = ""
    sort: str = ""
    descending: bool = False
    filters: dict[str, str] = field(default_factory=dict)
    page: int = 1

    @property
    def sort_param(self) -> str:
        return f"-{self.sort}" if self.descending else self.sort


def clamp_page(value: object) -> int:
    """A page number from the address: a whole number from 1 on (anything else is 1)."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return max(1, min(number, 1_000_000))


def clamp_limit(value: object, default: int = DEFAULT_PER_PAGE, maximum: int = MAX_PER_PAGE) -> int:
    """How many rows at most: 1 … ``maximum``."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return max(1, min(number, maximum))


def read_query(
    params: QueryDict | Mapping[str, str],
    *,
    sorts: Iterable[str],
    default_sort: str,
    filters: Mapping[str, Iterable[str]] | None = None,
) -> ListQuery:
    """What the address asks for, with every value checked against what the list offers."""
    q = " ".join(str(params.get("q", "") or "").split())[:MAX_QUERY_LENGTH]
    sort_param = str(params.get("sort", "") or "")
    descending = sort_param.startswith("-")
    sort = sort_param.lstrip("-")
    allowed_sorts = set(sorts)
    if sort not in allowed_sorts:
        sort_key = default_sort.lstrip("-")
        sort, descending = sort_key, default_sort.startswith("-")
    chosen: dict[str, str] = {}
    for name, values in (filters or {}).items():
        value = str(params.get(name, "") or "")
        if value and value in {str(v) for v in values}:
            chosen[name] = value
    return ListQuery(q=q, sort=sort, descending=descending, filters=chosen, page=clamp_page(params.get("page", 1)))


def _ordering(spec: SortSpec, descending: bool) -> list[Any]:
    out: list[Any] = []
    for part in spec:
        expression: Any = F(part.lstrip("-")) if isinstance(part, str) else part
        part_descending = isinstance(part, str) and part.startswith("-")
        if isinstance(expression, OrderBy):
            out.append(expression)
            continue
        reverse = descending != part_descending
        out.append(expression.desc() if reverse else expression.asc())
    return out


@dataclass
class Listing:
    page: Page
    query: ListQuery
    params: dict[str, str]
    sorts: tuple[str, ...]

    @property
    def rows(self) -> list[Any]:
        return list(self.page.object_list)

    @property
    def total(self) -> int:
        return int(self.page.paginator.count)

    @property
    def first_index(self) -> int:
        return int(self.page.start_index())

    @property
    def last_index(self) -> int:
        return int(self.page.end_index())

    def url(self, **changes: object) -> str:
        """``?…`` with the same search, filters and sort, and ``changes`` applied."""
        params = dict(self.params)
        for key, value in changes.items():
            if value in (None, ""):
                params.pop(key, None)
            else:
                params[key] = str(value)
        if params.get("page") == "1":
            params.pop("page")
        return "?" + urlencode(sorted(params.items())) if params else "?"

    def page_url(self, number: int) -> str:
        return self.url(page=number)

    def sort_url(self, key: str) -> str:
        """Sorting by ``key``: ascending first, descending when it is already ascending."""
        descending = self.query.sort == key and not self.query.descending
        return self.url(sort=f"-{key}" if descending else key, page=None)

    def aria_sort(self, key: str) -> str:
        if self.query.sort != key:
            return "none"
        return "descending" if self.query.descending else "ascending"


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    sorts: Mapping[str, SortSpec],
    default_sort: str,
    filters: Mapping[str, Iterable[str]] | None = None,
    per_page: int = DEFAULT_PER_PAGE,
    query: ListQuery | None = None,
) -> Listing:
    """Sort, count and slice ``queryset`` in SQL for the page the address asks for.

    The queryset is already searched and filtered by the caller's selector (which uses
    ``listing_query(...)``'s values); this adds the order and the page.
    """
    query = query or read_query(request.GET, sorts=sorts, default_sort=default_sort, filters=filters)
    ordered = queryset.order_by(*_ordering(sorts[query.sort], query.descending))
    paginator = Paginator(ordered, clamp_limit(per_page))
    page = paginator.get_page(query.page)
    params: dict[str, str] = {}
    if query.q:
        params["q"] = query.q
    params.update(query.filters)
    if query.sort != default_sort.lstrip("-") or query.descending != default_sort.startswith("-"):
        params["sort"] = query.sort_param
    listing = Listing(page=page, query=query, params=params, sorts=tuple(sorts))
    if page.number > 1:
        listing.params["page"] = str(page.number)
    return listing
