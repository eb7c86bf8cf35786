"""Wellbeing and the peer community: the coordinator's gentle signals, supervision sessions,
peer meetings and further training."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from osallisuus.core.access import Shown, log_listing
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.paging import paginate, read_query

from .. import selectors, services
from ..forms import SupportSessionForm
from ..permissions import is_coordinator
from ._common import require_coordinator

WELLBEING_PAGE_SIZE = 25


@login_required
@require_GET
def wellbeing(request: AuthedRequest) -> HttpResponse:
    """The active experts with their signals: searched by name or region, filtered by one
    signal, sorted and paged in SQL (the most prompts first); the rows shown are logged."""
    user = request.user
    require_coordinator(user)
    filters = {"signal": selectors.SIGNAL_FILTERS}
    sorts = selectors.WELLBEING_SORTS
    query = read_query(request.GET, sorts=sorts, default_sort="-attention", filters=filters)
    qs = selectors.wellbeing_search(actor=user, query=query.q, signal=query.filters.get("signal", ""))
    listing = paginate(
        request, qs, sorts=sorts, default_sort="-attention", filters=filters, per_page=WELLBEING_PAGE_SIZE, query=query
    )
    rows = listing.rows
    log_listing(actor=user, rows=rows, subject_of=lambda e: e.user_id, purpose="wellbeing signals", route=request.path)
    return render(
        request,
        "experts/wellbeing.html",
        {
            "listing": listing,
            "signals": selectors.wellbeing_signals(actor=user, experts=rows),
            "query": query.q,
            "signal": query.filters.get("signal", ""),
            "signal_choices": _signal_choices(),
        },
        fragment="results",
    )


def _signal_choices() -> list[tuple[str, str]]:
    return [
        ("any", _("Any signal")),
        ("many_tasks", _("Many tasks this month")),
        ("no_supervision", _("No supervision for a long time")),
        ("silence", _("A long silence")),
        ("coping", _("Said coping is hard")),
        ("contact", _("Asked to be contacted")),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request: AuthedRequest) -> HttpResponse:
    """Supervision (työnohjaus) and peer-support sessions with attendance."""
    user = request.user
    require_coordinator(user)
    experts = selectors.active_experts_of(actor=user)
    form = SupportSessionForm(request.POST or None, experts=experts)
    if request.method == "POST" and form.is_valid():
        chosen = [e for e in experts if str(e.pk) in set(form.cleaned_data["attendees"])]
        try:
            services.support_session_record(
                actor=user,
                organisation_id=chosen[0].organisation_id,
                kind=form.cleaned_data["kind"],
                held_on=form.cleaned_data["held_on"],
                experts=chosen,
            )
        except Refusal as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("The session was recorded."))
            return redirect("experts:sessions")
    shown = Shown(user, "support sessions", request.path)
    shown.add(*(e.user for e in experts))
    shown.log()
    return render(
        request,
        "experts/sessions.html",
        {"form": form, "recent": selectors.support_sessions_of(actor=user)},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def peer_events(request: AuthedRequest) -> HttpResponse:
    user = request.user
    expert = selectors.my_expert_profile(user=user)
    if expert is None and not is_coordinator(user):
        raise PermissionDenied(_("Peer events are for experts by experience and their coordinators."))
    if request.method == "POST":
        event = selectors.peer_event_get(actor=user, expert=expert, pk=request.POST.get("event", ""))
        try:
            services.peer_event_signup(actor=user, event=event)
        except Refusal as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("You signed up. Welcome!"))
        return redirect("experts:peer_events")
    return render(
        request,
        "experts/peer_events.html",
        {
            "events": selectors.upcoming_peer_events(actor=user, expert=expert),
            "mine": selectors.my_peer_event_ids(expert=expert),
            "expert": expert,
        },
    )
