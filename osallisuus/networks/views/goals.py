"""Goals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.paging import paginate

from .. import exports, permissions, selectors, services
from ..forms import (
    GoalForm,
    GoalStatusForm,
    ResourceForm,
)
from .base import PAGE_SIZE, _refused, _require


# -- goals and resources ----------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def goals(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    coordinator = bool(permissions.can_coordinate(user, network))
    form = GoalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _require(permissions.can_coordinate(user, network))
        if form.is_valid():
            try:
                services.goal_create(actor=user, network=network, **form.cleaned_data)
            except Refusal as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(request, _("The goal has been added."))
                return redirect("networks:goals", network.pk)
    goal_list = selectors.goals_of(network)
    selectors.log_members_shown(
        actor=user, memberships=[g.owner for g in goal_list], purpose="network members", route=request.path
    )
    return render(
        request,
        "networks/goals.html",
        {
            "network": network,
            "goals": goal_list,
            "form": form,
            "coordinator": coordinator,
            "status_form": GoalStatusForm(),
        },
        status=form_status(request),
    )


@login_required
@require_POST
def goal_status(request: AuthedRequest, pk: int, goal_id: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, network))
    goal = next((g for g in selectors.goals_of(network) if g.pk == goal_id), None)
    if goal is None:
        raise Http404
    form = GoalStatusForm(request.POST)
    if form.is_valid():
        try:
            services.goal_set_status(
                actor=user, goal=goal, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
            )
        except Refusal as refusal:
            _refused(request, refusal)
        else:
            messages.success(request, _("The status has been saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("networks:goals", network.pk)


@login_required
@require_http_methods(["GET", "POST"])
def resources(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    coordinator = bool(permissions.can_coordinate(user, network))
    form = ResourceForm(
        request.POST if request.method == "POST" else None, organisations=selectors.network_organisations(network)
    )
    if request.method == "POST":
        _require(permissions.can_coordinate(user, network))
        if form.is_valid():
            try:
                services.resource_add(
                    actor=user, network=network, data={**form.cleaned_data, "organisation": form.chosen_organisation()}
                )
            except Refusal as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(request, _("The resource has been added."))
                return redirect("networks:resources", network.pk)
    listing = paginate(
        request,
        selectors.resources_of(network),
        sorts={"date": ("-spent_on", "-pk")},
        default_sort="date",
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        "networks/resources.html",
        {
            "network": network,
            "form": form,
            "coordinator": coordinator,
            "listing": listing,
            "totals": selectors.resource_totals(network),
        },
        status=form_status(request),
    )


@login_required
@require_GET
def resources_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    network = selectors.network_get_for_member(actor=request.user, pk=pk, route=request.path)
    data = exports.resources_xlsx(
        network_name=network.name,
        resources=list(selectors.resources_of(network)),
        totals=selectors.resource_totals(network),
    )
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="network-{network.pk}-resources.xlsx"'
    return response
