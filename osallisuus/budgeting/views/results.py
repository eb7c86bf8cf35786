"""Pages of the results, the Pabulib export, purchases, deliveries and the figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts import selectors as accounts
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.paging import paginate, read_query
from osallisuus.measurement import services as measurement

from .. import pabulib, permissions, selectors, services
from ..forms import (
    DeliveryForm,
    PurchaseForm,
)
from ..models import Purchase
from ._base import PAGE_SIZE, _process_url, _refused


# -- results -------------------------------------------------------------------------------------------
@login_required
@require_GET
def results(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    process = selectors.process_get(actor=user, pk=pk, route=request.path)
    decision = permissions.results_visible(user, process)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    found = selectors.results_of(process=process)
    if found is None:
        raise Http404
    return render(
        request,
        "budgeting/results.html",
        {
            "r": found,
            "process": process,
            "is_staff": permissions.is_staff_of(user, process),
            "can_export": permissions.is_staff_of(user, process) and found.published,
        },
    )


@login_required
@require_GET
def pabulib_export(request: AuthedRequest, pk: int) -> HttpResponse:
    """The instance and the anonymous ballots as a Pabulib file, once the results are published."""
    user = request.user
    process = selectors.process_get_for_export(actor=user, pk=pk, route=request.path)
    decision = permissions.results_published(process)
    if not decision:
        return render(request, "budgeting/refused.html", {"process": process, "reason": decision.reason}, status=400)
    found = selectors.results_of(process=process)
    if found is None:
        raise Http404
    text = pabulib.pabulib_text(
        process=process,
        proposals=selectors.ballot_options(process=process),
        ballots=services.ballots_of(process),
        winners={p.pk for p in found.winners},
        votes={row.proposal.pk: row.votes for row in found.rows},
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="osallisuus_{process.pk}_{timezone.localdate():%Y%m%d}.pb"'
    return response


# -- from winner to delivery ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def purchase_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    proposal = selectors.proposal_get(actor=user, pk=pk, route=request.path)
    if not permissions.is_staff_of(user, proposal.process):
        raise PermissionDenied
    initial = {
        "kind": Purchase.Kind.PURCHASE,
        "provider": proposal.provider_id,
        "provider_name": proposal.provider_name,
        "amount": proposal.cost,
        "agreed_on": timezone.localdate(),
    }
    form = PurchaseForm(request.POST or None, organisations=accounts.organisations_all(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            purchase = services.purchase_record(
                actor=user,
                proposal=proposal,
                kind=data["kind"],
                amount=data["amount"],
                agreed_on=data["agreed_on"],
                provider=data.get("provider"),
                provider_name=data.get("provider_name", ""),
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The purchase has been recorded."))
            return redirect("budgeting:purchase", purchase.pk)
    return render(
        request,
        "budgeting/purchase_form.html",
        {"form": form, "p": proposal, "budget": services.budget_use(proposal.process)},
        status=form_status(request),
    )


def _purchase_context(request: AuthedRequest, purchase: Purchase, form: DeliveryForm | None = None) -> dict[str, Any]:
    user = request.user
    can_deliver = bool(permissions.can_record_delivery(user, purchase))
    return {
        "purchase": purchase,
        "process": purchase.process,
        "can_deliver": can_deliver and purchase.status == Purchase.Status.AGREED,
        "form": form or DeliveryForm(initial={"delivered_on": timezone.localdate()}),
        "feedback": selectors.feedback_of(purchase=purchase) if purchase.status == Purchase.Status.DELIVERED else None,
        "budget": services.budget_use(purchase.process),
    }


@login_required
@require_GET
def purchase_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    purchase = selectors.purchase_get(actor=request.user, pk=pk, route=request.path)
    return render(request, "budgeting/purchase.html", _purchase_context(request, purchase))


@login_required
@require_POST
def purchase_deliver(request: AuthedRequest, pk: int) -> HttpResponse:
    purchase = selectors.purchase_get(actor=request.user, pk=pk, route=request.path)
    if not permissions.can_record_delivery(request.user, purchase):
        raise PermissionDenied
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.purchase_deliver(
                actor=request.user,
                purchase=purchase,
                delivered_on=form.cleaned_data["delivered_on"],
                note=form.cleaned_data["delivery_note"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(
                request, _("The delivery has been recorded. The participants are asked for their feedback.")
            )
            return redirect("budgeting:purchase", purchase.pk)
    return render(request, "budgeting/purchase.html", _purchase_context(request, purchase, form), status=400)


@login_required
@require_POST
def feedback(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start the participant's feedback on a delivered winner in the measurement engine."""
    purchase = selectors.purchase_of_voter(actor=request.user, pk=pk, route=request.path)
    try:
        response = services.feedback_start(actor=request.user, purchase=purchase)
    except Refusal as refusal:
        _refused(request, refusal)
        return redirect(_process_url(purchase.process))
    return redirect(measurement.response_url(response))


@login_required
@require_GET
def deliveries(request: AuthedRequest) -> HttpResponse:
    if not permissions.deliver_orgs(request.user):
        raise PermissionDenied
    sorts = {"status": ("status", "-agreed_on", "pk"), "date": ("-agreed_on", "pk")}
    query = read_query(request.GET, sorts=sorts, default_sort="status")
    listing = paginate(
        request,
        selectors.deliveries_for(actor=request.user),
        sorts=sorts,
        default_sort="status",
        per_page=PAGE_SIZE,
        query=query,
    )
    return render(request, "budgeting/deliveries.html", {"listing": listing}, fragment="results")


@login_required
@require_GET
def figures(request: AuthedRequest) -> HttpResponse:
    decision = permissions.can_view_figures(request.user)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    return render(request, "budgeting/figures.html", {"rows": selectors.figures(actor=request.user)})
