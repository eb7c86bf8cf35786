"""The provider's pages: the organisation's activities, publishing and changing one, who has
signed up (names only) and attendance, and taking on an idea a participant proposed."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

from .. import permissions, selectors, services
from ..forms import ActivityForm, AttendanceForm
from ..permissions import P
from ._common import require

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation


def _organisations(request: AuthedRequest) -> list[Organisation]:
    return list(accounts.organisations_acting_for(user=request.user, permission=P.MANAGE_ACTIVITIES))


@login_required
@require_GET
def provider_home(request: AuthedRequest) -> HttpResponse:
    require(permissions.can_manage_activities(request.user))
    organisations = _organisations(request)
    context = {
        "activities": selectors.provider_activities(actor=request.user),
        "proposals": selectors.proposed_activities(),
        # Someone who runs activities for several organisations chooses which one takes an idea on.
        "adopt_organisations": organisations if len(organisations) > 1 else [],
    }
    return render(request, "activation/provider_home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def provider_activity_new(request: AuthedRequest) -> HttpResponse:
    require(permissions.can_manage_activities(request.user))
    form = ActivityForm(request.POST or None, organisations=_organisations(request))
    if request.method == "POST" and form.is_valid():
        try:
            provider = accounts.acting_organisation(
                user=request.user, permission=P.MANAGE_ACTIVITIES, chosen=form.cleaned_data.get("organisation")
            )
            activity = services.activity_create(provider=provider, actor=request.user, data=form.cleaned_data)
        except Refusal as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("The activity has been published."))
            return redirect("activation:provider_activity", pk=activity.pk)
    return render(
        request,
        "activation/provider_activity_form.html",
        {"form": form, "activity": None},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_activity_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.managed_activity_get(actor=request.user, pk=pk)
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, actor=request.user, data=form.cleaned_data)
        except services.RuleError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("The activity has been saved."))
            return redirect("activation:provider_activity", pk=activity.pk)
    return render(
        request,
        "activation/provider_activity_form.html",
        {"form": form, "activity": activity},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_activity(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who has signed up (names only) and attendance for one day."""
    activity = selectors.managed_activity_get(actor=request.user, pk=pk)
    form = AttendanceForm(request.POST or request.GET or None, initial={"on": timezone.localdate()})
    on = form.cleaned_data["on"] if form.is_bound and form.is_valid() else timezone.localdate()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
            try:
                services.attendance_mark(
                    signups=selectors.places_taken(activity=activity), on=on, present_ids=present, actor=request.user
                )
            except services.RuleError as error:
                refusal_to_form(form, error)
            else:
                messages.success(request, _("Attendance has been saved."))
                return redirect(f"{request.path}?on={on.isoformat()}")
    rows, helpers = selectors.activity_roster(actor=request.user, activity=activity, on=on, route=request.path)
    context = {"activity": activity, "rows": rows, "helpers": helpers, "form": form, "on": on}
    return render(request, "activation/provider_activity.html", context, status=status)


@login_required
@require_POST
def provider_adopt(request: AuthedRequest, pk: int) -> HttpResponse:
    require(permissions.can_manage_activities(request.user))
    activity = selectors.proposed_activity_get(pk=pk)
    try:
        provider = accounts.acting_organisation(
            user=request.user, permission=P.MANAGE_ACTIVITIES, chosen=request.POST.get("organisation")
        )
        services.activity_adopt(activity=activity, provider=provider, actor=request.user)
    except Refusal as error:
        messages.error(request, error.message)
        return redirect("activation:provider_home")
    messages.success(request, _("The activity is now yours and open for sign-up. Check its details."))
    return redirect("activation:provider_activity_edit", pk=activity.pk)
