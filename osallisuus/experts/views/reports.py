"""The coordinator's report (page and XLSX) and the fee schedules and public figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from osallisuus.core.http import AuthedRequest, render

from .. import documents, selectors
from ._common import XLSX, download, require_coordinator


@login_required
@require_GET
def reports(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require_coordinator(user)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else timezone.localdate().year
    report = selectors.coordinator_report(actor=user, year=year)
    feedback = selectors.feedback_reports(actor=user, year=year)
    if request.GET.get("format") == "xlsx":
        rows = selectors.report_sheet(report=report, feedback=feedback)
        title = pgettext("a document of figures", "Report")
        return download(documents.xlsx_bytes(rows, title=title), f"experts-report-{year}.xlsx", XLSX)
    peak = max((n for _d, n in report.by_month), default=1) or 1
    return render(
        request,
        "experts/reports.html",
        {
            "report": report,
            "bars": [(d, n, int(n / peak * 100)) for d, n in report.by_month],
            "feedback": feedback,
        },
    )


@login_required
@require_GET
def reference(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "experts/reference.html",
        {
            "figures": selectors.reference_figures(),
            "recommendations": selectors.recommendations(),
            "schedules": selectors.fee_schedules_for(actor=request.user),
        },
    )
