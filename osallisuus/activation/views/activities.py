"""The activity catalogue and the participant's side of an activity: sign-up, the waiting list,
offering to help, cancelling, and proposing an activity of one's own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.core.errors import refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.paging import paginate, read_query

from .. import permissions, selectors, services
from ..forms import ActivityProposalForm, CatalogueFilterForm
from ._common import require

if TYPE_CHECKING:
    from ..selectors import ActivityWithPlaces

CATALOGUE_PAGE_SIZE = 20


@login_required
@require_GET
def catalogue(request: AuthedRequest) -> HttpResponse:
    """Published activities: search, filters, order and page all in the address (works without
    JavaScript; htmx swaps only the results)."""
    filters = selectors.catalogue_filters()
    sorts = selectors.CATALOGUE_SORTS
    query = read_query(request.GET, sorts=sorts, default_sort="name", filters=filters)
    listing = paginate(
        request,
        selectors.catalogue(filters=selectors.CatalogueFilter.from_query(q=query.q, filters=query.filters)),
        sorts=sorts,
        default_sort="name",
        filters=filters,
        per_page=CATALOGUE_PAGE_SIZE,
        query=query,
    )
    form = CatalogueFilterForm(initial={"q": query.q, "sort": query.sort_param, **query.filters}, areas=filters["area"])
    context = {"form": form, "listing": listing, "can_propose": permissions.can_propose_activity(request.user)}
    return render(request, "activation/catalogue.html", context, fragment="results")


def _activity_page(
    request: AuthedRequest, activity: ActivityWithPlaces, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "activity": activity,
        "free": max(0, activity.free),  # annotated by selectors.activity_get
        "my_signup": selectors.own_signup_for(activity=activity, participant=request.user),
        "can_sign_up": permissions.can_sign_up(request.user, activity),
        "can_offer_help": permissions.can_offer_help(request.user, activity),
        "offer_waiting_list": activity.free <= 0,
        "offers_help": selectors.offers_help(activity=activity, participant=request.user),
        "error": "",
        **extra,
    }
    return render(request, "activation/activity_detail.html", context, status=status)


@login_required
@require_GET
def activity_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _activity_page(request, selectors.activity_get(pk=pk))


@login_required
@require_POST
def activity_signup(request: AuthedRequest, pk: int) -> HttpResponse:
    require(permissions.can_have_plan(request.user))
    activity = selectors.activity_get(pk=pk)
    try:
        signup = services.signup_create(
            activity=activity, participant=request.user, join_waiting_list=request.POST.get("waiting_list") == "1"
        )
    except services.RuleError as error:
        return _activity_page(
            request,
            selectors.activity_get(pk=pk),
            status=400,
            error=error.message,
            offer_waiting_list=error.code == "full",
        )
    if signup.has_place:
        messages.success(request, _("You have signed up. Welcome! The activity is now in your plan."))
    else:
        messages.success(
            request,
            _("You are on the waiting list. You get a place when one becomes free, and you see it in your plan."),
        )
    return redirect("activation:activity", pk=activity.pk)


@login_required
@require_POST
def activity_help(request: AuthedRequest, pk: int) -> HttpResponse:
    """The participant offers to help run the activity."""
    require(permissions.can_have_plan(request.user))
    activity = selectors.activity_get(pk=pk)
    try:
        services.activity_offer_help(activity=activity, participant=request.user)
    except services.RuleError as error:
        return _activity_page(request, activity, status=400, error=error.message)
    messages.success(request, _("Thank you! The organiser sees that you would like to help and will contact you."))
    return redirect("activation:activity", pk=activity.pk)


@login_required
@require_POST
def signup_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    signup = selectors.own_signup_get(actor=request.user, pk=pk)
    services.signup_cancel(signup=signup, actor=request.user)
    messages.success(request, _("Your sign-up has been cancelled."))
    return redirect("activation:my_plan")


@login_required
@require_http_methods(["GET", "POST"])
def activity_propose(request: AuthedRequest) -> HttpResponse:
    require(permissions.can_propose_activity(request.user))
    form = ActivityProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_propose(participant=request.user, data=form.cleaned_data)
        except services.RuleError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("Thank you! Your idea has been sent to the organisations that run activities."))
            return redirect("activation:catalogue")
    return render(request, "activation/activity_propose.html", {"form": form}, status=form_status(request))
