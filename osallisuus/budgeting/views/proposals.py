"""Pages of proposals: proposing, the proposal page, revising, joining and the staff review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts import selectors as accounts
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.mail import absolute_url

from .. import permissions, selectors, services
from ..forms import (
    ProposalEditForm,
    ProposalForm,
    ReviewForm,
)
from ._base import _process_url, _refused


# -- proposals ---------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    process = selectors.process_get(actor=user, pk=pk, route=request.path)
    decision = permissions.can_propose(user, process)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                actor=user, process=process, data=form.cleaned_data, image=form.cleaned_data.get("image")
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(
                request, _("Thank you! Your proposal has been sent. The staff check it and tell you what they decide.")
            )
            return redirect("budgeting:proposal", proposal.pk)
    return render(
        request,
        "budgeting/proposal_form.html",
        {"form": form, "process": process, "proposal": None},
        status=form_status(request),
    )


@login_required
@require_GET
def proposal_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(actor=request.user, pk=pk, route=request.path)
    page = selectors.proposal_page(proposal=proposal, actor=request.user, route=request.path)
    join_url = ""
    if page.is_author and page.can_revise:
        join_url = absolute_url(reverse("budgeting:proposal_join", args=[proposal.pk, proposal.join_token]))
    return render(request, "budgeting/proposal.html", {"page": page, "p": proposal, "join_url": join_url})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    proposal = selectors.proposal_get(actor=user, pk=pk, route=request.path)
    decision = permissions.can_revise(user, proposal)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    initial = {
        "title": proposal.title,
        "for_whom": proposal.for_whom,
        "why": proposal.why,
        "image_alt": proposal.image_alt,
    }
    form = ProposalEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_revise(
                actor=user,
                proposal=proposal,
                data=form.cleaned_data,
                image=form.cleaned_data.get("image"),
                remove_image=form.cleaned_data.get("remove_image", False),
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Your changes have been saved. The earlier version is kept in the history."))
            return redirect("budgeting:proposal", proposal.pk)
    return render(
        request,
        "budgeting/proposal_form.html",
        {"form": form, "process": proposal.process, "proposal": proposal},
        status=form_status(request),
    )


@login_required
@require_POST
def proposal_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(actor=request.user, pk=pk, route=request.path)
    if not permissions.is_author(request.user, proposal):
        raise PermissionDenied
    try:
        services.proposal_withdraw(actor=request.user, proposal=proposal)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("Your proposal has been withdrawn."))
    return redirect("budgeting:proposal", proposal.pk)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_join(request: AuthedRequest, pk: int, token: str) -> HttpResponse:
    """Join a proposal as one of its proposers with the link a proposer shared."""
    user = request.user
    proposal = selectors.proposal_get(actor=user, pk=pk, route=request.path)
    if request.method == "POST":
        try:
            services.proposal_join(actor=user, proposal=proposal, token=token)
        except Refusal as refusal:
            _refused(request, refusal)
            return render(
                request, "budgeting/proposal_join.html", {"p": proposal, "token": token}, status=refusal.status
            )
        messages.success(request, _("You are now one of the proposers."))
        return redirect("budgeting:proposal", proposal.pk)
    return render(request, "budgeting/proposal_join.html", {"p": proposal, "token": token})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_review(request: AuthedRequest, pk: int) -> HttpResponse:
    """The staff's check: feasible with a cost and a possible provider, or not with a reason."""
    user = request.user
    proposal = selectors.proposal_get(actor=user, pk=pk, route=request.path)
    if not permissions.is_staff_of(user, proposal.process):
        raise PermissionDenied
    initial = {
        "feasible": {"feasible": "yes", "not_feasible": "no"}.get(proposal.status, ""),
        "cost": proposal.cost,
        "provider": proposal.provider_id,
        "provider_name": proposal.provider_name,
        "third_sector": proposal.third_sector,
        "reason": proposal.decision_reason,
    }
    form = ReviewForm(request.POST or None, organisations=accounts.organisations_all(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_decide(
                actor=user,
                proposal=proposal,
                feasible=data["feasible"],
                cost=data.get("cost"),
                provider=data.get("provider"),
                provider_name=data.get("provider_name", ""),
                third_sector=data.get("third_sector", False),
                reason=data.get("reason", ""),
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The decision has been saved. The proposers have been told."))
            return redirect(_process_url(proposal.process))
    return render(
        request,
        "budgeting/proposal_review.html",
        {"form": form, "p": proposal, "decision": permissions.can_review(user, proposal)},
        status=form_status(request),
    )


@login_required
@require_GET
def proposal_image(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The proposal's picture, only to people who see the process (never a public media address)."""
    proposal = selectors.proposal_get(actor=request.user, pk=pk, route=request.path)
    if not proposal.image:
        raise Http404
    response = FileResponse(proposal.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
