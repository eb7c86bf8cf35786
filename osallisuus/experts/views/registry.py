"""The coordinator's registry: the experts (searched, filtered, paged), one expert's page with
training, status, invitation and earnings limits, and the training certificate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.core.access import Shown, log_listing
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.paging import paginate, read_query

from .. import documents, earnings, selectors, services, training
from ..forms import CourseForm, ExpertRegisterForm, ExpertStatusForm, LimitForm
from ..models import Expert
from ..permissions import broker_orgs, can_resend_invitation, expert_card
from ._common import download, require_coordinator

EXPERTS_PAGE_SIZE = 25


@login_required
@require_GET
def expert_list(request: AuthedRequest) -> HttpResponse:
    """The organisation's experts in Finnish order: search by name, e-mail or region, filter by
    status and experience area, sort and page, all in the address."""
    user = request.user
    require_coordinator(user)
    filters = {"status": selectors.EXPERT_STATUSES, "area": selectors.expert_area_codes()}
    query = read_query(request.GET, sorts=selectors.EXPERT_SORTS, default_sort="name", filters=filters)
    qs = selectors.expert_search(
        actor=user, query=query.q, status=query.filters.get("status", ""), area=query.filters.get("area", "")
    )
    listing = paginate(
        request,
        qs,
        sorts=selectors.EXPERT_SORTS,
        default_sort="name",
        filters=filters,
        per_page=EXPERTS_PAGE_SIZE,
        query=query,
    )
    rows = listing.rows
    log_listing(actor=user, rows=rows, subject_of=lambda e: e.user_id, purpose="expert list", route=request.path)
    rec = training.matching_recommendation()
    return render(
        request,
        "experts/expert_list.html",
        {
            "listing": listing,
            "experts": [(e, training.meets(e, rec)) for e in rows],
            "recommendation": rec,
            "query": query.q,
            "status": query.filters.get("status", ""),
            "area": query.filters.get("area", ""),
            "statuses": Expert.Status.choices,
            "areas": selectors.experience_areas_in_use(),
        },
        fragment="results",
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    require_coordinator(user)
    expert = selectors.expert_get(actor=user, pk=pk, purpose="expert profile (coordinator)", route=request.path)
    if expert.organisation_id not in broker_orgs(user):
        raise Http404
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_record(actor=user, expert=expert, **form.cleaned_data)
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("The course was recorded."))
            return redirect("experts:expert_detail", expert.pk)
    return render(
        request,
        "experts/expert_detail.html",
        {
            "expert": expert,
            "card": expert_card(viewer=user, expert=expert, trained=training.is_trained(expert)),
            "form": form,
            "courses": selectors.courses_of(expert=expert),
            "statuses": training.recommendation_statuses(expert),
            "invitation": can_resend_invitation(user, expert),
            "agreements": selectors.latest_agreements_of(expert=expert),
        },
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_new(request: AuthedRequest) -> HttpResponse:
    """The coordinator adds a person to the organisation's registry of experts by experience."""
    user = request.user
    require_coordinator(user)
    form = ExpertRegisterForm(request.POST or None, organisations=selectors.registering_organisations(user=user))
    if request.method == "POST" and form.is_valid():
        try:
            registered = services.expert_register(actor=user, **form.registration())
        except Refusal as exc:
            refusal_to_form(form, exc)
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
    return render(request, "experts/expert_new.html", {"form": form}, status=form_status(request))


@login_required
@require_http_methods(["GET", "POST"])
def expert_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Active, on a pause, in training, not active, or left the registry (the coordinator)."""
    user = request.user
    require_coordinator(user)
    expert = selectors.coordinated_expert_get(
        actor=user, pk=pk, purpose="expert status (coordinator)", route=request.path
    )
    form = ExpertStatusForm(request.POST or None, initial=ExpertStatusForm.initial_for(expert))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.expert_status_change(actor=user, expert=expert, **form.change())
        except Refusal as exc:
            refusal_to_form(form, exc)
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
    return render(request, "experts/expert_status.html", {"expert": expert, "form": form}, status=form_status(request))


@login_required
@require_POST
def expert_invite(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send a new link to choose a password to an expert who has not logged in yet."""
    user = request.user
    require_coordinator(user)
    expert = selectors.coordinated_expert_get(
        actor=user, pk=pk, purpose="expert invitation (coordinator)", route=request.path
    )
    try:
        services.expert_invitation_resend(actor=user, expert=expert)
    except Refusal as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("A new link was sent to %(email)s.") % {"email": expert.user.email})
    return redirect("experts:expert_detail", expert.pk)


@login_required
@require_http_methods(["GET", "POST"])
def expert_limits(request: AuthedRequest, pk: int) -> HttpResponse:
    """The coordinator records the expert's earnings limits together with the expert.
    Every visit goes through the gate and is logged as a read of the limits."""
    user = request.user
    require_coordinator(user)
    expert = selectors.expert_limits_get(actor=user, pk=pk, route=request.path)
    form = LimitForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove:
            limit = selectors.limit_of_expert(expert=expert, pk=remove)
            try:
                services.earnings_limit_remove(actor=user, limit=limit)
            except Refusal as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The limit was removed."))
            return redirect("experts:expert_limits", expert.pk)
        if form.is_valid():
            try:
                services.earnings_limit_add(actor=user, expert=expert, **form.cleaned_data)
            except Refusal as exc:
                refusal_to_form(form, exc)
            else:
                messages.success(request, _("The limit was saved."))
                return redirect("experts:expert_limits", expert.pk)
    limits = list(selectors.earnings_limits_of(expert=expert))
    shown = Shown(user, "earnings limits: who recorded them", request.path)
    shown.add(*(limit.recorded_by for limit in limits))
    shown.log(already=[expert.user_id])
    return render(
        request,
        "experts/expert_limits.html",
        {
            "expert": expert,
            "form": form,
            "limits": limits,
            "check": earnings.check_for(expert=expert, adding=earnings.ZERO, on=timezone.localdate()),
        },
        status=form_status(request),
    )


@login_required
@require_GET
def certificate_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    require_coordinator(user)
    expert = selectors.expert_get(actor=user, pk=pk, purpose="training certificate", route=request.path)
    if expert.organisation_id not in broker_orgs(user):
        raise Http404
    pdf = documents.pdf_bytes(
        "experts/pdf/certificate.html",
        {
            "expert": expert,
            "courses": selectors.courses_of(expert=expert),
            "recommendations": selectors.recommendations(),
            "today": timezone.localdate(),
            "coordinator": user,
        },
    )
    return download(pdf, f"certificate-{expert.pk}.pdf", "application/pdf")
