"""Pages of the experts module: orderer → coordinator → expert → orderer → expert → coordinator.

Views read the form, call one service or selector and render. Business rules live in
services, earnings, fees and matching; gates give the same 404 for missing and forbidden.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts.models import Membership, User
from osallisuus.accounts.selectors import organisations_all
from osallisuus.core.access import Shown

from . import documents, earnings, fees, matching, selectors, services
from .forms import (
    AcceptForm,
    CancelForm,
    CheckInForm,
    ConfirmForm,
    CourseForm,
    DeclineForm,
    DetailsForm,
    ExpenseForm,
    ExpertRegisterForm,
    ExpertStatusForm,
    ExportForm,
    FeedbackStartForm,
    LimitForm,
    OfferForm,
    ProfileForm,
    RequestForm,
    RescheduleForm,
    ReviewForm,
    StatementForm,
    SupportSessionForm,
)
from .models import (
    Agreement,
    EarningsLimit,
    ExpenseItem,
    ExpenseReport,
    Expert,
    FeeSchedule,
    Notification,
    Offer,
    PeerEvent,
    ReferenceFigure,
    SupportSession,
    TaskRequest,
    TrainingRecommendation,
)
from .permissions import broker_orgs, can_order, expert_card, is_coordinator, order_orgs

PAYMENTS_PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


def _require_coordinator(user: User) -> None:
    if not is_coordinator(user):
        raise PermissionDenied(_("Only coordinators of a brokering organisation can open this page."))


def _require_expert(user: User) -> Expert:
    expert = selectors.my_expert_profile(user=user)
    if expert is None:
        raise PermissionDenied(_("This page is for experts by experience."))
    return expert


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- the module's front page ------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    expert = selectors.my_expert_profile(user=user)
    roles = {
        "expert": expert is not None,
        "coordinator": is_coordinator(user),
        "orderer": bool(order_orgs(user)),
        "partner": Agreement.objects.filter(request__partner_worker=user).exists(),
    }
    if not any(roles.values()):
        raise PermissionDenied(_("This part of the service is for experts by experience, coordinators and orderers."))
    notifications = list(Notification.objects.filter(user=user, read_at__isnull=True)[:10])
    open_offers = selectors.offers_for(user=user).filter(status=Offer.Status.OFFERED)[:10] if expert else []
    waiting = (
        selectors.requests_for(actor=user).filter(status=TaskRequest.Status.SUBMITTED)[:10]
        if roles["coordinator"]
        else []
    )
    partnered = []
    shown = Shown(user, "partner tasks", request.path)
    if roles["partner"]:
        partnered = list(
            Agreement.objects.filter(request__partner_worker=user, status=Agreement.Status.ACTIVE).select_related(
                "expert__user", "request"
            )[:20]
        )
        shown.add(*(a.expert.user for a in partnered))
    shown.log()
    return TemplateResponse(
        request,
        "experts/home.html",
        {
            "roles": roles,
            "expert": expert,
            "notifications": notifications,
            "open_offers": open_offers,
            "waiting": waiting,
            "partnered": partnered,
        },
    )


# -- requests: orderer and coordinator ------------------------------------------------------------


def _partners_for(user: User) -> Any:
    return selectors.partner_candidates(organisation_ids=order_orgs(user))


@login_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not (is_coordinator(user) or order_orgs(user)):
        raise PermissionDenied(_("Only orderers and coordinators see task requests."))
    status = request.GET.get("status", "")
    qs = selectors.requests_for(actor=user)
    if status in TaskRequest.Status.values:
        qs = qs.filter(status=status)
    return TemplateResponse(
        request,
        "experts/requests.html",
        {
            "requests": qs[:200],
            "statuses": TaskRequest.Status.choices,
            "status": status,
            "may_order": bool(can_order(user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    decision = can_order(user)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    organisation = (
        Membership.objects.current()
        .filter(user=user, organisation_id__in=order_orgs(user))
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
        .organisation  # type: ignore[union-attr]
    )
    partners = _partners_for(user)
    form = RequestForm(request.POST or None, brokers=services.brokering_organisations(), partners=partners)
    shown = Shown(user, "choose the professional partner", request.path)
    shown.add(*partners)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_file(actor=user, organisation=organisation, **form.cleaned_data)
        except services.ExpertsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your request was sent to the coordinator."))
            return redirect("experts:request_detail", created.pk)
    shown.log()
    return TemplateResponse(
        request,
        "experts/request_form.html",
        {"form": form, "organisation": organisation},
        status=400 if request.method == "POST" else 200,
    )


def _review_form(req: TaskRequest, data: Any = None) -> ReviewForm:
    choices: list[tuple[str, str]] = []
    try:
        schedule = fees.schedule_in_force(organisation_id=req.broker_id, on=timezone.localtime(req.starts_at).date())
        choices = [(i.code, str(i)) for i in schedule.items.all()]
    except fees.FeeScheduleGap:
        pass
    initial = {"fee_item_code": req.fee_item_code}
    if not req.fee_item_code and choices:
        preferred = [c for c, _label in choices if schedule.items.filter(code=c, task_types=req.task_type).exists()]
        initial["fee_item_code"] = preferred[0] if preferred else ""
    return ReviewForm(data, fee_choices=choices, initial=initial)


def _request_context(request: HttpRequest, req: TaskRequest, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    coordinator = req.broker_id in broker_orgs(user)
    orderer = req.organisation_id in order_orgs(user)
    shown = Shown(user, "task request", request.path)
    shown.add(req.created_by, req.partner_worker)
    agreements = selectors.agreements_of_request(request=req)
    rec = matching.matching_recommendation()
    cards = []
    for a in agreements:
        shown.add(a.expert.user)
        cards.append((a, expert_card(viewer=user, expert=a.expert, trained=matching.is_trained(a.expert, rec))))
    ctx: dict[str, Any] = {"req": req, "coordinator": coordinator, "orderer": orderer, "cards": cards}
    if coordinator:
        offers = selectors.offers_of_request(request=req)
        shown.add(*(o.expert.user for o in offers))
        ctx["offers"] = offers
        ctx["review_form"] = extra.pop("review_form", None) or _review_form(req)
        if req.status == TaskRequest.Status.OPEN:
            candidates = matching.candidates(req)
            shown.add(*(c.user for c in candidates))
            ctx["candidates"] = candidates
            ctx["offer_form"] = extra.pop("offer_form", None) or OfferForm(candidates=candidates)
            ctx["recommendation"] = rec
    if orderer and req.status == TaskRequest.Status.NEEDS_DETAILS:
        ctx["details_form"] = extra.pop("details_form", None) or DetailsForm(initial={"description": req.description})
    ctx.update(extra)
    shown.log()
    return ctx


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.request_get(actor=_user(request), pk=pk)
    template = (
        "experts/request_detail.html#candidates" if getattr(request, "htmx", False) else "experts/request_detail.html"
    )
    return TemplateResponse(request, template, _request_context(request, req))


@login_required
@require_POST
def request_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    req = selectors.request_get(actor=user, pk=pk)
    if req.broker_id not in broker_orgs(user):
        raise Http404
    form = _review_form(req, request.POST)
    if form.is_valid():
        try:
            services.request_review(
                actor=user,
                request=req,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                fee_item_code=form.cleaned_data["fee_item_code"],
                fee_amount=form.cleaned_data["fee_amount"],
            )
        except (services.ExpertsError, fees.FeeScheduleGap) as exc:
            form.add_error(None, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, _("The request was reviewed."))
            return redirect("experts:request_detail", req.pk)
    return TemplateResponse(
        request, "experts/request_detail.html", _request_context(request, req, review_form=form), status=400
    )


@login_required
@require_POST
def request_details(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    req = selectors.request_get(actor=user, pk=pk)
    if req.organisation_id not in order_orgs(user):
        raise Http404
    form = DetailsForm(request.POST)
    if form.is_valid():
        try:
            services.request_add_details(actor=user, request=req, description=form.cleaned_data["description"])
        except services.ExpertsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The details were sent to the coordinator."))
            return redirect("experts:request_detail", req.pk)
    return TemplateResponse(
        request, "experts/request_detail.html", _request_context(request, req, details_form=form), status=400
    )


@login_required
@require_POST
def request_offer(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    req = selectors.request_get(actor=user, pk=pk)
    if req.broker_id not in broker_orgs(user):
        raise Http404
    ids = request.POST.getlist("experts")
    chosen = list(
        Expert.objects.filter(pk__in=[i for i in ids if i.isdigit()], organisation_id=req.broker_id).select_related(
            "user"
        )
    )
    form = OfferForm(request.POST, candidates=chosen)
    if form.is_valid():
        try:
            made = services.offer_make(actor=user, request=req, experts=chosen)
        except services.ExpertsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The task was offered to %(count)d experts.") % {"count": len(made)})
            return redirect("experts:request_detail", req.pk)
    ctx = _request_context(request, req)
    ctx["offer_form"] = form
    choices = [(str(e.pk), e.user.full_name) for e in ctx.get("candidates", [])]
    form.fields["experts"].choices = choices  # type: ignore[attr-defined]
    return TemplateResponse(request, "experts/request_detail.html", ctx, status=400)


# -- offers: the expert -----------------------------------------------------------------------------


@login_required
@require_GET
def offers(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_expert(user)
    return TemplateResponse(
        request,
        "experts/offers.html",
        {
            "offers": selectors.offers_for(user=user).filter(status=Offer.Status.OFFERED),
            "answered": selectors.offers_for(user=user).exclude(status=Offer.Status.OFFERED)[:20],
            "agreements": selectors.agreements_of_expert(user=user)[:50],
        },
    )


def _offer_context(request: HttpRequest, offer: Offer, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    req = offer.request
    day = timezone.localtime(req.starts_at).date()
    ctx: dict[str, Any] = {"offer": offer, "req": req}
    try:
        terms = services.terms_for(request=req, volunteer=False)
    except fees.FeeScheduleGap as exc:
        ctx["terms_error"] = str(exc)
        terms = None
    ctx["terms"] = terms
    if terms is not None and terms.fee:
        ctx["check"] = earnings.check_for(expert=offer.expert, adding=terms.fee, on=day)
    ctx["accept_form"] = extra.pop("accept_form", None) or AcceptForm()
    ctx["decline_form"] = extra.pop("decline_form", None) or DeclineForm()
    shown = Shown(user, "task offer", request.path)
    shown.add(req.partner_worker)
    shown.log()
    ctx.update(extra)
    return ctx


@login_required
@require_GET
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get_for_expert(actor=_user(request), pk=pk)
    return TemplateResponse(request, "experts/offer_detail.html", _offer_context(request, offer))


@login_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    offer = selectors.offer_get_for_expert(actor=user, pk=pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            agreement = services.offer_accept(actor=user, offer=offer, volunteer=form.cleaned_data["volunteer"])
        except services.ExpertsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("You accepted the task. Thank you!"))
            return redirect("experts:agreement_detail", agreement.pk)
    offer.refresh_from_db()
    return TemplateResponse(
        request, "experts/offer_detail.html", _offer_context(request, offer, accept_form=form), status=400
    )


@login_required
@require_POST
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    offer = selectors.offer_get_for_expert(actor=user, pk=pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.offer_decline(actor=user, offer=offer, reason=form.cleaned_data["reason"])
        except services.ExpertsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("You declined the offer. That is perfectly fine."))
            return redirect("experts:offers")
    return TemplateResponse(
        request, "experts/offer_detail.html", _offer_context(request, offer, decline_form=form), status=400
    )


# -- agreements -------------------------------------------------------------------------------------


def _agreement_context(request: HttpRequest, agreement: Agreement, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    req = agreement.request
    coordinator = req.broker_id in broker_orgs(user)
    orderer = req.organisation_id in order_orgs(user)
    own = agreement.expert.user_id == user.pk
    card = expert_card(viewer=user, expert=agreement.expert, trained=selectors.trained(agreement.expert))
    shown = Shown(user, "agreement", request.path)
    shown.add(req.created_by, req.partner_worker)
    shown.log(already=[agreement.expert.user_id])
    after = agreement.status in (Agreement.Status.DONE, Agreement.Status.NO_SHOW)
    ctx: dict[str, Any] = {
        "agreement": agreement,
        "req": req,
        "card": card,
        "coordinator": coordinator,
        "orderer": orderer,
        "own": own,
        "report": ExpenseReport.objects.filter(agreement=agreement).first(),
        "late": services.cancellation_fee_due(agreement=agreement, at=timezone.now()),
    }
    active = agreement.status == Agreement.Status.ACTIVE
    if orderer and active and agreement.starts_at <= timezone.now():
        ctx["confirm_form"] = extra.pop("confirm_form", None) or ConfirmForm()
    if active and (orderer or coordinator or own):
        ctx["cancel_form"] = extra.pop("cancel_form", None) or CancelForm()
    if active and coordinator:
        ctx["reschedule_form"] = extra.pop("reschedule_form", None) or RescheduleForm()
    # The viewer's own feedback (the measurement engine): status and date only, never answers.
    feedback = selectors.feedback_status(actor=user, agreement=agreement)
    feedback_form = extra.pop("feedback_form", None)
    if feedback is not None and (feedback_form is not None or (after and feedback.given_at is None)):
        ctx["feedback_form"] = feedback_form or FeedbackStartForm()
    ctx["feedback"] = feedback
    ctx.update(extra)
    return ctx


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    return selectors.agreement_get(actor=_user(request), pk=pk, route=request.path)


@login_required
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    return TemplateResponse(request, "experts/agreement_detail.html", _agreement_context(request, agreement))


def _agreement_action(
    request: HttpRequest, pk: int, form_class: Any, form_key: str, action: Any, success: str
) -> HttpResponse:
    agreement = _agreement(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(agreement, form.cleaned_data)
        except services.ExpertsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, success)
            return redirect("experts:agreement_detail", agreement.pk)
    agreement.refresh_from_db()
    return TemplateResponse(
        request, "experts/agreement_detail.html", _agreement_context(request, agreement, **{form_key: form}), status=400
    )


@login_required
@require_POST
def agreement_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _agreement_action(
        request,
        pk,
        ConfirmForm,
        "confirm_form",
        lambda a, d: services.agreement_confirm(actor=user, agreement=a, took_place=d["outcome"] == "done"),
        _("Thank you. The task was confirmed."),
    )


@login_required
@require_POST
def agreement_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _agreement_action(
        request,
        pk,
        CancelForm,
        "cancel_form",
        lambda a, d: services.agreement_cancel(actor=user, agreement=a, reason=d["reason"]),
        _("The task was cancelled."),
    )


@login_required
@require_POST
def agreement_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _agreement_action(
        request,
        pk,
        RescheduleForm,
        "reschedule_form",
        lambda a, d: services.agreement_reschedule(actor=user, agreement=a, starts_at=d["starts_at"]),
        _("The task was moved."),
    )


@login_required
@require_POST
def agreement_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Start (or continue) the viewer's feedback on the task and go to the measurement engine's
    accessible answer form. Only the expert and the orderer, only after the task."""
    from osallisuus.measurement import services as measurement

    user = _user(request)
    agreement = _agreement(request, pk)
    form = FeedbackStartForm(request.POST)
    try:
        response = services.feedback_start(actor=user, agreement=agreement)
    except services.FeedbackNotYours as exc:
        raise PermissionDenied(exc.message) from exc
    except services.ExpertsError as exc:
        form.is_valid()
        form.add_error(None, exc.message)
    else:
        return redirect(measurement.response_url(response))
    agreement.refresh_from_db()
    return TemplateResponse(
        request, "experts/agreement_detail.html", _agreement_context(request, agreement, feedback_form=form), status=400
    )


