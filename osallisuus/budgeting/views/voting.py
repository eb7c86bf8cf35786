"""Pages of voting: the ballot, assisted voting, voting codes and voting with a code."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from osallisuus.core import formatting
from osallisuus.core.collation import finnish
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.mail import absolute_url

from .. import permissions, selectors, services
from ..forms import (
    AssistPersonForm,
    BallotForm,
    CodeForm,
    CodesForm,
)
from ..models import Process
from ._base import CARD_LANGUAGES, CODE_SESSION_KEY, _process_url


# -- voting --------------------------------------------------------------------------------------------
def _ballot_help(process: Process) -> str:
    if process.ballot_style == Process.BallotStyle.KNAPSACK:
        text = _("Choose proposals that together cost at most %(budget)s.") % {
            "budget": formatting.money(process.budget)
        }
        if process.min_share_percent:
            text += " " + _("Together they must cost at least %(share)s %% of it.") % {
                "share": process.min_share_percent
            }
        return text
    if process.ballot_style == Process.BallotStyle.LIMITED:
        return _("Choose at most %(n)s proposals.") % {"n": process.max_choices}
    return _("Choose every proposal you would like to see carried out.")


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request: AuthedRequest, pk: int) -> HttpResponse:
    """The voter's own ballot: cast it, or change it until voting closes."""
    user = request.user
    process = selectors.process_get(actor=user, pk=pk, route=request.path)
    if not permissions.is_eligible(user, process):
        raise PermissionDenied(_("Only the people of this group can vote."))
    options = selectors.ballot_options(process=process)
    own = services.own_ballot_choices(actor=user, process=process)
    form = BallotForm(
        request.POST if request.method == "POST" else None,
        options=options,
        help_text=_ballot_help(process),
        initial={"choices": [str(i) for i in own]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(actor=user, process=process, choices=form.cleaned_data["choices"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("Your vote has been counted. You can change it until voting closes on %(date)s.")
                % {"date": formatting.date(process.voting_until)},
            )
            return redirect(_process_url(process))
    return render(
        request,
        "budgeting/ballot.html",
        {
            "process": process,
            "form": form,
            "options": options,
            "voted": selectors.has_voted(actor=user, process=process),
            "decision": permissions.can_vote(user, process),
        },
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assist(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a ballot for a person who asked for help. The form never shows what they voted before,
    and after saving the helper sees only that the vote was recorded."""
    user = request.user
    process = selectors.process_get(actor=user, pk=pk, route=request.path)
    if not permissions.can_assist(user, process):
        raise PermissionDenied
    people = list(selectors.voters_of(process=process).order_by(finnish("full_name"), "pk"))
    options = selectors.ballot_options(process=process)
    data = request.POST if request.method == "POST" else None
    person_form = AssistPersonForm(data, people=people)
    form = BallotForm(data, options=options, label=_("Their choices"), help_text=_ballot_help(process))
    if request.method == "POST" and person_form.is_valid() and form.is_valid():
        person = next((p for p in people if p.pk == person_form.cleaned_data["person"]), None)
        try:
            if person is None:
                raise services.BudgetingError(_("Choose the person you are helping."), field="person")
            services.ballot_cast_assisted(
                helper=user, process=process, person=person, choices=form.cleaned_data["choices"]
            )
        except Refusal as refusal:
            refusal_to_form(person_form if refusal.field == "person" else form, refusal)
        else:
            messages.success(request, _("The vote has been recorded. It was logged that you helped."))
            return redirect(_process_url(process))
    selectors.log_people_shown(actor=user, people=people, route=request.path)
    return render(
        request,
        "budgeting/assist.html",
        {
            "process": process,
            "person_form": person_form,
            "form": form,
            "others": [person_form],
            "options": options,
            "decision": permissions.can_vote_now(process),
        },
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assist_code(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a ballot with a voting code for a person without an account who asked for help."""
    user = request.user
    process = selectors.process_get(actor=user, pk=pk, route=request.path)
    if not permissions.can_assist(user, process):
        raise PermissionDenied
    options = selectors.ballot_options(process=process)
    data = request.POST if request.method == "POST" else None
    code_form = CodeForm(data)
    form = BallotForm(data, options=options, label=_("Their choices"), help_text=_ballot_help(process))
    if request.method == "POST" and code_form.is_valid() and form.is_valid():
        try:
            services.ballot_cast_with_code(
                process=process, code=code_form.cleaned_data["code"], choices=form.cleaned_data["choices"], helper=user
            )
        except Refusal as refusal:
            refusal_to_form(code_form if refusal.field == "code" else form, refusal)
        else:
            messages.success(request, _("The vote has been recorded. It was logged that you helped."))
            return redirect(_process_url(process))
    return render(
        request,
        "budgeting/assist_code.html",
        {
            "process": process,
            "code_form": code_form,
            "form": form,
            "others": [code_form],
            "options": options,
            "decision": permissions.can_vote_now(process),
        },
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def codes(request: AuthedRequest, pk: int) -> HttpResponse:
    """Make voting codes and print them on a sheet of cards. The codes are shown only once."""
    user = request.user
    process = selectors.process_get_for_staff(actor=user, pk=pk, route=request.path)
    form = CodesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.codes_issue(actor=user, process=process, count=form.cleaned_data["count"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            language = request.POST.get("language", "fi")
            address = absolute_url(reverse("budgeting:code_start", args=[process.code_key]))
            qr = segno.make(address, error="m").svg_data_uri(scale=3, border=2)
            response = render(
                request,
                "budgeting/code_sheet.html",
                {
                    "process": process,
                    "codes": made,
                    "address": address,
                    "qr": qr,
                    "card_language": language if language in CARD_LANGUAGES else "fi",
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "budgeting/codes.html",
        {"process": process, "form": form, "counts": selectors.code_counts(process=process)},
        status=form_status(request),
    )


# -- voting with a code (no account needed) --------------------------------------------------------
@require_http_methods(["GET", "POST"])
def code_start(request: HttpRequest, key: str) -> HttpResponse:
    """The address on the printed card: type the code, then vote. No account is needed."""
    process = selectors.process_by_code_key(key=key)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_voting_open(process)
            services.code_check(process=process, code=form.cleaned_data["code"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            request.session[CODE_SESSION_KEY] = {
                "process": process.pk,
                "code": services.normalise_code(form.cleaned_data["code"]),
            }
            return redirect("budgeting:code_ballot", process.code_key)
    return render(
        request,
        "budgeting/code_start.html",
        {"process": process, "form": form, "open": permissions.voting_is_open(process)},
        status=form_status(request),
    )


@require_http_methods(["GET", "POST"])
def code_ballot(request: HttpRequest, key: str) -> HttpResponse:
    process = selectors.process_by_code_key(key=key)
    held = request.session.get(CODE_SESSION_KEY) or {}
    if held.get("process") != process.pk or not held.get("code"):
        messages.info(request, _("Write the code from your card first."))
        return redirect("budgeting:code_start", process.code_key)
    options = selectors.ballot_options(process=process)
    form = BallotForm(
        request.POST if request.method == "POST" else None, options=options, help_text=_ballot_help(process)
    )
    if request.method == "POST" and form.is_valid():
        actor = request.user if request.user.is_authenticated else None
        try:
            services.ballot_cast_with_code(
                process=process,
                code=held["code"],
                choices=form.cleaned_data["choices"],
                actor=actor,
            )
        except Refusal as refusal:
            if refusal.field == "code":
                request.session.pop(CODE_SESSION_KEY, None)
                messages.error(request, refusal.message)
                return redirect("budgeting:code_start", process.code_key)
            refusal_to_form(form, refusal)
        else:
            request.session.pop(CODE_SESSION_KEY, None)
            return redirect("budgeting:code_thanks", process.code_key)
    return render(
        request,
        "budgeting/code_ballot.html",
        {"process": process, "form": form, "options": options},
        status=form_status(request),
    )


@require_GET
def code_thanks(request: HttpRequest, key: str) -> HttpResponse:
    process = selectors.process_by_code_key(key=key)
    return render(request, "budgeting/code_thanks.html", {"process": process})
