"""Pages of participatory budgeting. The rules are in services and permissions, the reads and gates in
selectors; the views connect them to forms and templates. Every refusal is shown beside its field
with what was typed kept; nothing partial is saved (each service is one transaction)."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts import selectors as accounts
from osallisuus.activation import permissions as activation
from osallisuus.core import formatting
from osallisuus.core.collation import finnish
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.mail import absolute_url
from osallisuus.core.paging import paginate, read_query
from osallisuus.measurement import services as measurement

from . import pabulib, permissions, selectors, services
from .forms import (
    AssistPersonForm,
    BallotForm,
    CodeForm,
    CodesForm,
    DeliveryForm,
    EligibleAddForm,
    OrganisationChoiceForm,
    ProcessForm,
    ProposalEditForm,
    ProposalForm,
    PurchaseForm,
    ReviewForm,
)
from .models import Process, Purchase

PAGE_SIZE = 25
CODE_SESSION_KEY = "budgeting_code"
CARD_LANGUAGES = ("fi", "sv", "en")


def _refused(request: HttpRequest, refusal: Refusal) -> None:
    messages.error(request, refusal.message)


def _process_url(process: Process) -> str:
    return reverse("budgeting:process", args=[process.pk])


# -- the list and the process page ------------------------------------------------------------------
@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """The processes the person takes part in, runs or delivers for."""
    user = request.user
    sorts = {"date": ("-voting_from", "-pk"), "name": (finnish("name"), "pk")}
    query = read_query(request.GET, sorts=sorts, default_sort="date")
    listing = paginate(
        request, selectors.processes_for(actor=user), sorts=sorts, default_sort="date", per_page=PAGE_SIZE, query=query
    )
    return render(
        request,
        "budgeting/home.html",
        {
            "listing": listing,
            "can_start": bool(permissions.can_start_process(user)),
            "delivers": bool(permissions.deliver_orgs(user)),
            "sees_figures": bool(permissions.can_view_figures(user)),
        },
        fragment="results",
    )


def _staff_choices(user: Any) -> dict[str, Any]:
    orgs = permissions.staff_orgs(user)
    return {
        "activities": activation.activities_managed_by(user).order_by("title", "pk"),
        "organisations": accounts.organisations_all(),
        "own_organisations": accounts.organisations_by_ids(ids=orgs),
    }


@login_required
@require_http_methods(["GET", "POST"])
def process_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    decision = permissions.can_start_process(user)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    choices = _staff_choices(user)
    several = len(choices["own_organisations"]) > 1
    data = request.POST if request.method == "POST" else None
    form = ProcessForm(data, activities=choices["activities"], organisations=choices["organisations"])
    org_form = OrganisationChoiceForm(data, organisations=choices["own_organisations"]) if several else None
    if request.method == "POST" and form.is_valid() and (org_form is None or org_form.is_valid()):
        try:
            organisation = accounts.acting_organisation(
                user=user,
                permission=permissions.P.RUN,
                chosen=org_form.cleaned_data["organisation"] if org_form is not None else None,
            )
            process = services.process_create(actor=user, organisation=organisation, data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(org_form if refusal.field == "organisation" and org_form else form, refusal)
        else:
            messages.success(request, _("The process has been created. Only the staff see it until proposals open."))
            return redirect(_process_url(process))
    return render(
        request,
        "budgeting/process_form.html",
        {"form": form, "org_form": org_form, "process": None},
        status=form_status(request),
    )


@login_required
@require_GET
def process_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(actor=request.user, pk=pk, route=request.path)
    return render(request, "budgeting/process.html", {"o": selectors.overview(process=process, actor=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def process_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    process = selectors.process_get_for_staff(actor=user, pk=pk, route=request.path)
    choices = _staff_choices(user)
    form = ProcessForm(
        request.POST if request.method == "POST" else None,
        instance=process,
        activities=choices["activities"],
        organisations=choices["organisations"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.process_update(actor=user, process=process, data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_process_url(process))
    return render(
        request,
        "budgeting/process_form.html",
        {"form": form, "org_form": None, "process": process, "rules_locked": process.is_at_least(Process.Phase.VOTING)},
        status=form_status(request),
    )


@login_required
@require_POST
def process_phase(request: AuthedRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(actor=request.user, pk=pk, route=request.path)
    if not permissions.is_staff_of(request.user, process):
        raise PermissionDenied
    try:
        process = services.process_advance(actor=request.user, process=process, to=request.POST.get("to", ""))
    except Refusal as refusal:
        _refused(request, refusal)
        return render(
            request,
            "budgeting/process.html",
            {"o": selectors.overview(process=process, actor=request.user)},
            status=refusal.status,
        )
    messages.success(request, _("The process is now in the phase: %(phase)s.") % {"phase": process.get_phase_display()})
    return redirect(_process_url(process))


@login_required
@require_POST
def results_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(actor=request.user, pk=pk, route=request.path)
    if not permissions.is_staff_of(request.user, process):
        raise PermissionDenied
    try:
        services.results_publish(actor=request.user, process=process)
    except Refusal as refusal:
        _refused(request, refusal)
        return render(
            request,
            "budgeting/process.html",
            {"o": selectors.overview(process=process, actor=request.user)},
            status=refusal.status,
        )
    messages.success(request, _("The results have been published. The voters have been told."))
    return redirect("budgeting:results", process.pk)


# -- the list of voters (staff) ---------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def voters(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who may vote and whether they have voted (never what). The list kind is kept here."""
    user = request.user
    process = selectors.process_get_for_staff(actor=user, pk=pk, route=request.path)
    form = EligibleAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.eligible_add(actor=user, process=process, email=form.cleaned_data["email"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The person has been added to the list."))
            return redirect("budgeting:voters", process.pk)
    sorts = {"name": (finnish("full_name"), "pk")}
    query = read_query(request.GET, sorts=sorts, default_sort="name")
    listing = paginate(
        request, selectors.voters_of(process=process), sorts=sorts, default_sort="name", per_page=PAGE_SIZE, query=query
    )
    rows = selectors.voter_rows(process=process, people=listing.rows, actor=user, route=request.path)
    return render(
        request,
        "budgeting/voters.html",
        {
            "process": process,
            "listing": listing,
            "rows": rows,
            "form": form if process.electorate == Process.Electorate.LIST or form.errors else None,
            "can_remove": process.electorate == Process.Electorate.LIST
            and not process.is_at_least(Process.Phase.VOTING),
            "turnout": process.participations.count(),
            "codes": selectors.code_counts(process=process),
        },
        status=form_status(request),
        fragment="results",
    )


@login_required
@require_POST
def voter_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = selectors.eligible_entry_get(actor=request.user, pk=pk, route=request.path)
    try:
        services.eligible_remove(actor=request.user, entry=entry)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The person has been removed from the list."))
    return redirect("budgeting:voters", entry.process_id)


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


# -- results -------------------------------------------------------------------------------------------
@login_required
@require_GET
def results(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    process = selectors.process_get(actor=user, pk=pk, route=request.path)
    decision = permissions.results_visible(user, process)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    found = selectors.results_of(process=process)
    if found is None:
        raise Http404
    return render(
        request,
        "budgeting/results.html",
        {
            "r": found,
            "process": process,
            "is_staff": permissions.is_staff_of(user, process),
            "can_export": permissions.is_staff_of(user, process) and found.published,
        },
    )


@login_required
@require_GET
def pabulib_export(request: AuthedRequest, pk: int) -> HttpResponse:
    """The instance and the anonymous ballots as a Pabulib file, once the results are published."""
    user = request.user
    process = selectors.process_get_for_export(actor=user, pk=pk, route=request.path)
    decision = permissions.results_published(process)
    if not decision:
        return render(request, "budgeting/refused.html", {"process": process, "reason": decision.reason}, status=400)
    found = selectors.results_of(process=process)
    if found is None:
        raise Http404
    text = pabulib.pabulib_text(
        process=process,
        proposals=selectors.ballot_options(process=process),
        ballots=services.ballots_of(process),
        winners={p.pk for p in found.winners},
        votes={row.proposal.pk: row.votes for row in found.rows},
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="osallisuus_{process.pk}_{timezone.localdate():%Y%m%d}.pb"'
    return response


# -- from winner to delivery ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def purchase_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    proposal = selectors.proposal_get(actor=user, pk=pk, route=request.path)
    if not permissions.is_staff_of(user, proposal.process):
        raise PermissionDenied
    initial = {
        "kind": Purchase.Kind.PURCHASE,
        "provider": proposal.provider_id,
        "provider_name": proposal.provider_name,
        "amount": proposal.cost,
        "agreed_on": timezone.localdate(),
    }
    form = PurchaseForm(request.POST or None, organisations=accounts.organisations_all(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            purchase = services.purchase_record(
                actor=user,
                proposal=proposal,
                kind=data["kind"],
                amount=data["amount"],
                agreed_on=data["agreed_on"],
                provider=data.get("provider"),
                provider_name=data.get("provider_name", ""),
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The purchase has been recorded."))
            return redirect("budgeting:purchase", purchase.pk)
    return render(
        request,
        "budgeting/purchase_form.html",
        {"form": form, "p": proposal, "budget": services.budget_use(proposal.process)},
        status=form_status(request),
    )


def _purchase_context(request: AuthedRequest, purchase: Purchase, form: DeliveryForm | None = None) -> dict[str, Any]:
    user = request.user
    can_deliver = bool(permissions.can_record_delivery(user, purchase))
    return {
        "purchase": purchase,
        "process": purchase.process,
        "can_deliver": can_deliver and purchase.status == Purchase.Status.AGREED,
        "form": form or DeliveryForm(initial={"delivered_on": timezone.localdate()}),
        "feedback": selectors.feedback_of(purchase=purchase) if purchase.status == Purchase.Status.DELIVERED else None,
        "budget": services.budget_use(purchase.process),
    }


@login_required
@require_GET
def purchase_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    purchase = selectors.purchase_get(actor=request.user, pk=pk, route=request.path)
    return render(request, "budgeting/purchase.html", _purchase_context(request, purchase))


@login_required
@require_POST
def purchase_deliver(request: AuthedRequest, pk: int) -> HttpResponse:
    purchase = selectors.purchase_get(actor=request.user, pk=pk, route=request.path)
    if not permissions.can_record_delivery(request.user, purchase):
        raise PermissionDenied
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.purchase_deliver(
                actor=request.user,
                purchase=purchase,
                delivered_on=form.cleaned_data["delivered_on"],
                note=form.cleaned_data["delivery_note"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(
                request, _("The delivery has been recorded. The participants are asked for their feedback.")
            )
            return redirect("budgeting:purchase", purchase.pk)
    return render(request, "budgeting/purchase.html", _purchase_context(request, purchase, form), status=400)


@login_required
@require_POST
def feedback(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start the participant's feedback on a delivered winner in the measurement engine."""
    purchase = selectors.purchase_of_voter(actor=request.user, pk=pk, route=request.path)
    try:
        response = services.feedback_start(actor=request.user, purchase=purchase)
    except Refusal as refusal:
        _refused(request, refusal)
        return redirect(_process_url(purchase.process))
    return redirect(measurement.response_url(response))


@login_required
@require_GET
def deliveries(request: AuthedRequest) -> HttpResponse:
    if not permissions.deliver_orgs(request.user):
        raise PermissionDenied
    sorts = {"status": ("status", "-agreed_on", "pk"), "date": ("-agreed_on", "pk")}
    query = read_query(request.GET, sorts=sorts, default_sort="status")
    listing = paginate(
        request,
        selectors.deliveries_for(actor=request.user),
        sorts=sorts,
        default_sort="status",
        per_page=PAGE_SIZE,
        query=query,
    )
    return render(request, "budgeting/deliveries.html", {"listing": listing}, fragment="results")


@login_required
@require_GET
def figures(request: AuthedRequest) -> HttpResponse:
    decision = permissions.can_view_figures(request.user)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    return render(request, "budgeting/figures.html", {"rows": selectors.figures(actor=request.user)})
