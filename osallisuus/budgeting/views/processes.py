"""Pages of the process: the list, the process page, its phases and the list of voters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts import selectors as accounts
from osallisuus.activation import permissions as activation
from osallisuus.core.collation import finnish
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.paging import paginate, read_query

from .. import permissions, selectors, services
from ..forms import (
    EligibleAddForm,
    OrganisationChoiceForm,
    ProcessForm,
)
from ..models import Process
from ._base import PAGE_SIZE, _process_url, _refused


# -- the list and the process page ------------------------------------------------------------------
@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """The processes the person takes part in, runs or delivers for."""
    user = request.user
    sorts = {"date": ("-voting_from", "-pk"), "name": (finnish("name"), "pk")}
    query = read_query(request.GET, sorts=sorts, default_sort="date")
    listing = paginate(
        request, selectors.processes_for(actor=user), sorts=sorts, default_sort="date", per_page=PAGE_SIZE, query=query
    )
    return render(
        request,
        "budgeting/home.html",
        {
            "listing": listing,
            "can_start": bool(permissions.can_start_process(user)),
            "delivers": bool(permissions.deliver_orgs(user)),
            "sees_figures": bool(permissions.can_view_figures(user)),
        },
        fragment="results",
    )


def _staff_choices(user: Any) -> dict[str, Any]:
    orgs = permissions.staff_orgs(user)
    return {
        "activities": activation.activities_managed_by(user).order_by("title", "pk"),
        "organisations": accounts.organisations_all(),
        "own_organisations": accounts.organisations_by_ids(ids=orgs),
    }


@login_required
@require_http_methods(["GET", "POST"])
def process_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    decision = permissions.can_start_process(user)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    choices = _staff_choices(user)
    several = len(choices["own_organisations"]) > 1
    data = request.POST if request.method == "POST" else None
    form = ProcessForm(data, activities=choices["activities"], organisations=choices["organisations"])
    org_form = OrganisationChoiceForm(data, organisations=choices["own_organisations"]) if several else None
    if request.method == "POST" and form.is_valid() and (org_form is None or org_form.is_valid()):
        try:
            organisation = accounts.acting_organisation(
                user=user,
                permission=permissions.P.RUN,
                chosen=org_form.cleaned_data["organisation"] if org_form is not None else None,
            )
            process = services.process_create(actor=user, organisation=organisation, data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(org_form if refusal.field == "organisation" and org_form else form, refusal)
        else:
            messages.success(request, _("The process has been created. Only the staff see it until proposals open."))
            return redirect(_process_url(process))
    return render(
        request,
        "budgeting/process_form.html",
        {"form": form, "org_form": org_form, "process": None},
        status=form_status(request),
    )


@login_required
@require_GET
def process_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(actor=request.user, pk=pk, route=request.path)
    return render(request, "budgeting/process.html", {"o": selectors.overview(process=process, actor=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def process_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    process = selectors.process_get_for_staff(actor=user, pk=pk, route=request.path)
    choices = _staff_choices(user)
    form = ProcessForm(
        request.POST if request.method == "POST" else None,
        instance=process,
        activities=choices["activities"],
        organisations=choices["organisations"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.process_update(actor=user, process=process, data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_process_url(process))
    return render(
        request,
        "budgeting/process_form.html",
        {"form": form, "org_form": None, "process": process, "rules_locked": process.is_at_least(Process.Phase.VOTING)},
        status=form_status(request),
    )


@login_required
@require_POST
def process_phase(request: AuthedRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(actor=request.user, pk=pk, route=request.path)
    if not permissions.is_staff_of(request.user, process):
        raise PermissionDenied
    try:
        process = services.process_advance(actor=request.user, process=process, to=request.POST.get("to", ""))
    except Refusal as refusal:
        _refused(request, refusal)
        return render(
            request,
            "budgeting/process.html",
            {"o": selectors.overview(process=process, actor=request.user)},
            status=refusal.status,
        )
    messages.success(request, _("The process is now in the phase: %(phase)s.") % {"phase": process.get_phase_display()})
    return redirect(_process_url(process))


@login_required
@require_POST
def results_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(actor=request.user, pk=pk, route=request.path)
    if not permissions.is_staff_of(request.user, process):
        raise PermissionDenied
    try:
        services.results_publish(actor=request.user, process=process)
    except Refusal as refusal:
        _refused(request, refusal)
        return render(
            request,
            "budgeting/process.html",
            {"o": selectors.overview(process=process, actor=request.user)},
            status=refusal.status,
        )
    messages.success(request, _("The results have been published. The voters have been told."))
    return redirect("budgeting:results", process.pk)


# -- the list of voters (staff) ---------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def voters(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who may vote and whether they have voted (never what). The list kind is kept here."""
    user = request.user
    process = selectors.process_get_for_staff(actor=user, pk=pk, route=request.path)
    form = EligibleAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.eligible_add(actor=user, process=process, email=form.cleaned_data["email"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The person has been added to the list."))
            return redirect("budgeting:voters", process.pk)
    sorts = {"name": (finnish("full_name"), "pk")}
    query = read_query(request.GET, sorts=sorts, default_sort="name")
    listing = paginate(
        request, selectors.voters_of(process=process), sorts=sorts, default_sort="name", per_page=PAGE_SIZE, query=query
    )
    rows = selectors.voter_rows(process=process, people=listing.rows, actor=user, route=request.path)
    return render(
        request,
        "budgeting/voters.html",
        {
            "process": process,
            "listing": listing,
            "rows": rows,
            "form": form if process.electorate == Process.Electorate.LIST or form.errors else None,
            "can_remove": process.electorate == Process.Electorate.LIST
            and not process.is_at_least(Process.Phase.VOTING),
            "turnout": process.participations.count(),
            "codes": selectors.code_counts(process=process),
        },
        status=form_status(request),
        fragment="results",
    )


@login_required
@require_POST
def voter_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = selectors.eligible_entry_get(actor=request.user, pk=pk, route=request.path)
    try:
        services.eligible_remove(actor=request.user, entry=entry)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The person has been removed from the list."))
    return redirect("budgeting:voters", entry.process_id)
