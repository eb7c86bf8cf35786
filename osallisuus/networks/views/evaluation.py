"""Evaluation."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render

from .. import evaluation, permissions, selectors
from ..forms import (
    EvaluationForm,
)
from .base import _require


# -- evaluation through the measurement engine ------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def evaluation_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """The network's evaluation rounds with their group results (small groups hidden) and the
    change between rounds; the coordinator sends a new round or the closing evaluation."""
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    coordinator = bool(permissions.can_coordinate(user, network))
    closing_sent = evaluation.closing_evaluation_sent(network)
    can_close = network.lifecycle == "project" and not closing_sent
    form = EvaluationForm(
        request.POST if request.method == "POST" else None,
        can_close=can_close,
        initial={
            "closes_on": timezone.localdate() + dt.timedelta(days=14),
            "closing": request.GET.get("closing") == "1",
        },
    )
    if request.method == "POST":
        _require(permissions.can_coordinate(user, network))
        if form.is_valid():
            try:
                started = evaluation.evaluation_start(
                    actor=user,
                    network=network,
                    closes_on=form.cleaned_data["closes_on"],
                    closing=bool(form.cleaned_data.get("closing")),
                )
            except Refusal as refusal:
                refusal_to_form(form, refusal)
            else:
                if started.closing:
                    messages.success(
                        request,
                        _("The closing evaluation has been sent to the members. The network can now be closed."),
                    )
                else:
                    messages.success(request, _("The evaluation has been sent to the members."))
                return redirect("networks:evaluation", network.pk)
    return render(
        request,
        "networks/evaluation.html",
        {
            "network": network,
            "coordinator": coordinator,
            "form": form,
            "results": evaluation.results(actor=user, network=network),
            "closing_sent": closing_sent,
        },
        status=form_status(request),
    )
