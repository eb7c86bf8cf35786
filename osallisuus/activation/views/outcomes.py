"""Outcomes: writing down something achieved, and its printable statement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from osallisuus.core.errors import refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render

from .. import selectors, services
from ..forms import OutcomeForm
from ._common import plan_url


@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=request.user, pk=pk, purpose="record an outcome", route=request.path, for_edit=True)
    form = OutcomeForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(plan=plan, actor=request.user, **form.cleaned_data)
        except services.RuleError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("Saved. Well done!"))
            return redirect(plan_url(request.user, plan))
    context = {"form": form, "plan": plan, "back_url": plan_url(request.user, plan)}
    return render(request, "activation/outcome_form.html", context, status=form_status(request))


@login_required
@require_GET
def outcome_print(request: AuthedRequest, pk: int) -> HttpResponse:
    """A printable statement of one outcome (for example competence shown in work activity)."""
    outcome = selectors.outcome_get(actor=request.user, pk=pk, purpose="print an outcome", route=request.path)
    context = {"outcome": outcome, "back_url": plan_url(request.user, outcome.plan)}
    return render(request, "activation/outcome_print.html", context)
