"""The expert's own pages: profile and check-in, earnings limits and the fee statement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.core.access import Shown
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render

from .. import documents, earnings, selectors, services, training
from ..forms import CheckInForm, LimitForm, ProfileForm, StatementForm
from ..models import Expert
from ._common import download, require_expert


def _profile_context(expert: Expert, **forms: Any) -> dict[str, Any]:
    return {
        "expert": expert,
        "courses": selectors.courses_of(expert=expert),
        "statuses": training.recommendation_statuses(expert),
        "trained": training.is_trained(expert),
        **forms,
    }


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    expert = require_expert(user)
    form = ProfileForm(request.POST or None, instance=selectors.my_expert_profile(user=user))
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_profile_update(actor=user, expert=expert, changes=form.changes())
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("experts:profile")
    return render(
        request,
        "experts/profile.html",
        _profile_context(expert, form=form, checkin_form=CheckInForm()),
        status=form_status(request),
    )


@login_required
@require_POST
def checkin(request: AuthedRequest) -> HttpResponse:
    user = request.user
    expert = require_expert(user)
    form = CheckInForm(request.POST)
    if form.is_valid():
        services.checkin_record(actor=user, expert=expert, **form.cleaned_data)
        messages.success(request, _("Thank you for telling us how you are."))
        return redirect("experts:profile")
    return render(
        request,
        "experts/profile.html",
        _profile_context(expert, form=ProfileForm(instance=expert), checkin_form=form),
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def limits(request: AuthedRequest) -> HttpResponse:
    user = request.user
    expert = require_expert(user)
    form = LimitForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove:
            limit = selectors.own_limit_get(user=user, pk=remove)
            services.earnings_limit_remove(actor=user, limit=limit)
            messages.success(request, _("The limit was removed."))
            return redirect("experts:limits")
        if form.is_valid():
            try:
                services.earnings_limit_add(actor=user, expert=expert, **form.cleaned_data)
            except Refusal as exc:
                refusal_to_form(form, exc)
            else:
                messages.success(request, _("The limit was saved."))
                return redirect("experts:limits")
    today = timezone.localdate()
    check = earnings.check_for(expert=expert, adding=Decimal("0"), on=today)
    monthly = earnings.monthly_earnings(expert=expert, year=today.year)
    months = [(dt.date(today.year, m, 1), monthly.get((today.year, m), Decimal("0.00"))) for m in range(1, 13)]
    peak = max((v for _d, v in months), default=Decimal("0")) or Decimal("1")
    own_limits = selectors.own_earnings_limits(user=user)
    shown = Shown(user, "earnings limits: who recorded them", request.path)
    shown.add(*(limit.recorded_by for limit in own_limits))
    shown.log()
    return render(
        request,
        "experts/limits.html",
        {
            "form": form,
            "limits": own_limits,
            "check": check,
            "months": [(d, v, int(v / peak * 100)) for d, v in months],
            "figures": selectors.pension_figures(),
            "caps": earnings.volunteer_caps(expert=expert, year=today.year),
            "statement_form": StatementForm(initial={"year": today.year}),
        },
        status=form_status(request),
    )


@login_required
@require_GET
def statement_pdf(request: AuthedRequest) -> HttpResponse:
    user = request.user
    expert = require_expert(user)
    form = StatementForm(request.GET)
    if not form.is_valid():
        return render(request, "experts/export_error.html", {"form": form}, status=400)
    year, month = form.cleaned_data["year"], form.cleaned_data.get("month")
    rows = selectors.fee_statement(user=user, year=year, month=month)
    total = sum((a.fee for a in rows), Decimal("0"))
    pdf = documents.pdf_bytes(
        "experts/pdf/statement.html",
        {"expert": expert, "rows": rows, "year": year, "month": month, "total": total, "user": user},
    )
    return download(pdf, f"fees-{year}{'-' + str(month) if month else ''}.pdf", "application/pdf")