@login_required
@require_GET
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    ctx = _agreement_context(request, agreement)
    return _download(
        documents.pdf_bytes("experts/pdf/agreement.html", ctx), f"agreement-{agreement.pk}.pdf", "application/pdf"
    )


@login_required
@require_GET
def agreement_ics(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    return _download(documents.agreement_ics(agreement), f"task-{agreement.pk}.ics", "text/calendar")


# -- expenses and payments --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def expenses(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    agreement = _agreement(request, pk)
    own = agreement.expert.user_id == user.pk
    if not own and agreement.request.broker_id not in broker_orgs(user):
        raise Http404
    report = ExpenseReport.objects.filter(agreement=agreement).first()
    form = ExpenseForm(request.POST or None, request.FILES or None) if own else None
    caps = (
        earnings.volunteer_caps(expert=agreement.expert, year=agreement.starts_at.year) if agreement.volunteer else None
    )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            lines = []
            if d.get("kilometres"):
                lines.append(services.ExpenseInput(kind=ExpenseItem.Kind.KILOMETRES, kilometres=d["kilometres"]))
            for kind in ("ticket", "meal", "lodging"):
                if d.get(f"{kind}_amount"):
                    lines.append(
                        services.ExpenseInput(kind=kind, amount=d[f"{kind}_amount"], receipt=d.get(f"{kind}_receipt"))
                    )
            if d.get("daily_allowance"):
                lines.append(services.ExpenseInput(kind=ExpenseItem.Kind.DAILY_ALLOWANCE, amount=d["daily_allowance"]))
            try:
                services.expenses_submit(actor=user, agreement=agreement, lines=lines)
            except services.ExpertsError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your expenses were sent for approval."))
                return redirect("experts:agreement_detail", agreement.pk)
    if caps is not None and form is not None and form.is_bound and form.is_valid():
        km = fees.money((form.cleaned_data.get("kilometres") or Decimal("0")) * agreement.travel_per_km)
        caps = earnings.volunteer_caps(
            expert=agreement.expert,
            year=agreement.starts_at.year,
            adding_km=km,
            adding_days=1 if form.cleaned_data.get("daily_allowance") else 0,
        )
    return TemplateResponse(
        request,
        "experts/expenses.html",
        {
            "agreement": agreement,
            "form": form,
            "report": report,
            "caps": caps,
            "items": list(report.items.all()) if report else [],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def payments(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_coordinator(user)
    if request.method == "POST":
        report_id = request.POST.get("report", "")
        report = ExpenseReport.objects.filter(
            pk=int(report_id) if report_id.isdigit() else 0, agreement__request__broker_id__in=broker_orgs(user)
        ).first()
        if report is None:
            raise Http404
        try:
            services.expenses_approve(
                actor=user,
                report=report,
                approve=request.POST.get("decision") != "return",
                note=request.POST.get("note", ""),
            )
        except services.ExpertsError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The expenses were handled."))
        return redirect("experts:payments")
    year = timezone.localdate().year
    # A page at a time: the approval queue oldest first, the year's payments by date.
    waiting = Paginator(selectors.reports_waiting(actor=user), PAYMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    all_rows = selectors.payments(actor=user, year=year)
    rows = Paginator(all_rows, PAYMENTS_PAGE_SIZE).get_page(request.GET.get("rows"))
    shown = Shown(user, "payments", request.path)
    shown.add(*(r.agreement.expert.user for r in waiting), *(r.agreement.expert.user for r in rows))
    shown.log()
    return TemplateResponse(
        request,
        "experts/payments.html",
        {
            "waiting": waiting,
            "rows": rows,
            "year": year,
            "export_form": ExportForm(initial={"year": year, "format": "xlsx"}),
            "total": sum((r.total for r in all_rows), Decimal("0")),
        },
    )


@login_required
@require_GET
def payments_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_coordinator(user)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return TemplateResponse(request, "experts/export_error.html", {"form": form}, status=400)
    rows = selectors.payments(actor=user, year=form.cleaned_data["year"])
    shown = Shown(user, "payment export", request.path)
    shown.add(*(r.agreement.expert.user for r in rows))
    shown.log()
    name = f"payments-{form.cleaned_data['year']}"
    if form.cleaned_data["format"] == "csv":
        return _download(documents.payments_csv(rows), f"{name}.csv", "text/csv; charset=utf-8")
    return _download(
        documents.payments_xlsx(rows),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# -- the expert's own pages -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    expert = _require_expert(user)
    form = ProfileForm(request.POST or None, instance=Expert.objects.get(pk=expert.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_profile_update(actor=user, expert=expert, changes=form.changes())
        except services.ExpertsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("experts:profile")
    checkin_form = CheckInForm()
    return TemplateResponse(
        request,
        "experts/profile.html",
        {
            "form": form,
            "expert": expert,
            "checkin_form": checkin_form,
            "courses": expert.courses.all(),
            "recommendations": TrainingRecommendation.objects.all(),
            "trained": selectors.trained(expert),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def checkin(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    expert = _require_expert(user)
    form = CheckInForm(request.POST)
    if form.is_valid():
        services.checkin_record(actor=user, expert=expert, **form.cleaned_data)
        messages.success(request, _("Thank you for telling us how you are."))
        return redirect("experts:profile")
    return TemplateResponse(
        request,
        "experts/profile.html",
        {
            "form": ProfileForm(instance=expert),
            "expert": expert,
            "checkin_form": form,
            "courses": expert.courses.all(),
            "recommendations": TrainingRecommendation.objects.all(),
            "trained": selectors.trained(expert),
        },
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def limits(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    expert = _require_expert(user)
    form = LimitForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove:
            limit = EarningsLimit.objects.filter(pk=int(remove) if remove.isdigit() else 0, expert__user=user).first()
            if limit is None:
                raise Http404
            services.earnings_limit_remove(actor=user, limit=limit)
            messages.success(request, _("The limit was removed."))
            return redirect("experts:limits")
        if form.is_valid():
            try:
                services.earnings_limit_add(actor=user, expert=expert, **form.cleaned_data)
            except services.ExpertsError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The limit was saved."))
                return redirect("experts:limits")
    today = timezone.localdate()
    check = earnings.check_for(expert=expert, adding=Decimal("0"), on=today)
    monthly = earnings.monthly_earnings(expert=expert, year=today.year)
    months = [(dt.date(today.year, m, 1), monthly.get((today.year, m), Decimal("0.00"))) for m in range(1, 13)]
    peak = max((v for _d, v in months), default=Decimal("0")) or Decimal("1")
    own_limits = list(EarningsLimit.objects.filter(expert__user=user).select_related("recorded_by"))
    shown = Shown(user, "earnings limits: who recorded them", request.path)
    shown.add(*(limit.recorded_by for limit in own_limits))
    shown.log()
    return TemplateResponse(
        request,
        "experts/limits.html",
        {
            "form": form,
            "limits": own_limits,
            "check": check,
            "months": [(d, v, int(v / peak * 100)) for d, v in months],
            "figures": ReferenceFigure.objects.filter(kind=ReferenceFigure.Kind.DISABILITY_PENSION_MIN),
            "caps": earnings.volunteer_caps(expert=expert, year=today.year),
            "statement_form": StatementForm(initial={"year": today.year}),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def statement_pdf(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    expert = _require_expert(user)
    form = StatementForm(request.GET)
    if not form.is_valid():
        return TemplateResponse(request, "experts/export_error.html", {"form": form}, status=400)
    year, month = form.cleaned_data["year"], form.cleaned_data.get("month")
    rows = selectors.fee_statement(user=user, year=year, month=month)
    total = sum((a.fee for a in rows), Decimal("0"))
    pdf = documents.pdf_bytes(
        "experts/pdf/statement.html",
        {"expert": expert, "rows": rows, "year": year, "month": month, "total": total, "user": user},
    )
    return _download(pdf, f"fees-{year}{'-' + str(month) if month else ''}.pdf", "application/pdf")


# -- coordinator: experts, training, wellbeing, reports -------------------------------------------------


@login_required
@require_GET
def expert_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_coordinator(user)
    experts = list(selectors.experts_of(actor=user).order_by("user__full_name")[:500])
    rec = matching.matching_recommendation()
    shown = Shown(user, "expert list", request.path)
    shown.add(*(e.user for e in experts))
    shown.log()
    return TemplateResponse(
        request,
        "experts/expert_list.html",
        {"experts": [(e, matching.is_trained(e, rec)) for e in experts], "recommendation": rec},
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    _require_coordinator(user)
    expert = selectors.expert_get(actor=user, pk=pk, purpose="expert profile (coordinator)", route=request.path)
    if expert.organisation_id not in broker_orgs(user):
        raise Http404
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_record(actor=user, expert=expert, **form.cleaned_data)
        except services.ExpertsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The course was recorded."))
            return redirect("experts:expert_detail", expert.pk)
    card = expert_card(viewer=user, expert=expert, trained=selectors.trained(expert))
    return TemplateResponse(
        request,
        "experts/expert_detail.html",
        {
            "expert": expert,
            "card": card,
            "form": form,
            "courses": expert.courses.all(),
            "recommendations": TrainingRecommendation.objects.all(),
            "agreements": expert.agreements.select_related("request")[:20],
        },
        status=400 if request.method == "POST" else 200,
    )


def _register_organisations(user: User) -> Any:
    return organisations_all().filter(pk__in=broker_orgs(user))


@login_required
@require_http_methods(["GET", "POST"])
def expert_new(request: HttpRequest) -> HttpResponse:
    """The coordinator adds a person to the organisation's registry of experts by experience."""
    user = _user(request)
    _require_coordinator(user)
    form = ExpertRegisterForm(request.POST or None, organisations=_register_organisations(user))
    if request.method == "POST" and form.is_valid():
        try:
            registered = services.expert_register(
                actor=user, site_url=request.build_absolute_uri("/"), **form.registration()
            )
        except services.ExpertsError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            name = registered.expert.user.full_name
            if registered.password_link_sent:
                messages.success(
                    request,
                    _("%(name)s was added. They got an e-mail with a link to choose their password.") % {"name": name},
                )
            else:
                messages.success(
                    request, _("%(name)s was added. They already have an account and were told.") % {"name": name}
                )
            return redirect("experts:expert_detail", registered.expert.pk)
    return TemplateResponse(
        request, "experts/expert_new.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Active, on a pause, in training, not active, or left the registry (the coordinator)."""
    user = _user(request)
    _require_coordinator(user)
    expert = selectors.coordinated_expert_get(
        actor=user, pk=pk, purpose="expert status (coordinator)", route=request.path
    )
    form = ExpertStatusForm(request.POST or None, initial=ExpertStatusForm.initial_for(expert))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.expert_status_change(actor=user, expert=expert, **form.change())
        except services.ExpertsError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The status was saved."))
            if changed.withdrawn_offers:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d open offer was withdrawn.",
                        "%(count)d open offers were withdrawn.",
                        changed.withdrawn_offers,
                    )
                    % {"count": changed.withdrawn_offers},
                )
            return redirect("experts:expert_detail", expert.pk)
    return TemplateResponse(
        request,
        "experts/expert_status.html",
        {"expert": expert, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def expert_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a new link to choose a password to an expert who has not logged in yet."""
    user = _user(request)
    _require_coordinator(user)
    expert = selectors.coordinated_expert_get(
        actor=user, pk=pk, purpose="expert invitation (coordinator)", route=request.path
    )
    try:
        services.expert_invitation_resend(actor=user, expert=expert, site_url=request.build_absolute_uri("/"))
    except services.ExpertsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("A new link was sent to %(email)s.") % {"email": expert.user.email})
    return redirect("experts:expert_detail", expert.pk)


@login_required
@require_http_methods(["GET", "POST"])
def expert_limits(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator records the expert's earnings limits together with the expert.
    Every visit goes through the gate and is logged as a read of the limits."""
    user = _user(request)
    _require_coordinator(user)
    expert = selectors.expert_limits_get(actor=user, pk=pk, route=request.path)
    form = LimitForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove:
            limit = EarningsLimit.objects.filter(pk=int(remove) if remove.isdigit() else 0, expert=expert).first()
            if limit is None:
                raise Http404
            try:
                services.earnings_limit_remove(actor=user, limit=limit)
            except services.ExpertsError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The limit was removed."))
            return redirect("experts:expert_limits", expert.pk)
        if form.is_valid():
            try:
                services.earnings_limit_add(actor=user, expert=expert, **form.cleaned_data)
            except services.ExpertsError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The limit was saved."))
                return redirect("experts:expert_limits", expert.pk)
    limits = list(selectors.earnings_limits_of(expert=expert))
    shown = Shown(user, "earnings limits: who recorded them", request.path)
    shown.add(*(limit.recorded_by for limit in limits))
    shown.log(already=[expert.user_id])
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "experts/expert_limits.html",
        {
            "expert": expert,
            "form": form,
            "limits": limits,
            "check": earnings.check_for(expert=expert, adding=Decimal("0"), on=today),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    _require_coordinator(user)
    expert = selectors.expert_get(actor=user, pk=pk, purpose="training certificate", route=request.path)
    if expert.organisation_id not in broker_orgs(user):
        raise Http404
    pdf = documents.pdf_bytes(
        "experts/pdf/certificate.html",
        {
            "expert": expert,
            "courses": expert.courses.all(),
            "recommendations": TrainingRecommendation.objects.all(),
            "today": timezone.localdate(),
            "coordinator": user,
        },
    )
    return _download(pdf, f"certificate-{expert.pk}.pdf", "application/pdf")


@login_required
@require_GET
def wellbeing(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_coordinator(user)
    signals = selectors.wellbeing_signals(actor=user)
    shown = Shown(user, "wellbeing signals", request.path)
    shown.add(*(s.expert.user for s in signals))
    shown.log()
    return TemplateResponse(request, "experts/wellbeing.html", {"signals": signals})


@login_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_coordinator(user)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else timezone.localdate().year
    report = selectors.coordinator_report(actor=user, year=year)
    feedback = selectors.feedback_reports(actor=user, year=year)
    if request.GET.get("format") == "xlsx":
        from osallisuus.measurement.reports import report_rows

        rows: list[list[Any]] = [
            [_("Month"), _("Tasks")],
            *([d.strftime("%m/%Y"), n] for d, n in report.by_month),
            [],
            [_("Task type"), _("Tasks")],
            *([t, n] for t, n in report.by_type),
            [],
            [_("Fees"), report.fees_paid],
            [_("Expenses"), report.expenses_paid],
            [_("Experts with tasks"), report.active_experts],
            [_("Share of tasks going to the busiest tenth (%)"), report.busiest_tenth_share],
        ]
        for fb in feedback:  # group figures only; hidden cells say so
            rows.extend([[], [fb.title], *report_rows(fb.report)])
        return _download(
            documents.xlsx_bytes(rows, title=_("Report")),
            f"experts-report-{year}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    peak = max((n for _d, n in report.by_month), default=1) or 1
    return TemplateResponse(
        request,
        "experts/reports.html",
        {
            "report": report,
            "bars": [(d, n, int(n / peak * 100)) for d, n in report.by_month],
            "feedback": feedback,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def peer_events(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    expert = selectors.my_expert_profile(user=user)
    orgs = set(broker_orgs(user))
    if expert:
        orgs.add(expert.organisation_id)
    if not orgs:
        raise PermissionDenied(_("Peer events are for experts by experience and their coordinators."))
    if request.method == "POST":
        event_id = request.POST.get("event", "")
        event = PeerEvent.objects.filter(
            pk=int(event_id) if event_id.isdigit() else 0, organisation_id__in=orgs
        ).first()
        if event is None:
            raise Http404
        try:
            services.peer_event_signup(actor=user, event=event)
        except services.ExpertsError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("You signed up. Welcome!"))
        return redirect("experts:peer_events")
    events = PeerEvent.objects.filter(organisation_id__in=orgs, starts_at__gte=timezone.now()).annotate(
        taken=Count("participants")
    )
    mine = set(expert.peer_events.values_list("pk", flat=True)) if expert else set()
    return TemplateResponse(request, "experts/peer_events.html", {"events": events, "mine": mine, "expert": expert})


@login_required
@require_GET
def reference(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "experts/reference.html",
        {
            "figures": ReferenceFigure.objects.all(),
            "recommendations": TrainingRecommendation.objects.all(),
            "schedules": FeeSchedule.objects.filter(
                Q(organisation__isnull=True) | Q(organisation_id__in=broker_orgs(_user(request)))
            )
            .select_related("organisation")
            .prefetch_related("items"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest) -> HttpResponse:
    """Supervision (työnohjaus) and peer-support sessions with attendance."""
    user = _user(request)
    _require_coordinator(user)
    experts = list(selectors.experts_of(actor=user).filter(status=Expert.Status.ACTIVE).order_by("user__full_name"))
    form = SupportSessionForm(request.POST or None, experts=experts)
    if request.method == "POST" and form.is_valid():
        chosen = [e for e in experts if str(e.pk) in set(form.cleaned_data["attendees"])]
        try:
            services.support_session_record(
                actor=user,
                organisation_id=chosen[0].organisation_id,
                kind=form.cleaned_data["kind"],
                held_on=form.cleaned_data["held_on"],
                experts=chosen,
            )
        except services.ExpertsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The session was recorded."))
            return redirect("experts:sessions")
    recent = list(
        SupportSession.objects.filter(organisation_id__in=broker_orgs(user))
        .annotate(n=Count("attendees"))
        .order_by("-held_on")[:30]
    )
    shown = Shown(user, "support sessions", request.path)
    shown.add(*(e.user for e in experts))
    shown.log()
    return TemplateResponse(
        request,
        "experts/sessions.html",
        {"form": form, "recent": recent},
        status=400 if request.method == "POST" else 200,
    )
