"""The portfolio report of a funder and year: the page (charts, each with its data table) and its XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from osallisuus.core.http import AuthedRequest, render
from osallisuus.funding.forms_money import PortfolioForm
from osallisuus.funding.models import Funder
from osallisuus.funding.selectors import portfolio as reads
from osallisuus.funding.services import portfolio as files


def _chosen(request: AuthedRequest) -> tuple[PortfolioForm, Funder | None, int | None]:
    if not reads.may_see_portfolio(request.user):
        raise Http404
    funders = list(reads.portfolio_funders(request.user))
    if not funders:
        return PortfolioForm(funders=[], years=[]), None, None
    by_id = {f.pk: f for f in funders}
    try:
        funder = by_id.get(int(request.GET.get("funder", "") or funders[0].pk)) or funders[0]
    except ValueError:
        funder = funders[0]
    years = reads.years_of(funder) or [timezone.localdate().year]
    try:
        year = int(request.GET.get("year", "") or years[0])
    except ValueError:
        year = years[0]
    if year not in years:
        year = years[0]
    form = PortfolioForm(
        initial={"funder": funder.pk, "year": year},
        funders=[(f.pk, f"{f.programme.name}: {f.organisation.name} ({f.get_share_display()})") for f in funders],
        years=years,
    )
    return form, funder, year


@login_required
@require_GET
def portfolio(request: AuthedRequest) -> HttpResponse:
    form, funder, year = _chosen(request)
    report = reads.portfolio(funder=funder, year=year) if funder is not None and year is not None else None
    return render(request, "funding/portfolio/portfolio.html", {"form": form, "r": report})


@login_required
@require_GET
def portfolio_xlsx(request: AuthedRequest) -> HttpResponse:
    _form, funder, year = _chosen(request)
    if funder is None or year is None:
        raise Http404
    report = reads.portfolio(funder=funder, year=year)
    response = HttpResponse(
        files.portfolio_xlsx(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="salkku_{funder.pk}_{year}.xlsx"'
    return response
