"""External instruments (Kykyviisari, AVAIN): recorded here, done in their owner's service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from osallisuus.accounts.selectors import acting_organisation, organisations_acting_for
from osallisuus.core.access import log_listing
from osallisuus.core.collation import finnish
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, render
from osallisuus.core.paging import paginate

from .. import selectors, services
from ..forms import ExternalAssessmentForm
from ..permissions import P, can_record_external_assessment
from .common import require

RECORDS_PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def external(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require(can_record_external_assessment(user))
    people = list(user.permissions.people_visible().exclude(pk=user.pk).order_by(finnish("full_name"), "pk"))
    organisations = list(organisations_acting_for(user=user, permission=P.RECORD_EXTERNAL))
    form = ExternalAssessmentForm(request.POST or None, people=people, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = next(p for p in people if p.pk == data["person"])
        try:
            services.external_assessment_record(
                actor=user,
                instrument=data["instrument"],
                person=person,
                organisation=acting_organisation(
                    user=user, permission=P.RECORD_EXTERNAL, chosen=data.get("organisation")
                ),
                done_on=data["done_on"],
                result_location=data["result_location"],
            )
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, pgettext("message: an entry was saved", "Recorded."))
            return redirect("measurement:external")
    listing = paginate(
        request,
        selectors.external_assessments_visible(actor=user).exclude(person=user),
        sorts={"done": ("-done_on", "-pk")},
        default_sort="done",
        per_page=RECORDS_PAGE_SIZE,
    )
    log_listing(
        actor=user,
        rows=listing.rows,
        subject_of=lambda r: r.person_id,
        purpose="external instruments recorded (list)",
        route=request.path,
    )
    recorded = {r.person_id for r in listing.rows}
    log_listing(
        actor=user,
        rows=[p for p in people if p.pk not in recorded],
        subject_of=lambda p: p.pk,
        purpose="people one may record an external instrument for",
        route=request.path,
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "measurement/external.html",
        {"form": form, "listing": listing, "instruments": list(selectors.external_instruments())},
        status=status,
        fragment="results",
    )
