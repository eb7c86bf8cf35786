"""Task requests: the orderer files them, the coordinator reviews them, finds candidates and offers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.core.access import Shown
from osallisuus.core.collation import finnish
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.paging import paginate, read_query

from .. import fees, matching, selectors, services, training
from ..forms import DetailsForm, OfferForm, PartnerForm, RequestForm, ReviewForm
from ..models import TaskRequest
from ..permissions import (
    broker_orgs,
    can_add_request_details,
    can_change_partner,
    can_list_requests,
    can_order,
    expert_card,
    order_orgs,
    request_awaits_review,
)

REQUEST_SORTS: dict[str, Any] = {
    "when": ("starts_at", "pk"),
    "title": (finnish("title"), "pk"),
    "organisation": (finnish("organisation__name"), "-starts_at", "pk"),
}


@login_required
@require_GET
def requests(request: AuthedRequest) -> HttpResponse:
    """The requests the person may see: searched by title or organisation, filtered by status,
    sorted and paged in the address."""
    user = request.user
    decision = can_list_requests(user)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    filters = {"status": TaskRequest.Status.values, "period": selectors.REQUEST_PERIODS}
    query = read_query(request.GET, sorts=REQUEST_SORTS, default_sort="-when", filters=filters)
    qs = selectors.requests_for(
        actor=user, status=query.filters.get("status", ""), period=query.filters.get("period", "")
    )
    if query.q:
        qs = qs.filter(selectors.request_search_condition(query.q))
    listing = paginate(request, qs, sorts=REQUEST_SORTS, default_sort="-when", filters=filters, query=query)
    return render(
        request,
        "experts/requests.html",
        {
            "listing": listing,
            "statuses": TaskRequest.Status.choices,
            "status": query.filters.get("status", ""),
            "period": query.filters.get("period", ""),
            "periods": [("upcoming", _("Upcoming")), ("past", _("Past"))],
            "query": query.q,
            "may_order": bool(can_order(user)),
        },
        fragment="results",
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: AuthedRequest) -> HttpResponse:
    """Order an expert. Someone who orders for several organisations chooses the one."""
    user = request.user
    decision = can_order(user)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    organisations = selectors.ordering_organisations(user=user)
    partners = selectors.partner_candidates(organisation_ids=[o.pk for o in organisations])
    form = RequestForm(
        request.POST or None,
        brokers=selectors.brokering_organisations(),
        partners=partners,
        organisations=organisations if len(organisations) > 1 else None,
    )
    shown = Shown(user, "choose the professional partner", request.path)
    shown.add(*partners)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("organisation", None)
        data.pop("soon_ok", None)
        try:
            organisation = selectors.ordering_organisation(user=user, chosen=chosen)
            created = services.request_file(actor=user, organisation=organisation, **data)
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("Your request was sent to the coordinator."))
            return redirect("experts:request_detail", created.pk)
    shown.log()
    return render(
        request,
        "experts/request_form.html",
        {"form": form, "organisation": organisations[0] if len(organisations) == 1 else None},
        status=form_status(request),
    )


def _review_form(req: TaskRequest, data: Any = None) -> ReviewForm:
    choices: list[tuple[str, str]] = []
    preferred: list[str] = []
    try:
        schedule = fees.schedule_in_force(organisation_id=req.broker_id, on=timezone.localtime(req.starts_at).date())
    except fees.FeeScheduleGap:
        schedule = None
    if schedule is not None:
        items = list(schedule.items.prefetch_related("task_types"))
        choices = [(i.code, str(i)) for i in items]
        preferred = [i.code for i in items if any(t.pk == req.task_type_id for t in i.task_types.all())]
    initial = {
        "fee_item_code": fees.suggested_fee_item_code(
            asks_fee=req.compensation == TaskRequest.Compensation.FEE,
            chosen=req.fee_item_code,
            preferred=preferred,
            available=[code for code, _label in choices],
        ),
        "fee_amount": req.fee_amount,
    }
    return ReviewForm(data, fee_choices=choices, initial=initial)


def _request_context(request: AuthedRequest, req: TaskRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    coordinator = req.broker_id in broker_orgs(user)
    orderer = req.organisation_id in order_orgs(user)
    shown = Shown(user, "task request", request.path)
    shown.add(req.created_by, req.partner_worker)
    rec = training.matching_recommendation()
    cards = []
    for a in selectors.agreements_of_request(request=req):
        shown.add(a.expert.user)
        cards.append((a, expert_card(viewer=user, expert=a.expert, trained=training.meets(a.expert, rec))))
    ctx: dict[str, Any] = {"req": req, "coordinator": coordinator, "orderer": orderer, "cards": cards}
    if coordinator:
        offers = selectors.offers_of_request(request=req)
        shown.add(*(o.expert.user for o in offers))
        ctx["offers"] = offers
        ctx["review_form"] = extra.pop("review_form", None) or _review_form(req)
        ctx["shows_review"] = request_awaits_review(req)
        if req.status == TaskRequest.Status.OPEN:
            candidates = matching.candidates(req)
            shown.add(*(c.user for c in candidates))
            ctx["candidates"] = candidates
            ctx["ranked"] = matching.ranked_table(candidates)
            ctx["offer_form"] = extra.pop("offer_form", None) or OfferForm(candidates=candidates)
            ctx["recommendation"] = rec
    if orderer and can_add_request_details(user, req):
        ctx["details_form"] = extra.pop("details_form", None) or DetailsForm(initial={"description": req.description})
    if orderer and can_change_partner(user, req):
        partners = selectors.partner_candidates(organisation_ids=[req.organisation_id])
        shown.add(*partners)
        ctx["partner_form"] = extra.pop("partner_form", None) or PartnerForm(
            partners=partners, initial={"partner_worker": req.partner_worker_id}
        )
    ctx.update(extra)
    shown.log()
    return ctx


@login_required
@require_GET
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    req = selectors.request_get(actor=request.user, pk=pk)
    return render(request, "experts/request_detail.html", _request_context(request, req), fragment="candidates")


def _coordinated_request(request: AuthedRequest, pk: int) -> TaskRequest:
    req = selectors.request_get(actor=request.user, pk=pk)
    if req.broker_id not in broker_orgs(request.user):
        raise Http404
    return req


def _ordered_request(request: AuthedRequest, pk: int) -> TaskRequest:
    req = selectors.request_get(actor=request.user, pk=pk)
    if req.organisation_id not in order_orgs(request.user):
        raise Http404
    return req


def _request_action(
    request: AuthedRequest,
    req: TaskRequest,
    form: forms.Form,
    form_key: str,
    action: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """One form on the request page: the service's refusal beside its field, input kept (400)."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, success)
            return redirect("experts:request_detail", req.pk)
    context = _request_context(request, req, **{form_key: form})
    return render(request, "experts/request_detail.html", context, status=400)


