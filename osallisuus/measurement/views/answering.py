"""The respondent's pages: Questionnaires, answering (logged in, or with a personal link), the
thank-you, one's own answers, taking them back and sharing them.

A personal link is a key to answering, nothing more: the answering page lives at the link's own
address and every request needs the link again (nothing is kept in the browser session). Once its
answers are sent, the link shows only the thank-you and the way to take them back. Sent answers
are shown only to the respondent's own logged-in account.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.core.access import log_listing
from osallisuus.core.http import AuthedRequest, render
from osallisuus.core.paging import paginate

from .. import context_links, selectors, services
from ..forms import ShareForm, answer_form_class
from ..models import Item, Response
from ..permissions import can_answer_response, can_share_response, can_use_link, can_withdraw_response

MY_ANSWERS_PAGE_SIZE = 25
VIEWS = {"all", "one"}


@login_required
@require_GET
def my_questionnaires(request: AuthedRequest) -> HttpResponse:
    user = request.user
    listing = paginate(
        request,
        selectors.my_responses(person=user),
        sorts={"date": ("-created_at", "-pk")},
        default_sort="date",
        per_page=MY_ANSWERS_PAGE_SIZE,
    )
    rows = []
    for response in listing.rows:
        page = "measurement:respond" if can_answer_response(user, response) else "measurement:response_answers"
        rows.append({"response": response, "url": reverse(page, args=[response.pk])})
    return render(
        request,
        "measurement/my_questionnaires.html",
        {
            "invitations": list(selectors.my_invitations(person=user)),
            "listing": listing,
            "rows": rows,
            "external": list(selectors.external_assessments_visible(actor=user).filter(person=user)),
        },
        fragment="results",
    )


@login_required
@require_POST
def invitation_start(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.my_invitations(person=request.user).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    try:
        response = services.invitation_start(invitation=invitation, person=request.user)
    except services.MeasurementError as exc:
        messages.error(request, exc.message)
        return redirect("measurement:my_questionnaires")
    return redirect("measurement:respond", response_id=response.pk)


# -- answering: one page for the logged-in respondent and for a personal link ----------------------
def _position(request: HttpRequest, count: int) -> int:
    try:
        position = int(request.POST.get("q") or request.GET.get("q") or 1)
    except ValueError:
        position = 1
    return min(max(position, 1), max(count, 1))


def _answer_page(request: HttpRequest, response: Response, *, here: str, done: str) -> HttpResponse:
    """Purpose first, then all questions on one page or one question at a time; save and continue
    later, and opening the page again (``here`` without a view) continues where the person stopped.
    ``done`` is where the person goes once the answers are sent."""
    items = selectors.items_of(response.instrument_id)
    view = request.POST.get("view") or request.GET.get("view") or ""
    if view not in VIEWS:
        if request.method == "GET" and view != "intro" and response.resume_position:
            mode = "one" if response.one_per_screen else "all"
            return redirect(f"{here}?view={mode}&q={response.resume_position}")
        context = {"response": response, "instrument": response.instrument, "round": response.round, "items": items}
        return render(
            request, "measurement/respond_intro.html", context, status=400 if request.method == "POST" else 200
        )
    one = view == "one"
    position = _position(request, len(items))
    shown = [items[position - 1]] if one else items
    form_class = answer_form_class(instrument=response.instrument, items=shown)
    saved = selectors.answers_of(response)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        action = request.POST.get("action", "save")
        if form.is_valid():
            values = {i.code: form.cleaned_data.get(i.code) for i in shown if i.kind == Item.Kind.CHOICE}
            texts = {i.code: form.cleaned_data.get(i.code) or "" for i in shown if i.kind == Item.Kind.TEXT}
            step = {"next": 1, "previous": -1}.get(action, 0) if one else 0
            try:
                services.response_save(
                    response=response, values=values, texts=texts, one_per_screen=one, position=position + step
                )
                if action == "submit":
                    services.response_submit(response=response)
                    return redirect(done)
            except services.AnswersInvalid as exc:
                here_errors = {code: msg for code, msg in exc.errors.items() if code in form.fields}
                for code, message in here_errors.items():
                    form.add_error(code, message)
                if not here_errors:
                    first = next(i for i, item in enumerate(items, start=1) if item.code in exc.errors)
                    messages.error(request, _("Some required questions are still unanswered."))
                    return redirect(f"{here}?view={view}&q={first}")
                status = 400
            except services.MeasurementError as exc:
                messages.error(request, exc.message)
                return redirect(done)
            else:
                if step:
                    return redirect(f"{here}?view=one&q={position + step}")
                messages.success(
                    request,
                    _("Your answers are saved. You can continue later with the same link or under Questionnaires."),
                )
                return redirect(f"{here}?view={view}&q={position}")
        else:
            status = 400
    else:
        form = form_class(initial=dict(saved.items()))
    return render(
        request,
        "measurement/respond.html",
        {
            "response": response,
            "instrument": response.instrument,
            "form": form,
            "here": here,
            "view": view,
            "one": one,
            "position": position,
            "count": len(items),
            "is_last": not one or position == len(items),
            "answered": len(saved),
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def respond(request: AuthedRequest, response_id: int) -> HttpResponse:
    """The logged-in respondent answers their own response (nobody else: the same 404)."""
    response = selectors.response_get_for_respondent(person=request.user, pk=response_id)
    decision = can_answer_response(request.user, response)
    if not decision:
        if response.status != Response.Status.IN_PROGRESS:
            return redirect("measurement:response_answers", response_id=response.pk)
        messages.error(request, str(decision.reason))
        return redirect("measurement:my_questionnaires")
    return _answer_page(
        request,
        response,
        here=reverse("measurement:respond", args=[response.pk]),
        done=reverse("measurement:response_answers", args=[response.pk]),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    """A personal link: no login needed, and nothing remembered in the browser. Before the answers
    are sent it answers; after, only the thank-you and the way to take them back."""
    try:
        target = services.link_find(token=token)
    except services.LinkInvalid as exc:
        return render(request, "measurement/link_invalid.html", {"message": exc.message}, status=410)
    decision = can_use_link(request.user, target.invitation)
    if not decision:
        return render(request, "measurement/link_not_yours.html", {"reason": decision.reason}, status=403)
    here = reverse("measurement:link", kwargs={"token": token})
    if target.withdrawn:
        return render(request, "measurement/withdrawn.html", {"instrument": target.round.instrument})
    if target.sent and target.response is not None:
        own = target.response.respondent_id == getattr(request.user, "pk", None)
        answers = reverse("measurement:response_answers", args=[target.response.pk])
        context = {
            "instrument": target.round.instrument,
            "withdraw_url": reverse("measurement:link_withdraw", kwargs={"token": token}),
            "answers_url": answers if own else "",
        }
        return render(request, "measurement/link_sent.html", context)
    try:
        response = services.link_open(token=token)
    except services.LinkInvalid:
        return redirect(here)  # sent in the meantime (another tab): the thank-you
    return _answer_page(request, response, here=here, done=here)


@never_cache
@require_POST
def link_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """Take back the answers of a personal link."""
    try:
        target = services.link_find(token=token)
    except services.LinkInvalid as exc:
        return render(request, "measurement/link_invalid.html", {"message": exc.message}, status=410)
    decision = can_use_link(request.user, target.invitation)
    if not decision:
        return render(request, "measurement/link_not_yours.html", {"reason": decision.reason}, status=403)
    if target.withdrawn:
        return render(request, "measurement/withdrawn.html", {"instrument": target.round.instrument})
    try:
        services.link_withdraw(token=token)
    except services.LinkInvalid as exc:
        return render(request, "measurement/link_invalid.html", {"message": exc.message}, status=410)
    return render(request, "measurement/withdrawn.html", {"instrument": target.round.instrument})


# -- the respondent's own answers --------------------------------------------------------------
@never_cache
@login_required
@require_GET
def response_answers(request: AuthedRequest, response_id: int) -> HttpResponse:
    """The respondent's own answers and a thank-you; never a score or a verdict."""
    user = request.user
    response = selectors.response_get_for_respondent(person=user, pk=response_id)
    share = can_share_response(user, response)
    workers = selectors.own_workers_of(person=user) if share else []
    log_listing(
        actor=user,
        rows=workers,
        subject_of=lambda w: w.pk,
        purpose="own workers offered as a choice for sharing answers",
        route=request.path,
    )
    share_form = ShareForm(workers=workers, initial={"worker": response.shared_with_id}) if workers else None
    return render(
        request,
        "measurement/response_answers.html",
        {
            "response": response,
            "instrument": response.instrument,
            "sent": response.status == Response.Status.SUBMITTED,
            "rows": selectors.answer_rows(response),
            "share_form": share_form,
            "withdraw": can_withdraw_response(user, response),
            "back": context_links.link_for(response=response, viewer=user),
        },
    )


