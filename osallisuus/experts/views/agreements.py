"""Agreed tasks: the page of the agreement and its actions, the PDF and the calendar file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from osallisuus.core.access import Shown
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, render
from osallisuus.measurement import services as measurement

from .. import documents, fees, selectors, services, training
from ..forms import CancelForm, ConfirmForm, FeedbackStartForm, RescheduleForm
from ..models import Agreement
from ..permissions import (
    broker_orgs,
    can_cancel_agreement,
    can_confirm_agreement,
    can_give_feedback,
    can_reschedule_agreement,
    can_view_expenses,
    expert_card,
    order_orgs,
)
from ._common import download


def _agreement_context(request: AuthedRequest, agreement: Agreement, **extra: Any) -> dict[str, Any]:
    user = request.user
    req = agreement.request
    now = timezone.now()
    card = expert_card(viewer=user, expert=agreement.expert, trained=training.is_trained(agreement.expert))
    shown = Shown(user, "agreement", request.path)
    shown.add(req.created_by, req.partner_worker)
    shown.log(already=[agreement.expert.user_id])
    ctx: dict[str, Any] = {
        "agreement": agreement,
        "req": req,
        "terms": fees.agreement_terms(agreement),
        "card": card,
        "coordinator": req.broker_id in broker_orgs(user),
        "orderer": req.organisation_id in order_orgs(user),
        "own": agreement.expert.user_id == user.pk,
        "report": selectors.expense_report_of(agreement=agreement),
        "late": fees.late_cancellation_keeps_fee(agreement, at=now),
        "expenses_decision": can_view_expenses(user, agreement),
    }
    if can_confirm_agreement(user, agreement, now=now):
        ctx["confirm_form"] = extra.pop("confirm_form", None) or ConfirmForm()
    if can_cancel_agreement(user, agreement):
        ctx["cancel_form"] = extra.pop("cancel_form", None) or CancelForm()
    if can_reschedule_agreement(user, agreement):
        ctx["reschedule_form"] = extra.pop("reschedule_form", None) or RescheduleForm()
    # The viewer's own feedback (the measurement engine): status and date only, never answers.
    feedback = selectors.feedback_status(actor=user, agreement=agreement)
    feedback_form = extra.pop("feedback_form", None)
    may_give = feedback is not None and feedback.given_at is None and bool(can_give_feedback(user, agreement))
    if feedback is not None and (feedback_form is not None or may_give):
        ctx["feedback_form"] = feedback_form or FeedbackStartForm()
    ctx["feedback"] = feedback
    ctx.update(extra)
    return ctx


def _agreement(request: AuthedRequest, pk: int) -> Agreement:
    return selectors.agreement_get(actor=request.user, pk=pk, route=request.path)


@login_required
@require_GET
def agreement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    return render(request, "experts/agreement_detail.html", _agreement_context(request, agreement))


def _agreement_action(
    request: AuthedRequest,
    pk: int,
    form_class: type[forms.Form],
    form_key: str,
    action: Callable[[Agreement, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    agreement = _agreement(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(agreement, form.cleaned_data)
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, success)
            return redirect("experts:agreement_detail", agreement.pk)
    agreement.refresh_from_db()
    return render(
        request, "experts/agreement_detail.html", _agreement_context(request, agreement, **{form_key: form}), status=400
    )


@login_required
@require_POST
def agreement_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    return _agreement_action(
        request,
        pk,
        ConfirmForm,
        "confirm_form",
        lambda a, d: services.agreement_confirm(actor=request.user, agreement=a, took_place=d["outcome"] == "done"),
        _("Thank you. The task was confirmed."),
    )


@login_required
@require_POST
def agreement_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    return _agreement_action(
        request,
        pk,
        CancelForm,
        "cancel_form",
        lambda a, d: services.agreement_cancel(actor=request.user, agreement=a, reason=d["reason"]),
        _("The task was cancelled."),
    )


@login_required
@require_POST
def agreement_reschedule(request: AuthedRequest, pk: int) -> HttpResponse:
    return _agreement_action(
        request,
        pk,
        RescheduleForm,
        "reschedule_form",
        lambda a, d: services.agreement_reschedule(actor=request.user, agreement=a, starts_at=d["starts_at"]),
        _("The task was moved."),
    )


@login_required
@require_POST
def agreement_feedback(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start (or continue) the viewer's feedback on the task and go to the measurement engine's
    accessible answer form. Only the expert and the orderer, only after the task."""
    agreement = _agreement(request, pk)
    form = FeedbackStartForm(request.POST)
    try:
        response = services.feedback_start(actor=request.user, agreement=agreement)
    except services.FeedbackNotYours as exc:
        raise PermissionDenied(exc.message) from exc
    except Refusal as exc:
        form.is_valid()
        refusal_to_form(form, exc)
    else:
        return redirect(measurement.response_url(response))
    agreement.refresh_from_db()
    return render(
        request, "experts/agreement_detail.html", _agreement_context(request, agreement, feedback_form=form), status=400
    )


@login_required
@require_GET
def agreement_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    ctx = _agreement_context(request, agreement)
    return download(
        documents.pdf_bytes("experts/pdf/agreement.html", ctx), f"agreement-{agreement.pk}.pdf", "application/pdf"
    )


@login_required
@require_GET
def agreement_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    return download(documents.agreement_ics(agreement), f"task-{agreement.pk}.ics", "text/calendar")
