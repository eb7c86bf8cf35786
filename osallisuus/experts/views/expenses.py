"""Expenses and payments: the expert reports the costs of a task (with the tax-free caps shown
before sending), the coordinator approves them and exports the year's payments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from osallisuus.core.access import Shown, log_listing
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, render
from osallisuus.core.paging import paginate, read_query

from .. import documents, earnings, selectors, services
from ..forms import ExpenseForm, ExportForm
from ..models import ExpenseItem, ExpenseReport
from ..permissions import NotYours, can_report_expenses, can_view_expenses
from ._common import XLSX, download, require_coordinator

PAYMENTS_PAGE_SIZE = 25


def _lines(data: dict[str, Any]) -> list[services.ExpenseInput]:
    lines = []
    if data.get("kilometres"):
        lines.append(services.ExpenseInput(kind=ExpenseItem.Kind.KILOMETRES, kilometres=data["kilometres"]))
    for kind in ("ticket", "meal", "lodging"):
        if data.get(f"{kind}_amount"):
            lines.append(
                services.ExpenseInput(kind=kind, amount=data[f"{kind}_amount"], receipt=data.get(f"{kind}_receipt"))
            )
    if data.get("daily_allowance"):
        lines.append(services.ExpenseInput(kind=ExpenseItem.Kind.DAILY_ALLOWANCE, amount=data["daily_allowance"]))
    return lines


@login_required
@require_http_methods(["GET", "POST"])
def expenses(request: AuthedRequest, pk: int) -> HttpResponse:
    """The expenses of one task. The tax-free caps show what the allowances typed would do
    before they are sent ("Check the limits", live with htmx); sending keeps the warning."""
    user = request.user
    agreement = selectors.agreement_get(actor=user, pk=pk, route=request.path)
    if isinstance(can_view_expenses(user, agreement), NotYours):
        raise Http404
    report = selectors.expense_report_of(agreement=agreement)
    own = agreement.expert.user_id == user.pk
    if request.method == "POST" and not own:
        raise Http404
    form = ExpenseForm(request.POST or None, request.FILES or None) if own else None
    checking = "check" in request.POST
    lines = _lines(form.cleaned_data) if form is not None and form.is_bound and form.is_valid() else []
    if request.method == "POST" and form is not None and form.is_valid() and not checking:
        caps = services.expenses_caps(agreement=agreement, lines=lines)
        try:
            services.expenses_submit(actor=user, agreement=agreement, lines=lines)
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            for warning in caps.warnings if caps is not None else []:
                messages.warning(request, warning)
            messages.success(request, _("Your expenses were sent for approval."))
            return redirect("experts:agreement_detail", agreement.pk)
    caps = services.expenses_caps(agreement=agreement, lines=lines)
    status = 400 if request.method == "POST" and not checking else 200
    return render(
        request,
        "experts/expenses.html",
        {
            "agreement": agreement,
            "form": form,
            "report": report,
            "report_decision": can_report_expenses(user, agreement, report) if own else None,
            "caps": caps,
            "items": selectors.expense_items_of(report=report),
        },
        fragment="caps" if checking else None,
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def payments(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require_coordinator(user)
    if request.method == "POST":
        report = selectors.waiting_report_get(actor=user, pk=request.POST.get("report", ""))
        try:
            services.expenses_approve(
                actor=user,
                report=report,
                approve=request.POST.get("decision") != "return",
                note=request.POST.get("note", ""),
            )
        except Refusal as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The expenses were handled."))
        return redirect("experts:payments")
    year_text = request.GET.get("year", "")
    this_year = timezone.localdate().year
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= this_year + 1 else this_year
    # The approval queue oldest first, a page at a time (``waiting`` in the address).
    waiting = Paginator(selectors.reports_waiting(actor=user), PAYMENTS_PAGE_SIZE).get_page(request.GET.get("waiting"))
    caps = earnings.caps_of_reports(list(waiting))
    for report in waiting:  # the tax-free caps each report would reach (None for a paid task)
        setattr(report, "tax_free_caps", caps.get(report.pk))  # noqa: B010 - an attribute for the template
    # The year's payments: searched, filtered, sorted and paged in SQL, the total aggregated.
    filters = {"status": selectors.PAYMENT_STATUSES}
    query = read_query(request.GET, sorts=selectors.PAYMENT_SORTS, default_sort="date", filters=filters)
    qs = selectors.payments_queryset(actor=user, year=year, status=query.filters.get("status", ""), query=query.q)
    listing = paginate(
        request,
        qs,
        sorts=selectors.PAYMENT_SORTS,
        default_sort="date",
        filters=filters,
        per_page=PAYMENTS_PAGE_SIZE,
        query=query,
    )
    if year != this_year:
        listing.params["year"] = str(year)
    rows = selectors.payment_rows(listing.rows)
    log_listing(
        actor=user,
        rows=[*(r.agreement for r in waiting), *(r.agreement for r in rows)],
        subject_of=lambda a: a.expert.user_id,
        purpose="payments",
        route=request.path,
    )
    return render(
        request,
        "experts/payments.html",
        {
            "waiting": waiting,
            "listing": listing,
            "rows": rows,
            "year": year,
            "query": query.q,
            "status": query.filters.get("status", ""),
            "statuses": ExpenseReport.Status.choices,
            "export_form": ExportForm(initial={"year": year, "format": "xlsx"}),
            "total": selectors.payments_total(qs),
        },
    )


@login_required
@require_GET
def payments_export(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require_coordinator(user)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(request, "experts/export_error.html", {"form": form}, status=400)
    rows = selectors.payments(actor=user, year=form.cleaned_data["year"])
    shown = Shown(user, "payment export", request.path)
    shown.add(*(r.agreement.expert.user for r in rows))
    shown.log()
    name = f"payments-{form.cleaned_data['year']}"
    if form.cleaned_data["format"] == "csv":
        return download(documents.payments_csv(rows), f"{name}.csv", "text/csv; charset=utf-8")
    return download(documents.payments_xlsx(rows), f"{name}.xlsx", XLSX)
