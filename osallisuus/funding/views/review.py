"""Pages of the joint review: one's own review (the others' appear only after it), the funder's
recommendation, the recommendation summary as a page and a PDF, the hearing with its iCalendar
invite and minutes, and each funder's own decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render

from .. import permissions, selectors, services
from ..forms import DecisionForm, HearingForm, MinutesForm, RecommendationForm, ReviewForm
from ..models import Hearing
from ._base import require


@login_required
@require_http_methods(["GET", "POST"])
def review(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.application_get_as_funder(actor=user, pk=pk, route=request.path)
    require(permissions.can_review(user, application))
    criteria = list(application.call.criteria.all())
    funders = list(permissions.review_funders(user, application).select_related("organisation"))
    reviews = selectors.reviews_for(user, application)
    initial: dict[str, Any] = {}
    if reviews["own"] is not None:
        initial["comment"] = reviews["own"].comment
        initial.update({f"score_{s.criterion_id}": str(s.score) for s in reviews["own"].scores.all()})
    form = ReviewForm(request.POST or None, initial=initial, criteria=criteria, funders=funders)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_write(
                actor=user,
                application=application,
                comment=form.cleaned_data["comment"],
                scores=form.scores(),
                funder=form.funder_id(),
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Your review has been saved. You can now see the other reviews."))
            return redirect("funding:application", application.pk)
    return render(
        request,
        "funding/review.html",
        {"a": application, "form": form, "reviews": reviews, "totals": services.totals_of(application)},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommend(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.application_get_as_funder(actor=user, pk=pk, route=request.path)
    require(permissions.can_recommend(user, application))
    funders = list(permissions.review_funders(user, application).select_related("organisation"))
    form = RecommendationForm(request.POST or None, funders=funders)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_write(
                actor=user,
                application=application,
                agrees=form.cleaned_data["agrees"] == "yes",
                note=form.cleaned_data["note"],
                amount=form.cleaned_data["amount"],
                funder=form.funder_id(),
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The recommendation has been saved in the summary."))
            return redirect("funding:application", application.pk)
    return render(request, "funding/recommend.html", {"a": application, "form": form}, status=form_status(request))


@login_required
@require_GET
def summary_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.application_get_as_funder(actor=user, pk=pk, route=request.path)
    if not (
        permissions.review_funders(user, application).exists() or permissions.decide_funders(user, application).exists()
    ):
        raise Http404
    from weasyprint import HTML  # noqa: PLC0415 - heavy (fonts, cairo): loaded only when a PDF is made

    html = render_to_string(
        "funding/summary_pdf.html",
        {
            "a": application,
            "summary": selectors.recommendation_summary(application),
            "totals": services.totals_of(application),
            "combined": selectors.combined_financing(application),
            "criteria": list(application.call.criteria.all()),
            "today": timezone.localdate(),
        },
        request=request,
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="suositus-{application.tracking_number}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def hearing_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.application_get_as_funder(actor=user, pk=pk, route=request.path)
    require(permissions.can_hold_hearing(user, application))
    form = HearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        starts, ends = form.moments()
        try:
            services.hearing_schedule(
                actor=user, application=application, starts_at=starts, ends_at=ends, place=form.cleaned_data["place"]
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The hearing has been scheduled. The applicant's users got an invitation."))
            return redirect("funding:application", application.pk)
    return render(request, "funding/hearing_form.html", {"a": application, "form": form}, status=form_status(request))


def _hearing(request: AuthedRequest, pk: int) -> Hearing:
    hearing = (
        Hearing.objects.select_related("application")
        .filter(pk=pk, application__in=permissions.application_visible_to(request.user))
        .first()
    )
    if hearing is None or not permissions.can_see_hearing(request.user, hearing.application):
        raise Http404
    return hearing


@login_required
@require_GET
def hearing_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    hearing = _hearing(request, pk)
    response = HttpResponse(
        services.hearing_ics(hearing, site=request.get_host()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="kuuleminen-{hearing.pk}.ics"'
    return response


@login_required
@require_POST
def hearing_minutes(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    hearing = _hearing(request, pk)
    require(permissions.can_hold_hearing(user, hearing.application))
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.hearing_minutes(actor=user, hearing=hearing, minutes=form.cleaned_data["minutes"])
        except Refusal as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The minutes have been saved on the application."))
    else:
        messages.error(request, _("Write the minutes."))
    return redirect("funding:application", hearing.application_id)


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    application = selectors.application_get_as_funder(actor=user, pk=pk, route=request.path)
    require(permissions.can_decide(user, application))
    decided = set(application.decisions.values_list("funder_id", flat=True))
    funders = [
        f for f in permissions.decide_funders(user, application).select_related("organisation") if f.pk not in decided
    ]
    form = DecisionForm(
        request.POST or None, initial={"decided_on": timezone.localdate(), "outcome": "granted"}, funders=funders
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_make(
                actor=user,
                application=application,
                outcome=form.cleaned_data["outcome"],
                number=form.cleaned_data["number"],
                decided_on=form.cleaned_data["decided_on"],
                amount=form.cleaned_data["amount"],
                conditions=form.cleaned_data["conditions"],
                refusal_reasons=form.cleaned_data["refusal_reasons"],
                funder=form.funder_id() or (funders[0].pk if len(funders) == 1 else None),
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The decision has been recorded. The applicant has been told."))
            return redirect("funding:application", application.pk)
    envelopes = [
        row
        for row in selectors.envelope_rows(application.call.programme)
        if row.envelope.year == application.call.year and row.funder in funders
    ]
    return render(
        request,
        "funding/decide.html",
        {
            "a": application,
            "form": form,
            "funders": funders,
            "envelopes": envelopes,
            "summary": selectors.recommendation_summary(application),
            "combined": selectors.combined_financing(application),
            "already": not funders,
        },
        status=form_status(request),
    )
