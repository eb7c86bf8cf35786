"""Registry."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts import selectors as accounts
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.paging import paginate, read_query

from .. import evaluation, permissions, selectors, services
from ..forms import (
    NetworkForm,
    OrganisationChoiceForm,
    RegistryFilterForm,
    TieForm,
)
from ..models import Network
from .base import PAGE_SIZE, TABLE_PAGE_SIZE, _network_url, _refused, _require


# -- the registry ----------------------------------------------------------------------------------
def _registry(request: AuthedRequest, *, mine: bool) -> HttpResponse:
    user = request.user
    filters = selectors.registry_filters(user)
    sorts = selectors.REGISTRY_SORTS
    query = read_query(request.GET, sorts=sorts, default_sort="name", filters=filters)
    listing = paginate(
        request,
        selectors.registry(actor=user, q=query.q, filters=query.filters, mine=mine),
        sorts=sorts,
        default_sort="name",
        filters=filters,
        per_page=PAGE_SIZE,
        query=query,
    )
    form = RegistryFilterForm(
        initial={"q": query.q, **query.filters}, organisations=selectors.registry_organisations(user)
    )
    context = {
        "listing": listing,
        "form": form,
        "mine": mine,
        "can_start": bool(permissions.can_start_network(user)),
        "coordinated": set(permissions.networks_coordinated_by(user).values_list("pk", flat=True)),
    }
    return render(request, "networks/registry.html", context, fragment="results")


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    return _registry(request, mine=False)


@login_required
@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    return _registry(request, mine=True)


@login_required
@require_http_methods(["GET", "POST"])
def network_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _require(permissions.can_start_network(user))
    own = accounts.organisations_acting_for(user=user, permission=permissions.P.COORDINATE)
    several = own.count() > 1
    data = request.POST if request.method == "POST" else None
    form = NetworkForm(data)
    org_form = OrganisationChoiceForm(data, organisations=own) if several else None
    if request.method == "POST" and form.is_valid() and (org_form is None or org_form.is_valid()):
        try:
            organisation = accounts.acting_organisation(
                user=user,
                permission=permissions.P.COORDINATE,
                chosen=org_form.cleaned_data["organisation"] if org_form is not None else None,
            )
            network = services.network_create(actor=user, organisation=organisation, data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(org_form if refusal.field == "organisation" and org_form else form, refusal)
        else:
            messages.success(request, _("The network has been created. Invite its members next."))
            return redirect(_network_url(network))
    return render(
        request,
        "networks/network_form.html",
        {"form": form, "org_form": org_form, "network": None},
        status=form_status(request),
    )


@login_required
@require_GET
def network_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get(actor=user, pk=pk, route=request.path)
    member = permissions.membership_of(user, network)
    coordinator = bool(permissions.can_coordinate(user, network))
    listing = paginate(
        request,
        selectors.members_visible(actor=user, network=network),
        sorts=selectors.MEMBER_SORTS,
        default_sort="name",
        per_page=TABLE_PAGE_SIZE,
    )
    context: dict[str, Any] = {
        "network": network,
        "member": member,
        "is_member": member is not None,
        "coordinator": coordinator,
        "members": selectors.member_rows(actor=user, network=network, memberships=listing.rows, route=request.path),
        "listing": listing,
        "owners": list(network.owners.all()),
        "closing_due": coordinator and services.closing_due(network),
        "closing_sent": evaluation.closing_evaluation_sent(network),
    }
    if member is not None:
        context.update(
            meetings=list(selectors.meetings_of(network)[:10]),
            goals=selectors.goals_of(network),
            next_host=services.next_host(network),
            rotation=services.rotation_organisations(network),
            tie_form=TieForm(members=[m for m in selectors.current_members(network) if m.pk != member.pk]),
            my_ties=list(
                selectors.ties_on(network, timezone.localdate())
                .filter(source="declared", declared_by=member)
                .select_related("a", "b")
            ),
        )
    return render(request, "networks/network.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def network_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, network))
    form = NetworkForm(request.POST if request.method == "POST" else None, instance=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_update(actor=user, network=Network.objects.get(pk=network.pk), data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_network_url(network))
    return render(
        request, "networks/network_form.html", {"form": form, "network": network}, status=form_status(request)
    )


@login_required
@require_POST
def network_close(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, network))
    try:
        services.network_close(actor=user, network=network)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The network has been closed. Its history stays and can be read."))
    return redirect(_network_url(network))


@login_required
@require_POST
def tie_end(request: AuthedRequest, pk: int) -> HttpResponse:
    """End a declared tie (one of its two members): it stays in the pictures of earlier dates."""
    user = request.user
    tie = selectors.declared_tie_get(actor=user, pk=pk, route=request.path)
    try:
        services.tie_end(actor=user, tie=tie)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The tie has ended. Earlier pictures still show it."))
    return redirect(_network_url(tie.network, "ties"))
