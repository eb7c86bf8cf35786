"""Privacy pages: my data, who has seen my data, and the administrators' access-log search,
data-subject requests and record of processing."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts.permissions import Decision
from osallisuus.accounts.selectors import people_log_listing
from osallisuus.core.http import AuthedRequest, render
from osallisuus.core.jobs import job_start

from . import register, selectors, services
from .forms import AccessLogSearchForm, ErasureConfirmForm, PeriodForm, PersonSearchForm
from .tasks import subject_export_job

MY_LOG_PAGE_SIZE = 25
SEARCH_PAGE_SIZE = 50
PEOPLE_PAGE_SIZE = 25


def _require(decision: Decision) -> None:
    """Administrator-only list pages answer other roles with the 403 page."""
    if not decision:
        raise PermissionDenied(str(decision.reason))


# -- every logged-in person ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: AuthedRequest) -> HttpResponse:
    """What the service keeps about me, and a button that makes a JSON file of all of it."""
    user = request.user
    if request.method == "POST":
        job = job_start(
            owner=user,
            kind="privacy.subject_export",
            label=_("Your data as a file"),
            task=subject_export_job,
            total=1,
            subject_id=user.pk,
            actor_id=user.pk,
        )
        return redirect("core:job_progress", job.pk)
    summary = selectors.my_data_summary(subject=user)
    return TemplateResponse(request, "privacy/my_data.html", {"summary": summary})


@login_required
@require_GET
def my_access_log(request: AuthedRequest) -> HttpResponse:
    """'Who has seen my data' (client data act 703/2023): only entries about me, written by others."""
    form = PeriodForm(request.GET or None)
    status = 200
    page = None
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        period = form.period_code() if form.is_bound else "all"
        entries = selectors.access_log_about(
            subject=request.user,
            since=selectors.period_start(period),
        )
        page = Paginator(entries, MY_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "privacy/my_access_log.html", {"form": form, "page": page}, fragment="results", status=status
    )


# -- administrators --------------------------------------------------------------------------------


@login_required
@require_GET
def access_log_search(request: AuthedRequest) -> HttpResponse:
    """Search the whole access log. Every person whose entries are shown gets a 'list' entry."""
    actor = request.user
    _require(actor.permissions.can_search_access_log())
    form = AccessLogSearchForm(request.GET or None)
    status = 200
    page = None
    people: dict[int, Any] = {}
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        query = form.to_query() if form.is_bound else selectors.AccessLogQuery()
        results = selectors.access_log_search(actor=actor, query=query)
        page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        entries = list(page.object_list)
        people = selectors.people_by_id({e.subject_id for e in entries})
        # Everyone named on the page is logged once: whose data it was, and who read it.
        named = dict.fromkeys(i for e in entries for i in (e.subject_id, e.actor_id) if i is not None)
        actors = selectors.people_by_id({i for i in named if i not in people})
        shown = [people.get(i) or actors[i] for i in named if i in people or i in actors]
        people_log_listing(actor=actor, people=shown, purpose="access log search", route=request.path)
        for e in entries:
            e.subject_person = people.get(e.subject_id)
    return render(
        request,
        "privacy/access_log_search.html",
        {"form": form, "page": page, "object_types": selectors.object_types_in_log()},
        fragment="results",
        status=status,
    )


@login_required
@require_GET
def record_of_processing(request: AuthedRequest) -> HttpResponse:
    """The record of processing activities (GDPR art. 30), generated from the register."""
    perms = request.user.permissions
    _require(perms.can_handle_privacy_requests() or perms.can_search_access_log())
    return TemplateResponse(
        request,
        "privacy/record_of_processing.html",
        {
            "records": register.record_of_processing(),
            "without": register.models_without_personal_data(),
        },
    )


@login_required
@require_GET
def requests(request: AuthedRequest) -> HttpResponse:
    """Data-subject requests: find the person who asked."""
    actor = request.user
    _require(actor.permissions.can_handle_privacy_requests())
    form = PersonSearchForm(request.GET or None)
    status = 200
    page = None
    query = ""
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        query = form.cleaned_data["q"].strip()
        if query:
            people = selectors.request_people(actor=actor, query=query)
            page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
            people_log_listing(
                actor=actor,
                people=list(page.object_list),
                purpose="data-subject request search",
                route=request.path,
            )
    return TemplateResponse(
        request, "privacy/requests.html", {"form": form, "page": page, "query": query}, status=status
    )


def _request_page(
    request: HttpRequest, person: Any, *, form: ErasureConfirmForm | None = None, status: int = 200
) -> HttpResponse:
    plan = services.subject_erasure_plan(subject=person)
    return TemplateResponse(
        request,
        "privacy/request_detail.html",
        {"person": person, "plan": plan, "form": form or ErasureConfirmForm()},
        status=status,
    )


@login_required
@require_GET
def request_detail(request: AuthedRequest, person_id: int) -> HttpResponse:
    """One person's request: the erasure dry run, the export and the erasure form."""
    person = selectors.request_subject_get_for_view(
        actor=request.user,
        person_id=person_id,
        purpose="data-subject request",
        route=request.path,
    )
    return _request_page(request, person)


@login_required
@require_POST
def request_erase(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = selectors.request_subject_get_for_view(
        actor=request.user,
        person_id=person_id,
        purpose="data-subject request: erasure",
        route=request.path,
    )
    form = ErasureConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.subject_erase(subject=person, actor=request.user)
        except services.ErasureRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The person's data has been erased. The access log and the change history were kept.")
            )
            return redirect("privacy:request_detail", person.pk)
    return _request_page(request, person, form=form, status=400)


@login_required
@require_POST
def request_export(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The person's export as a JSON download. Written to the access log as an export."""
    person = selectors.request_subject_get_for_export(actor=request.user, person_id=person_id)
    data = services.subject_export(
        subject=person,
        actor=request.user,
        purpose="data-subject request: export",
        route=request.path,
    )
    payload = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    filename = f"osallisuus-data-{person.pk}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
