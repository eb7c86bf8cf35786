"""The worker's pages: answers that clients chose to share with them (never a group-only instrument).
Every read is in the access log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from osallisuus.core.access import log_listing
from osallisuus.core.http import AuthedRequest, render
from osallisuus.core.paging import paginate

from .. import selectors

SHARED_PAGE_SIZE = 25


@login_required
@require_GET
def shared_with_me(request: AuthedRequest) -> HttpResponse:
    listing = paginate(
        request,
        selectors.responses_shared_with(worker=request.user),
        sorts={"sent": ("-submitted_at", "-pk")},
        default_sort="sent",
        per_page=SHARED_PAGE_SIZE,
    )
    log_listing(
        actor=request.user,
        rows=listing.rows,
        subject_of=lambda r: r.respondent_id,
        purpose="questionnaire answers shared by clients (list)",
        route=request.path,
    )
    return render(request, "measurement/shared_list.html", {"listing": listing}, fragment="results")


@login_required
@require_GET
def shared_detail(request: AuthedRequest, response_id: int) -> HttpResponse:
    response = selectors.response_get_for_worker(worker=request.user, pk=response_id, route=request.path)
    return render(
        request, "measurement/shared_detail.html", {"response": response, "rows": selectors.answer_rows(response)}
    )
