"""Pages of the money after a decision: a decision's payments, reports and outputs, the payer's
payment list and its XLSX, and the self-financing loans. The rules are in
``services.payments``; a refusal is shown beside its field with what was typed kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts import selectors as accounts
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, render
from osallisuus.core.paging import paginate, read_query
from osallisuus.funding.forms_money import LoanForm, PaymentRequestForm, RejectForm, RepaidForm, ReportForm
from osallisuus.funding.models import Attachment, Decision, Payment, Report
from osallisuus.funding.permissions import P
from osallisuus.funding.selectors import money as reads
from osallisuus.funding.services import payments as money

PAGE_SIZE = 25


def _decision_url(decision: Decision) -> str:
    return reverse("funding:decision_money", args=[decision.pk])


def _decision_page(
    request: AuthedRequest,
    decision: Decision,
    *,
    request_form: PaymentRequestForm | None = None,
    report_form: ReportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    application = decision.application
    writer = money.is_project_writer(user, application)
    payer = money.is_payer(user, decision.funder.organisation_id)
    found = reads.decision_money(decision)
    reports = Report.objects.filter(application=application).order_by("-submitted_at")
    if writer:
        request_form = request_form or PaymentRequestForm(reports=reports)
        report_form = report_form or ReportForm(
            outputs=found.outputs, attachments=Attachment.objects.filter(application=application)
        )
    today = timezone.localdate()
    lump_sum_block = money.lump_sum_refusal(decision, today=today) if application.lump_sum else None
    try:
        advance_cap = money.advance_cap(decision, today)
    except Refusal:
        advance_cap = None
    return render(
        request,
        "funding/money/decision.html",
        {
            "decision": decision,
            "application": application,
            "m": found,
            "writer": writer,
            "payer": payer,
            "request_form": request_form if writer else None,
            "report_form": report_form if writer else None,
            "reject_form": RejectForm() if payer else None,
            "lump_sum_block": lump_sum_block,
            "advance_cap": advance_cap,
            "loans": reads.loan_rows(reads.loans_visible_to(user).filter(application=application)),
            "may_lend": user.permissions.has(P.PAY, organisation_id=decision.funder.organisation_id)
            and decision.funder.share == "city",
        },
        status=status,
    )


@login_required
@require_GET
def decision_money(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = reads.decision_money_get(actor=request.user, pk=pk, route=request.path)
    return _decision_page(request, decision)


@login_required
@require_POST
def payment_request(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = reads.decision_money_get(actor=request.user, pk=pk, route=request.path)
    reports = Report.objects.filter(application=decision.application)
    form = PaymentRequestForm(request.POST, reports=reports)
    if form.is_valid():
        try:
            money.payment_request(
                actor=request.user,
                decision=decision,
                kind=form.cleaned_data["kind"],
                amount=form.cleaned_data["amount"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                report=form.cleaned_data["report"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The payment request was sent to the funder."))
            return redirect(_decision_url(decision))
    return _decision_page(request, decision, request_form=form, status=400)


@login_required
@require_POST
def report_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = reads.decision_money_get(actor=request.user, pk=pk, route=request.path)
    application = decision.application
    found = reads.decision_money(decision)
    form = ReportForm(
        request.POST, outputs=found.outputs, attachments=Attachment.objects.filter(application=application)
    )
    if form.is_valid():
        try:
            money.report_submit(
                actor=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data["attachment"],
                reached=form.reached(),
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The report was sent."))
            return redirect(_decision_url(decision))
    return _decision_page(request, decision, report_form=form, status=400)


@login_required
@require_POST
def output_verify(request: AuthedRequest, pk: int) -> HttpResponse:
    output = reads.output_get(actor=request.user, pk=pk, route=request.path)
    decision = reads.decisions_with_money_visible_to(request.user).filter(outputs=output).order_by("pk").first()
    if decision is None:
        raise Http404
    try:
        money.output_verify(actor=request.user, output=output)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The output is verified."))
    return redirect(_decision_url(decision))


@login_required
@require_POST
def payment_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    payment = reads.payment_get(actor=request.user, pk=pk, route=request.path)
    try:
        money.payment_approve(actor=request.user, payment=payment)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The payment is approved and entered as paid."))
    return redirect(_decision_url(payment.decision))


@login_required
@require_POST
def payment_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    payment = reads.payment_get(actor=request.user, pk=pk, route=request.path)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            money.payment_reject(actor=request.user, payment=payment, note=form.cleaned_data["note"])
        except Refusal as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The request was rejected; the project sees why."))
    else:
        messages.error(request, _("Tell the project why the request is rejected."))
    return redirect(_decision_url(payment.decision))


# -- the payer's list --------------------------------------------------------------------------------

SORTS: dict[str, Any] = {"date": ("created_at", "pk"), "amount": ("amount", "pk"), "status": ("status", "pk")}


def _list_filters(request: AuthedRequest) -> tuple[list[Any], dict[str, Any]]:
    funders = reads.payer_funders(request.user)
    filters = {
        "funder": [f.pk for f in funders],
        "programme": sorted({f.programme_id for f in funders}),
        "status": Payment.Status.values,
    }
    return funders, filters


@login_required
@require_GET
def payments(request: AuthedRequest) -> HttpResponse:
    if not request.user.permissions.has(P.PAY):
        raise Http404
    funders, filters = _list_filters(request)
    query = read_query(request.GET, sorts=SORTS, default_sort="-date", filters=filters)
    qs = reads.payment_list(
        actor=request.user,
        funder_id=query.filters.get("funder", ""),
        programme_id=query.filters.get("programme", ""),
        status=query.filters.get("status", ""),
    )
    listing = paginate(request, qs, sorts=SORTS, default_sort="-date", filters=filters, per_page=PAGE_SIZE, query=query)
    return render(
        request,
        "funding/money/payments.html",
        {
            "listing": listing,
            "funders": funders,
            "programmes": list({f.programme_id: f.programme for f in funders}.values()),
            "statuses": Payment.Status.choices,
        },
        fragment="results",
    )


@login_required
@require_GET
def payments_xlsx(request: AuthedRequest) -> HttpResponse:
    if not request.user.permissions.has(P.PAY):
        raise Http404
    _funders, filters = _list_filters(request)
    query = read_query(request.GET, sorts=SORTS, default_sort="-date", filters=filters)
    qs = reads.payment_list(
        actor=request.user,
        funder_id=query.filters.get("funder", ""),
        programme_id=query.filters.get("programme", ""),
        status=query.filters.get("status", ""),
    ).order_by("created_at", "pk")
    response = HttpResponse(
        reads.payments_xlsx(qs), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="maksut_{timezone.localdate():%Y%m%d}.xlsx"'
    return response


# -- loans -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def loans(request: AuthedRequest) -> HttpResponse:
    rows = reads.loan_rows(reads.loans_visible_to(request.user).order_by("-granted_on", "pk"))
    return render(request, "funding/money/loans.html", {"rows": rows})


@login_required
@require_GET
def loan(request: AuthedRequest, pk: int) -> HttpResponse:
    found = reads.loan_get(actor=request.user, pk=pk, route=request.path)
    row = reads.loan_rows(type(found).objects.filter(pk=found.pk))[0]
    return render(
        request,
        "funding/money/loan.html",
        {"row": row, "may_record": money.is_payer(request.user, found.lender_id), "repaid_form": RepaidForm()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def loan_create(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = reads.decision_money_get(actor=request.user, pk=pk, route=request.path)
    if decision.funder.share != "city" or not money.is_payer(request.user, decision.funder.organisation_id):
        raise Http404
    form = LoanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lender = accounts.acting_organisation(
                user=request.user, permission=P.PAY, chosen=decision.funder.organisation_id
            )
            made = money.loan_grant(
                actor=request.user,
                application=decision.application,
                lender=lender,
                amount=form.cleaned_data["amount"],
                granted_on=form.cleaned_data["granted_on"],
                schedule=form.cleaned_data["schedule"],
                decision_number=form.cleaned_data["decision_number"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The loan and its repayment schedule are saved."))
            return redirect("funding:loan", made.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "funding/money/loan_form.html", {"form": form, "decision": decision}, status=status)


@login_required
@require_POST
def instalment_repaid(request: AuthedRequest, pk: int) -> HttpResponse:
    instalment = reads.instalment_get(actor=request.user, pk=pk, route=request.path)
    form = RepaidForm(request.POST)
    if form.is_valid():
        try:
            money.instalment_repaid(actor=request.user, instalment=instalment, repaid_on=form.cleaned_data["repaid_on"])
        except Refusal as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The instalment is entered as repaid."))
    else:
        messages.error(request, _("Give the date the instalment was repaid."))
    return redirect("funding:loan", instalment.loan_id)
