"""The own worker's caseload: the plans of their clients, searched, filtered, sorted and paged in
the address; what needs attention is counted for the rows of the page only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from osallisuus.core.http import AuthedRequest, render
from osallisuus.core.paging import paginate, read_query

from .. import permissions, selectors
from ..models import Plan
from ._common import require

CASELOAD_PAGE_SIZE = 25


@login_required
@require_GET
def caseload(request: AuthedRequest) -> HttpResponse:
    require(permissions.can_view_caseload(request.user))
    sorts, filters = selectors.CASELOAD_SORTS, selectors.CASELOAD_FILTERS
    query = read_query(request.GET, sorts=sorts, default_sort="attention", filters=filters)
    listing = paginate(
        request,
        selectors.caseload(
            actor=request.user,
            q=query.q,
            status=query.filters.get("status", ""),
            changed=query.filters.get("changed") == "1",
        ),
        sorts=sorts,
        default_sort="attention",
        filters=filters,
        per_page=CASELOAD_PAGE_SIZE,
        query=query,
    )
    plans = listing.rows
    selectors.caseload_log(actor=request.user, plans=plans, route=request.path)
    context = {
        "listing": listing,
        "rows": selectors.caseload_figures(plans=plans),
        "query": query,
        "status": query.filters.get("status", ""),
        "changed": query.filters.get("changed") == "1",
        "status_choices": Plan.Status.choices,
    }
    return render(request, "activation/caseload.html", context, fragment="results")
