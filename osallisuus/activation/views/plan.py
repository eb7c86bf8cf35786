"""The participant's plan: the page, changing it, sharing it, the check-in, the PDF and FHIR files."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.core.errors import refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.measurement import services as measurement

from .. import exports, permissions, selectors, services
from ..forms import PlanSectionsForm, ShareForm
from ..models import Plan
from ..permissions import P
from ._common import choose_organisation, plan_url, require


def _plan_page(request: AuthedRequest, plan: Plan) -> HttpResponse:
    overview = selectors.plan_overview(plan=plan, actor=request.user, route=request.path)
    return render(request, "activation/plan.html", {"o": overview, "plan": plan, "today": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def my_plan(request: AuthedRequest) -> HttpResponse:
    """The participant's own plan: what happens next, own worker, the official, goals, activities.

    It is made the first time; a participant of several organisations first chooses which one
    keeps it."""
    require(permissions.can_have_plan(request.user))
    plan = selectors.own_plan(participant=request.user)
    if plan is not None:
        return redirect("activation:my_plan") if request.method == "POST" else _plan_page(request, plan)
    chosen = request.POST.get("organisation") if request.method == "POST" else None
    choice = choose_organisation(
        user=request.user, permission=P.HAVE_PLAN, chosen=chosen, label=_("Which organisation keeps your plan?")
    )
    if choice.organisation is None:
        return render(request, "activation/plan_start.html", {"form": choice.form}, status=form_status(request))
    plan = services.plan_ensure(participant=request.user, organisation=choice.organisation)
    if request.method == "POST":
        return redirect("activation:my_plan")
    return _plan_page(request, plan)


@login_required
@require_GET
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=request.user, pk=pk, purpose="read the plan", route=request.path)
    return _plan_page(request, plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=request.user, pk=pk, purpose="edit the plan", route=request.path, for_edit=True)
    form = PlanSectionsForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, actor=request.user, data=form.cleaned_data)
        except services.RuleError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("The plan has been saved."))
            return redirect(plan_url(request.user, plan))
    return render(
        request,
        "activation/plan_edit.html",
        {"form": form, "plan": plan, "back_url": plan_url(request.user, plan)},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_share(request: AuthedRequest, pk: int) -> HttpResponse:
    """The participant chooses who else may read the plan."""
    plan = selectors.own_plan_get(actor=request.user, pk=pk, purpose="plan sharing")
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_share(plan=plan, actor=request.user, email=form.cleaned_data["email"])
        except services.RuleError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("If the person has an account in this service, they can now read your plan."))
            return redirect("activation:share", pk=plan.pk)
    shares = selectors.shares_of(plan=plan, actor=request.user, route=request.path)
    context: dict[str, Any] = {"plan": plan, "form": form, "shares": shares, "back_url": plan_url(request.user, plan)}
    return render(request, "activation/share.html", context, status=form_status(request))


@login_required
@require_POST
def share_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    share = selectors.share_get(actor=request.user, pk=pk)
    services.plan_share_revoke(share=share, actor=request.user)
    messages.success(request, _("The person can no longer read your plan."))
    return redirect("activation:share", pk=share.plan_id)


@login_required
@require_POST
def checkin_start(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start or continue the participant's check-in; the questions are answered in the
    measurement engine's accessible form, which afterwards offers sharing with the own worker."""
    plan = selectors.own_plan_get(actor=request.user, pk=pk, purpose="own check-in")
    try:
        response = services.checkin_start(plan=plan, actor=request.user)
    except services.RuleError as error:
        messages.error(request, error.message)
        return redirect("activation:my_plan")
    return redirect(measurement.response_url(response))


@login_required
@require_GET
def plan_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=request.user, pk=pk, purpose="print the plan", route=request.path)
    overview = selectors.plan_overview(plan=plan, actor=request.user, route=request.path, with_checkins=False)
    pdf = exports.plan_pdf({"o": overview, "plan": plan, "today": timezone.localdate()})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.pdf"'
    return response


@login_required
@require_GET
def plan_fhir(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=request.user, pk=pk, purpose="FHIR export of the plan", route=request.path)
    worker = selectors.own_worker_shown(plan=plan, actor=request.user, route=request.path)
    bundle = exports.plan_fhir_bundle(plan, own_worker=worker)
    response = HttpResponse(json.dumps(bundle, ensure_ascii=False, indent=2), content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.fhir.json"'
    return response