@login_required
@require_POST
def request_review(request: AuthedRequest, pk: int) -> HttpResponse:
    req = _coordinated_request(request, pk)
    return _request_action(
        request,
        req,
        _review_form(req, request.POST),
        "review_form",
        lambda d: services.request_review(
            actor=request.user,
            request=req,
            approve=d["decision"] == "approve",
            note=d["note"],
            fee_item_code=d["fee_item_code"],
            fee_amount=d["fee_amount"],
        ),
        _("The request was reviewed."),
    )


@login_required
@require_POST
def request_details(request: AuthedRequest, pk: int) -> HttpResponse:
    req = _ordered_request(request, pk)
    return _request_action(
        request,
        req,
        DetailsForm(request.POST),
        "details_form",
        lambda d: services.request_add_details(actor=request.user, request=req, description=d["description"]),
        _("The details were sent to the coordinator."),
    )


@login_required
@require_POST
def request_partner(request: AuthedRequest, pk: int) -> HttpResponse:
    """The orderer names another professional partner for the request."""
    req = _ordered_request(request, pk)
    partners = selectors.partner_candidates(organisation_ids=[req.organisation_id])
    return _request_action(
        request,
        req,
        PartnerForm(request.POST, partners=partners),
        "partner_form",
        lambda d: services.request_partner_change(actor=request.user, request=req, partner=d["partner_worker"]),
        _("The professional partner was changed."),
    )


@login_required
@require_POST
def request_offer(request: AuthedRequest, pk: int) -> HttpResponse:
    req = _coordinated_request(request, pk)
    chosen = selectors.experts_of_broker(broker_id=req.broker_id, ids=request.POST.getlist("experts"))
    form = OfferForm(request.POST, candidates=chosen)
    if form.is_valid():
        try:
            made = services.offer_make(actor=request.user, request=req, experts=chosen)
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("The task was offered to %(count)d experts.") % {"count": len(made)})
            return redirect("experts:request_detail", req.pk)
    ctx = _request_context(request, req)
    form.set_candidates(ctx.get("candidates", []))
    ctx["offer_form"] = form
    ctx["chosen"] = {int(v) for v in request.POST.getlist("experts") if v.isdigit()}
    return render(request, "experts/request_detail.html", ctx, status=400)
