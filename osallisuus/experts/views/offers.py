"""The expert's offers: what a task would do to their earnings, then accept or decline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from osallisuus.core.access import Shown
from osallisuus.core.collation import finnish
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, render
from osallisuus.core.paging import paginate, read_query

from .. import earnings, fees, selectors, services
from ..forms import AcceptForm, DeclineForm
from ..models import Agreement, Offer
from ..permissions import can_answer_offer
from ._common import require_expert


@login_required
@require_GET
def offers(request: AuthedRequest) -> HttpResponse:
    """The expert's open offers, and their agreed tasks sorted and paged in the address."""
    user = request.user
    require_expert(user)
    filters = {"status": Agreement.Status.values}
    query = read_query(request.GET, sorts=AGREEMENT_SORTS, default_sort="-when", filters=filters)
    qs = selectors.agreements_of_expert(user=user)
    if query.filters.get("status"):
        qs = qs.filter(status=query.filters["status"])
    listing = paginate(request, qs, sorts=AGREEMENT_SORTS, default_sort="-when", filters=filters, query=query)
    return render(
        request,
        "experts/offers.html",
        {
            "offers": selectors.open_offers_for(user=user),
            "answered": selectors.answered_offers_for(user=user).order_by("-created_at", "-pk")[:20],
            "listing": listing,
            "agreements": listing.rows,
            "status": query.filters.get("status", ""),
            "statuses": Agreement.Status.choices,
        },
    )


AGREEMENT_SORTS: dict[str, Any] = {
    "when": ("starts_at", "pk"),
    "title": (finnish("request__title"), "pk"),
}


def _offer_context(request: AuthedRequest, offer: Offer, **extra: Any) -> dict[str, Any]:
    req = offer.request
    day = timezone.localtime(req.starts_at).date()
    ctx: dict[str, Any] = {"offer": offer, "req": req}
    try:
        terms = services.terms_for(request=req, volunteer=False)
    except fees.FeeScheduleGap as exc:
        ctx["terms_error"] = exc.message
        terms = None
    ctx["terms"] = terms
    if terms is not None and terms.fee:
        ctx["check"] = earnings.check_for(expert=offer.expert, adding=terms.fee, on=day)
    ctx["answer_decision"] = can_answer_offer(request.user, offer)
    ctx["accept_form"] = extra.pop("accept_form", None) or AcceptForm()
    ctx["decline_form"] = extra.pop("decline_form", None) or DeclineForm()
    shown = Shown(request.user, "task offer", request.path)
    shown.add(req.partner_worker)
    shown.log()
    ctx.update(extra)
    return ctx


@login_required
@require_GET
def offer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get_for_expert(actor=request.user, pk=pk)
    return render(request, "experts/offer_detail.html", _offer_context(request, offer))


@login_required
@require_POST
def offer_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get_for_expert(actor=request.user, pk=pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            agreement = services.offer_accept(actor=request.user, offer=offer, volunteer=form.cleaned_data["volunteer"])
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("You accepted the task. Thank you!"))
            return redirect("experts:agreement_detail", agreement.pk)
    offer.refresh_from_db()
    return render(request, "experts/offer_detail.html", _offer_context(request, offer, accept_form=form), status=400)


@login_required
@require_POST
def offer_decline(request: AuthedRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get_for_expert(actor=request.user, pk=pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.offer_decline(actor=request.user, offer=offer, reason=form.cleaned_data["reason"])
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("You declined the offer. That is perfectly fine."))
            return redirect("experts:offers")
    return render(request, "experts/offer_detail.html", _offer_context(request, offer, decline_form=form), status=400)
