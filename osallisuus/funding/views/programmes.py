"""Pages of the programme frame: the funding front page, a programme with its funders, frame
documents and envelopes, the deadline list, a call, and project ideas with their advice log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts import selectors as accounts
from osallisuus.core.collation import finnish
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.paging import paginate

from .. import permissions, selectors, services
from ..forms import AdviceForm, IdeaForm, InviteForm, StartApplicationForm
from ..models import Call
from ..permissions import P
from ..selectors.money import loans_visible_to
from ..selectors.portfolio import may_see_portfolio
from ..services.groups import groups_visible_to
from ._base import refused, require


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not permissions.orgs_with(user, *permissions.ALL):
        raise Http404
    return render(
        request,
        "funding/home.html",
        {
            "programmes": list(selectors.programmes_list(user)),
            "deadlines": selectors.deadlines(user),
            "mine": list(selectors.my_applications(user)[:20]),
            "to_review": list(selectors.to_review(user)[:20]),
            "to_decide": list(selectors.to_decide(user)[:20]),
            "ideas_waiting": list(selectors.ideas_waiting(user)[:20]),
            "funded": list(selectors.funded_projects(user)[:50]),
            "more": _more_links(user),
        },
    )


def _more_links(user: Any) -> list[tuple[str, str]]:
    """The money, group and portfolio pages this person may open, by the same rules as those pages."""
    links: list[tuple[str, str]] = []
    if user.permissions.has(P.PAY):
        links.append(("funding:payments", _("Payments")))
    if loans_visible_to(user).exists():
        links.append(("funding:loans", _("Self-financing loans")))
    if groups_visible_to(user).exists():
        links.append(("funding:groups", _("Steering and project groups")))
    if may_see_portfolio(user):
        links.append(("funding:portfolio", _("Portfolio report")))
    return links


@login_required
@require_GET
def programme_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(actor=request.user, pk=pk, route=request.path)
    return render(request, "funding/programme.html", selectors.programme_page(programme, request.user))


@login_required
@require_GET
def deadline_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not permissions.orgs_with(user, *permissions.ALL):
        raise Http404
    return render(request, "funding/deadlines.html", {"deadlines": selectors.deadlines(user)})


def _apply_organisations(user: object) -> list[object]:
    return list(accounts.organisations_acting_for(user=user, permission=P.APPLY))  # type: ignore[arg-type]


def _applications(request: AuthedRequest, call: Call) -> Any:
    sorts = {"submitted": ("submitted_at", "pk"), "title": (finnish("title"), "pk")}
    return paginate(
        request, selectors.call_applications(call, request.user), sorts=sorts, default_sort="submitted", per_page=50
    )


@login_required
@require_GET
def call_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    call = selectors.call_get(actor=user, pk=pk, route=request.path)
    can_start = permissions.can_start_application(user, call)
    form = StartApplicationForm(organisations=_apply_organisations(user)) if can_start else None
    return render(
        request,
        "funding/call.html",
        {
            "call": call,
            "state": selectors.call_state(call),
            "criteria": list(call.criteria.all()),
            "funders": list(call.funders.select_related("organisation")),
            "listing": _applications(request, call),
            "form": form,
        },
    )


@login_required
@require_POST
def application_start(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    call = selectors.call_get(actor=user, pk=pk, route=request.path)
    require(permissions.can_start_application(user, call))
    organisations = _apply_organisations(user)
    form = StartApplicationForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            organisation = accounts.acting_organisation(
                user=user, permission=P.APPLY, chosen=form.cleaned_data.get("organisation")
            )
            application = services.application_create(
                actor=user, call=call, applicant=organisation, title=form.cleaned_data["title"]
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The draft has been started. You can save it and continue later."))
            return redirect("funding:application_edit", application.pk)
    return render(
        request,
        "funding/call.html",
        {
            "call": call,
            "state": selectors.call_state(call),
            "criteria": list(call.criteria.all()),
            "funders": list(call.funders.select_related("organisation")),
            "listing": _applications(request, call),
            "form": form,
        },
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    programme = selectors.programme_get(actor=user, pk=pk, route=request.path)
    require(permissions.can_present_idea(user))
    form = IdeaForm(request.POST or None, organisations=_apply_organisations(user))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = accounts.acting_organisation(
                user=user, permission=P.APPLY, chosen=form.cleaned_data.get("organisation")
            )
            idea = services.idea_present(
                actor=user,
                programme=programme,
                organisation=organisation,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Thank you! The funders discuss the idea and write their advice here."))
            return redirect("funding:idea", idea.pk)
    return render(
        request, "funding/idea_form.html", {"form": form, "programme": programme}, status=form_status(request)
    )


def _idea_context(user: object, idea: object, advice_form: object = None, invite_form: object = None) -> dict:
    from ..models import Idea  # noqa: PLC0415 - a type only

    assert isinstance(idea, Idea)
    can_advise = permissions.can_advise(user, idea)  # type: ignore[arg-type]
    can_invite = permissions.can_invite(user, idea)  # type: ignore[arg-type]
    calls = list(idea.programme.calls.order_by("-closes_at"))
    return {
        "idea": idea,
        "advice": list(idea.advice.select_related("funder__organisation", "author")),
        "advice_form": advice_form or (AdviceForm() if can_advise else None),
        "invite_form": invite_form or (InviteForm(calls=calls) if can_invite else None),
    }


@login_required
@require_GET
def idea_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_get(actor=request.user, pk=pk, route=request.path)
    return render(request, "funding/idea.html", _idea_context(request.user, idea))


@login_required
@require_POST
def idea_advice(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    idea = selectors.idea_get(actor=user, pk=pk, route=request.path)
    require(permissions.can_advise(user, idea))
    form = AdviceForm(request.POST)
    if form.is_valid():
        try:
            services.advice_add(actor=user, idea=idea, text=form.cleaned_data["text"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The advice has been saved. The organisation sees it on this page."))
            return redirect("funding:idea", idea.pk)
    return render(request, "funding/idea.html", _idea_context(user, idea, advice_form=form), status=400)


@login_required
@require_POST
def idea_invite(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    idea = selectors.idea_get(actor=user, pk=pk, route=request.path)
    require(permissions.can_invite(user, idea))
    calls = list(idea.programme.calls.order_by("-closes_at"))
    form = InviteForm(request.POST, calls=calls)
    if form.is_valid():
        try:
            services.idea_invite(
                actor=user, idea=idea, call=form.cleaned_data.get("call"), invite=form.cleaned_data["invite"] == "yes"
            )
        except Refusal as refusal:
            refused(request, refusal)
        else:
            messages.success(request, _("The organisation has been told."))
            return redirect("funding:idea", idea.pk)
    return render(request, "funding/idea.html", _idea_context(user, idea, invite_form=form), status=400)