@never_cache
@login_required
@require_POST
def response_withdraw(request: AuthedRequest, response_id: int) -> HttpResponse:
    response = selectors.response_get_for_respondent(person=request.user, pk=response_id)
    services.response_withdraw(response=response, actor=request.user)
    back = context_links.link_for(response=response, viewer=request.user)
    return render(request, "measurement/withdrawn.html", {"instrument": response.instrument, "back": back})


@login_required
@require_POST
def response_share(request: AuthedRequest, response_id: int) -> HttpResponse:
    response = selectors.response_get_for_respondent(person=request.user, pk=response_id)
    workers = selectors.own_workers_of(person=request.user)
    form = ShareForm(request.POST, workers=workers)
    if not form.is_valid():
        messages.error(request, _("Choose a worker from the list."))
        return redirect("measurement:response_answers", response_id=response.pk)
    worker = next((w for w in workers if w.pk == form.cleaned_data["worker"]), None)
    try:
        services.response_share(response=response, respondent=request.user, worker=worker)
    except services.MeasurementError as exc:
        messages.error(request, exc.message)
    else:
        if worker is None:
            messages.success(request, _("Your answers are no longer shared."))
        else:
            messages.success(request, _("Your answers are now shared with %(name)s.") % {"name": worker.full_name})
    return redirect("measurement:response_answers", response_id=response.pk)
