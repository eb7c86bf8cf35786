"""Group reports: rounds, change between rounds, comparisons; CSV and XLSX of the same figures.
Small groups are hidden (``core.suppression``); no page here shows a person's answers or score."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from osallisuus.accounts.selectors import acting_organisation, organisations_acting_for
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.exports import csv_bytes, safe_cell
from osallisuus.core.http import AuthedRequest, render
from osallisuus.core.paging import paginate

from .. import reports, selectors
from ..forms import BreakdownForm
from ..permissions import P, can_view_reports
from .common import require

EXPORTS = {"csv", "xlsx"}


@login_required
@require_GET
def reports_index(request: AuthedRequest) -> HttpResponse:
    require(can_view_reports(request.user))
    rounds = selectors.rounds_reportable(actor=request.user)
    listing = paginate(
        request, rounds, sorts={"group": ("group_key", "phase", "-opens_at", "pk")}, default_sort="group", per_page=50
    )
    organisations = list(organisations_acting_for(user=request.user, permission=P.VIEW_REPORTS))
    context = {
        "listing": listing,
        "changes": selectors.round_changes(list(rounds)),
        "form": BreakdownForm(organisations=organisations),
    }
    return render(request, "measurement/reports.html", context, fragment="results")


@login_required
@require_GET
def round_report(request: AuthedRequest, round_id: int) -> HttpResponse:
    require(can_view_reports(request.user))
    round_ = selectors.round_get_for_report(actor=request.user, pk=round_id)
    report = reports.round_report(round=round_)
    return render(request, "measurement/round_report.html", {"round": round_, "report": report})


def _xlsx_cell(value: Any) -> Any:
    """Numbers stay numbers; text goes through the formula-safe cell of the CSV writer."""
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, int | float):
        return value
    return safe_cell(value)


def _export(report: reports.Report, fmt: str, name: str) -> HttpResponse:
    rows = reports.report_rows(report)
    if fmt == "csv":
        response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook  # noqa: PLC0415 - half a second to import; only the XLSX export needs it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Report")[:31])
    for row in rows:
        sheet.append([_xlsx_cell(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_GET
def round_report_export(request: AuthedRequest, round_id: int, fmt: str) -> HttpResponse:
    require(can_view_reports(request.user))
    if fmt not in EXPORTS:
        raise Http404
    round_ = selectors.round_get_for_report(actor=request.user, pk=round_id)
    return _export(reports.round_report(round=round_), fmt, f"round-{round_.pk}")


@login_required
@require_GET
def change_report(request: AuthedRequest, first_id: int, second_id: int) -> HttpResponse:
    require(can_view_reports(request.user))
    first = selectors.round_get_for_report(actor=request.user, pk=first_id)
    second = selectors.round_get_for_report(actor=request.user, pk=second_id)
    if first.group_key != second.group_key or first.instrument_id != second.instrument_id:
        raise Http404
    change = reports.change_report(first=first, second=second)
    return render(request, "measurement/change_report.html", {"change": change})


@login_required
@require_GET
def breakdown(request: AuthedRequest) -> HttpResponse:
    """Compare groups of one organisation's answers (the person chooses the organisation when they
    act for several)."""
    require(can_view_reports(request.user))
    organisations = list(organisations_acting_for(user=request.user, permission=P.VIEW_REPORTS))
    form = BreakdownForm(request.GET or None, organisations=organisations)
    report = None
    status = 200
    if request.GET:
        if form.is_valid():
            data = form.cleaned_data
            try:
                organisation = acting_organisation(
                    user=request.user, permission=P.VIEW_REPORTS, chosen=data.get("organisation")
                )
            except Refusal as exc:
                refusal_to_form(form, exc)
                status = 400
            else:
                report = reports.breakdown_report(
                    instrument=data["instrument"],
                    organisation_ids=[organisation.pk],
                    dimension=data["dimension"],
                    threshold=settings.SUPPRESSION_MIN_CELL_SIZE,
                    module=data["module"],
                    area=data["area"].strip(),
                    since=data["since"],
                    until=data["until"],
                )
                if request.GET.get("export") in EXPORTS:
                    return _export(report, request.GET["export"], "inclusion-report")
        else:
            status = 400
    return render(
        request,
        "measurement/breakdown.html",
        {"form": form, "report": report, "query": request.GET.urlencode()},
        status=status,
    )
