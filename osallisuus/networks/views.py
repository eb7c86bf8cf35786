"""Pages of networked work. The rules are in services and permissions, the reads and gates in
selectors; the views connect them to forms and templates. Every refusal is shown beside its field
with what was typed kept; nothing partial is saved (each service is one transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.accounts import selectors as accounts
from osallisuus.core import formatting
from osallisuus.core.access import Action as LogAction
from osallisuus.core.access import log_access
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render
from osallisuus.core.jobs import job_get_for_owner
from osallisuus.core.paging import Listing, ListQuery, clamp_page, paginate, read_query

from . import evaluation, exports, permissions, picture, selectors, services
from .forms import (
    AcceptForm,
    ActionForm,
    AttendanceForm,
    ChangeForm,
    EvaluationForm,
    FollowUpForm,
    GoalForm,
    GoalStatusForm,
    InvitationForm,
    MapForm,
    MapPersonForm,
    MapShareForm,
    MapVersionForm,
    MeetingForm,
    MembershipForm,
    NetworkForm,
    NotesForm,
    OrganisationChoiceForm,
    PictureForm,
    RegistryFilterForm,
    ResourceForm,
    RotationForm,
    TieForm,
)
from .models import MapPerson, Meeting, Network, Quality, Sector, Snapshot

PAGE_SIZE = 20
TABLE_PAGE_SIZE = 50
"""Rows of the member table on the network page and of the picture's table, per page."""


def _list_page(
    request: HttpRequest, rows: list[Any], *, keep: dict[str, str], per_page: int = TABLE_PAGE_SIZE
) -> Listing:
    """A page of rows already in order (the picture's table, sorted by the figures), with the
    project's pager (``partials/pager.html``) keeping the other parameters of the address."""
    page = Paginator(rows, per_page).get_page(clamp_page(request.GET.get("page")))
    params = {k: v for k, v in keep.items() if v}
    if page.number > 1:
        params["page"] = str(page.number)
    return Listing(page=page, query=ListQuery(page=page.number), params=params, sorts=())


def _refused(request: HttpRequest, refusal: Refusal) -> None:
    messages.error(request, refusal.message)


def _network_url(network: Network, anchor: str = "") -> str:
    return reverse("networks:network", args=[network.pk]) + (f"#{anchor}" if anchor else "")


def _require(decision: Any) -> None:
    if not decision:
        raise PermissionDenied(str(decision.reason))


# -- the registry ----------------------------------------------------------------------------------
def _registry(request: AuthedRequest, *, mine: bool) -> HttpResponse:
    user = request.user
    filters = selectors.registry_filters(user)
    sorts = selectors.REGISTRY_SORTS
    query = read_query(request.GET, sorts=sorts, default_sort="name", filters=filters)
    listing = paginate(
        request,
        selectors.registry(actor=user, q=query.q, filters=query.filters, mine=mine),
        sorts=sorts,
        default_sort="name",
        filters=filters,
        per_page=PAGE_SIZE,
        query=query,
    )
    form = RegistryFilterForm(
        initial={"q": query.q, **query.filters}, organisations=selectors.registry_organisations(user)
    )
    context = {
        "listing": listing,
        "form": form,
        "mine": mine,
        "can_start": bool(permissions.can_start_network(user)),
        "coordinated": set(permissions.networks_coordinated_by(user).values_list("pk", flat=True)),
    }
    return render(request, "networks/registry.html", context, fragment="results")


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    return _registry(request, mine=False)


@login_required
@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    return _registry(request, mine=True)


@login_required
@require_http_methods(["GET", "POST"])
def network_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    _require(permissions.can_start_network(user))
    own = accounts.organisations_acting_for(user=user, permission=permissions.P.COORDINATE)
    several = own.count() > 1
    data = request.POST if request.method == "POST" else None
    form = NetworkForm(data)
    org_form = OrganisationChoiceForm(data, organisations=own) if several else None
    if request.method == "POST" and form.is_valid() and (org_form is None or org_form.is_valid()):
        try:
            organisation = accounts.acting_organisation(
                user=user,
                permission=permissions.P.COORDINATE,
                chosen=org_form.cleaned_data["organisation"] if org_form is not None else None,
            )
            network = services.network_create(actor=user, organisation=organisation, data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(org_form if refusal.field == "organisation" and org_form else form, refusal)
        else:
            messages.success(request, _("The network has been created. Invite its members next."))
            return redirect(_network_url(network))
    return render(
        request,
        "networks/network_form.html",
        {"form": form, "org_form": org_form, "network": None},
        status=form_status(request),
    )


@login_required
@require_GET
def network_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get(actor=user, pk=pk, route=request.path)
    member = permissions.membership_of(user, network)
    coordinator = bool(permissions.can_coordinate(user, network))
    listing = paginate(
        request,
        selectors.members_visible(actor=user, network=network),
        sorts=selectors.MEMBER_SORTS,
        default_sort="name",
        per_page=TABLE_PAGE_SIZE,
    )
    context: dict[str, Any] = {
        "network": network,
        "member": member,
        "is_member": member is not None,
        "coordinator": coordinator,
        "members": selectors.member_rows(actor=user, network=network, memberships=listing.rows, route=request.path),
        "listing": listing,
        "owners": list(network.owners.all()),
        "closing_due": coordinator and services.closing_due(network),
        "closing_sent": evaluation.closing_evaluation_sent(network),
    }
    if member is not None:
        context.update(
            meetings=list(selectors.meetings_of(network)[:10]),
            goals=selectors.goals_of(network),
            next_host=services.next_host(network),
            rotation=services.rotation_organisations(network),
            tie_form=TieForm(members=[m for m in selectors.current_members(network) if m.pk != member.pk]),
            my_ties=list(
                selectors.ties_on(network, timezone.localdate())
                .filter(source="declared", declared_by=member)
                .select_related("a", "b")
            ),
        )
    return render(request, "networks/network.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def network_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, network))
    form = NetworkForm(request.POST if request.method == "POST" else None, instance=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.network_update(actor=user, network=Network.objects.get(pk=network.pk), data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_network_url(network))
    return render(
        request, "networks/network_form.html", {"form": form, "network": network}, status=form_status(request)
    )


@login_required
@require_POST
def network_close(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, network))
    try:
        services.network_close(actor=user, network=network)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The network has been closed. Its history stays and can be read."))
    return redirect(_network_url(network))


@login_required
@require_POST
def tie_end(request: AuthedRequest, pk: int) -> HttpResponse:
    """End a declared tie (one of its two members): it stays in the pictures of earlier dates."""
    user = request.user
    tie = selectors.declared_tie_get(actor=user, pk=pk, route=request.path)
    try:
        services.tie_end(actor=user, tie=tie)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The tie has ended. Earlier pictures still show it."))
    return redirect(_network_url(tie.network, "ties"))


# -- evaluation through the measurement engine ------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def evaluation_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """The network's evaluation rounds with their group results (small groups hidden) and the
    change between rounds; the coordinator sends a new round or the closing evaluation."""
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    coordinator = bool(permissions.can_coordinate(user, network))
    closing_sent = evaluation.closing_evaluation_sent(network)
    can_close = network.lifecycle == "project" and not closing_sent
    form = EvaluationForm(
        request.POST if request.method == "POST" else None,
        can_close=can_close,
        initial={
            "closes_on": timezone.localdate() + dt.timedelta(days=14),
            "closing": request.GET.get("closing") == "1",
        },
    )
    if request.method == "POST":
        _require(permissions.can_coordinate(user, network))
        if form.is_valid():
            try:
                started = evaluation.evaluation_start(
                    actor=user,
                    network=network,
                    closes_on=form.cleaned_data["closes_on"],
                    closing=bool(form.cleaned_data.get("closing")),
                )
            except Refusal as refusal:
                refusal_to_form(form, refusal)
            else:
                if started.closing:
                    messages.success(
                        request,
                        _("The closing evaluation has been sent to the members. The network can now be closed."),
                    )
                else:
                    messages.success(request, _("The evaluation has been sent to the members."))
                return redirect("networks:evaluation", network.pk)
    return render(
        request,
        "networks/evaluation.html",
        {
            "network": network,
            "coordinator": coordinator,
            "form": form,
            "results": evaluation.results(actor=user, network=network),
            "closing_sent": closing_sent,
        },
        status=form_status(request),
    )


# -- members and invitations -------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, network))
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(actor=user, network=network, **form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The invitation has been sent. The link can be used once."))
            return redirect(_network_url(network, "members"))
    return render(request, "networks/invite.html", {"form": form, "network": network}, status=form_status(request))


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: accept with one's account or, without one, by name; or decline."""
    try:
        found = services.invitation_for_token(token)
    except Refusal as refusal:
        return render(request, "networks/invitation_gone.html", {"message": refusal.message}, status=410)
    form = AcceptForm(request.POST if request.method == "POST" else None, initial={"name": found.name})
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("answer") == "decline":
                services.invitation_decline(token=token)
                return render(
                    request,
                    "networks/invitation_gone.html",
                    {"message": _("You declined the invitation. Thank you for letting us know.")},
                )
            membership = services.invitation_accept(
                token=token,
                user=user,
                name=form.cleaned_data["name"],
                create_account=user is None and form.cleaned_data.get("create_account", False),
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            if user is not None:
                messages.success(request, _("Welcome to the network."))
                return redirect(_network_url(membership.network))
            message = (
                _("Welcome to the network. The link for choosing your password is on its way to your e-mail.")
                if membership.user_id
                else _("Welcome to the network. The coordinator will be in touch.")
            )
            return render(request, "networks/invitation_gone.html", {"message": message})
    return render(
        request,
        "networks/invitation.html",
        {"form": form, "invitation": found, "signed_in": user},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    membership = selectors.membership_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_edit_membership(user, membership))
    own = membership.user_id == user.pk
    form = MembershipForm(
        request.POST if request.method == "POST" else None,
        initial={"role": membership.proposed_role or membership.role, "strengths": membership.strengths},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                actor=user,
                membership=membership,
                role=form.cleaned_data["role"],
                strengths=form.cleaned_data["strengths"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Saved.") if own else _("Your proposal has been saved for the member to see."))
            return redirect(_network_url(membership.network, "members"))
    return render(
        request,
        "networks/membership_form.html",
        {"form": form, "membership": membership, "own": own},
        status=form_status(request),
    )


@login_required
@require_POST
def membership_leave(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    membership = selectors.membership_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_leave(user, membership))
    try:
        services.membership_leave(actor=user, membership=membership)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("Leaving has been recorded. The history stays."))
    if membership.user_id == user.pk:
        return redirect("networks:mine")
    return redirect(_network_url(membership.network, "members"))


@login_required
@require_http_methods(["GET", "POST"])
def rotation(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, network))
    organisations = selectors.network_organisations(network)
    current = [o.pk for o in services.rotation_organisations(network)]
    form = RotationForm(
        request.POST if request.method == "POST" else None, organisations=organisations, current=current
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rotation_set(actor=user, network=network, organisation_ids=form.order())
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The order of the hosts has been saved."))
            return redirect(_network_url(network, "meetings"))
    return render(request, "networks/rotation.html", {"form": form, "network": network}, status=form_status(request))


@login_required
@require_POST
def tie_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    member = permissions.membership_of(user, network)
    others = [m for m in selectors.current_members(network) if member is None or m.pk != member.pk]
    form = TieForm(request.POST, members=[*others, *([member] if member else [])])
    if form.is_valid():
        target = next((m for m in [*others, member] if m and str(m.pk) == form.cleaned_data["target"]), None)
        try:
            if target is None:
                raise services.NetworkRefusal(_("Choose a current member of this network."), field="target")
            services.tie_declare(
                actor=user,
                network=network,
                target=target,
                reason=form.cleaned_data["reason"],
                valid_from=form.cleaned_data["valid_from"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The tie has been saved. It shows in the picture from its date on."))
            return redirect(_network_url(network, "ties"))
    return render(request, "networks/tie_form.html", {"form": form, "network": network}, status=400)


# -- meetings ---------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, network))
    organisations = selectors.network_organisations(network)
    previous = selectors.previous_meeting(None, network)
    initial: dict[str, Any] = {"host": services.next_host(network)}
    if previous is not None:
        # From the previous meeting: the same time of day a month on, the same place and link.
        start = timezone.localtime(previous.starts_at) + dt.timedelta(days=28)
        initial.update(
            title=previous.title,
            kind=previous.kind,
            starts_at=start,
            ends_at=start + (previous.ends_at - previous.starts_at),
            channel_url=previous.channel_url,
            place=previous.place,
        )
    form = MeetingForm(request.POST if request.method == "POST" else None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=user, network=network, data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The meeting has been saved. Members can add it to their calendars."))
            return redirect("networks:meeting", meeting.pk)
    return render(
        request,
        "networks/meeting_form.html",
        {"form": form, "network": network, "previous": previous, "meeting": None},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.meeting_get(actor=user, pk=pk, route=request.path)
    network = meeting.network
    _require(permissions.can_coordinate(user, network))
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        instance=meeting,
        organisations=selectors.network_organisations(network),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=user, meeting=Meeting.objects.get(pk=meeting.pk), data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The meeting has been changed. Calendars update from the new invitation."))
            return redirect("networks:meeting", meeting.pk)
    return render(
        request,
        "networks/meeting_form.html",
        {"form": form, "network": network, "meeting": meeting},
        status=form_status(request),
    )


def _meeting_page(request: AuthedRequest, meeting: Meeting, *, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    network = meeting.network
    members = list(selectors.current_members(network))
    present = selectors.attendance_of(meeting)
    coordinator = bool(permissions.can_coordinate(user, network))
    actions = list(meeting.actions.select_related("owner"))
    follow_ups = services.open_actions_before(meeting)
    selectors.log_members_shown(
        actor=user,
        memberships=[*members, *[a.owner for a in actions], *[a.owner for a in follow_ups]],
        purpose="network meeting",
        route=request.path,
    )
    context = {
        "meeting": meeting,
        "network": network,
        "coordinator": coordinator,
        "members": members,
        "present": present,
        "actions": actions,
        "follow_ups": follow_ups,
        "attendance_form": forms.get("attendance_form")
        or AttendanceForm(initial={"present": [str(p) for p in present]}, members=members),
        "notes_form": forms.get("notes_form") or NotesForm(initial={"notes": meeting.notes}),
        "action_form": forms.get("action_form") or ActionForm(members=members),
        "notes_visible": coordinator or meeting.notes_published_on is not None,
    }
    return render(request, "networks/meeting.html", context, status=status)


@login_required
@require_GET
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, selectors.meeting_get(actor=request.user, pk=pk, route=request.path))


@login_required
@require_POST
def meeting_attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.meeting_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, meeting.network))
    members = list(selectors.current_members(meeting.network))
    form = AttendanceForm(request.POST, members=members)
    if form.is_valid():
        try:
            count = services.attendance_record(
                actor=user, meeting=meeting, membership_ids=[int(i) for i in form.cleaned_data["present"]]
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("Attendance has been saved: %(n)s present. The picture follows it.") % {"n": formatting.count(count)},
            )
            return redirect("networks:meeting", meeting.pk)
    return _meeting_page(request, meeting, status=400, attendance_form=form)


@login_required
@require_POST
def meeting_notes(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.meeting_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, meeting.network))
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            services.notes_publish(actor=user, meeting=meeting, notes=form.cleaned_data["notes"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The notes have been published to the members."))
            return redirect("networks:meeting", meeting.pk)
    return _meeting_page(request, meeting, status=400, notes_form=form)


@login_required
@require_POST
def action_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.meeting_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, meeting.network))
    members = list(selectors.current_members(meeting.network))
    form = ActionForm(request.POST, members=members)
    if form.is_valid():
        owner = next(m for m in members if str(m.pk) == form.cleaned_data["owner"])
        try:
            services.action_create(
                actor=user,
                meeting=meeting,
                text=form.cleaned_data["text"],
                owner=owner,
                due_on=form.cleaned_data["due_on"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The action has been saved. It is followed up at the next meeting."))
            return redirect(reverse("networks:meeting", args=[meeting.pk]) + "#actions")
    return _meeting_page(request, meeting, status=400, action_form=form)


@login_required
@require_POST
def action_follow_up(request: AuthedRequest, pk: int, action_id: int) -> HttpResponse:
    user = request.user
    meeting = selectors.meeting_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, meeting.network))
    action = next((a for a in services.open_actions_before(meeting) if a.pk == action_id), None)
    if action is None:
        raise Http404
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.action_follow_up(
                actor=user,
                action=action,
                meeting=meeting,
                done=form.cleaned_data["done"],
                note=form.cleaned_data["note"],
            )
        except Refusal as refusal:
            _refused(request, refusal)
        else:
            messages.success(request, _("The follow-up has been saved."))
    return redirect(reverse("networks:meeting", args=[meeting.pk]) + "#follow-up")


@login_required
@require_GET
def meeting_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=request.user, pk=pk, route=request.path)
    response = HttpResponse(
        exports.meeting_ics(meeting, site=request.get_host()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="network-meeting-{meeting.pk}.ics"'
    return response


# -- goals and resources ----------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def goals(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    coordinator = bool(permissions.can_coordinate(user, network))
    form = GoalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _require(permissions.can_coordinate(user, network))
        if form.is_valid():
            try:
                services.goal_create(actor=user, network=network, **form.cleaned_data)
            except Refusal as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(request, _("The goal has been added."))
                return redirect("networks:goals", network.pk)
    goal_list = selectors.goals_of(network)
    selectors.log_members_shown(
        actor=user, memberships=[g.owner for g in goal_list], purpose="network members", route=request.path
    )
    return render(
        request,
        "networks/goals.html",
        {
            "network": network,
            "goals": goal_list,
            "form": form,
            "coordinator": coordinator,
            "status_form": GoalStatusForm(),
        },
        status=form_status(request),
    )


@login_required
@require_POST
def goal_status(request: AuthedRequest, pk: int, goal_id: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    _require(permissions.can_coordinate(user, network))
    goal = next((g for g in selectors.goals_of(network) if g.pk == goal_id), None)
    if goal is None:
        raise Http404
    form = GoalStatusForm(request.POST)
    if form.is_valid():
        try:
            services.goal_set_status(
                actor=user, goal=goal, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
            )
        except Refusal as refusal:
            _refused(request, refusal)
        else:
            messages.success(request, _("The status has been saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("networks:goals", network.pk)


@login_required
@require_http_methods(["GET", "POST"])
def resources(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    coordinator = bool(permissions.can_coordinate(user, network))
    form = ResourceForm(
        request.POST if request.method == "POST" else None, organisations=selectors.network_organisations(network)
    )
    if request.method == "POST":
        _require(permissions.can_coordinate(user, network))
        if form.is_valid():
            try:
                services.resource_add(
                    actor=user, network=network, data={**form.cleaned_data, "organisation": form.chosen_organisation()}
                )
            except Refusal as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(request, _("The resource has been added."))
                return redirect("networks:resources", network.pk)
    listing = paginate(
        request,
        selectors.resources_of(network),
        sorts={"date": ("-spent_on", "-pk")},
        default_sort="date",
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        "networks/resources.html",
        {
            "network": network,
            "form": form,
            "coordinator": coordinator,
            "listing": listing,
            "totals": selectors.resource_totals(network),
        },
        status=form_status(request),
    )


@login_required
@require_GET
def resources_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    network = selectors.network_get_for_member(actor=request.user, pk=pk, route=request.path)
    data = exports.resources_xlsx(
        network_name=network.name,
        resources=list(selectors.resources_of(network)),
        totals=selectors.resource_totals(network),
    )
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="network-{network.pk}-resources.xlsx"'
    return response


# -- the picture ------------------------------------------------------------------------------------
def _picture_params(request: HttpRequest) -> tuple[PictureForm, dt.date, str, str]:
    form = PictureForm(request.GET or None)
    today = timezone.localdate()
    on, level, colour = today, Snapshot.Level.MEMBERS, "role"
    if form.is_valid():
        on = form.cleaned_data["on"] or today
        level = form.cleaned_data["level"] or level
        colour = form.cleaned_data["colour"] or colour
    return form, on, level, colour


def picture_context(
    network: Network, snapshot: Snapshot, colour: str, *, actor: Any = None, route: str = ""
) -> dict[str, Any]:
    result = snapshot.result
    figures = result["analysis"]
    ids = [int(k) for k in result["layout"]]
    labels = selectors.node_labels(network, snapshot.level, ids, actor=actor, route=route)
    colour_by = "group" if snapshot.level == Snapshot.Level.ORGANISATIONS else colour
    summary = _("%(nodes)s members and %(ties)s ties on %(date)s.") % {
        "nodes": formatting.count(figures["nodes"]),
        "ties": formatting.count(figures["ties"]),
        "date": formatting.date(snapshot.on),
    }
    svg, legend = picture.network_svg(
        title=_("The picture of %(network)s on %(date)s")
        % {"network": network.name, "date": formatting.date(snapshot.on)},
        description=summary,
        layout=result["layout"],
        edges=figures["edges"],
        labels=labels,
        colour_by=colour_by,
        highlight=figures["articulation"],
        ties_layer=snapshot.ties_svg or None,
    )
    betweenness = {int(k): v for k, v in figures["betweenness"].items()}
    degree = {int(k): v for k, v in figures["degree"].items()}
    community_of = {n: i + 1 for i, group in enumerate(figures["communities"]) for n in group}
    all_rows = sorted(
        (
            {
                "id": i,
                "label": labels.get(i, {}).get("label", str(i)),
                "role": labels.get(i, {}).get("role", ""),
                "group": labels.get(i, {}).get("group", ""),
                "degree": degree.get(i, 0),
                "betweenness": betweenness.get(i, 0.0),
                "articulation": i in figures["articulation"],
                "community": community_of.get(i),
            }
            for i in ids
        ),
        key=lambda r: (-r["betweenness"], -r["degree"], r["label"]),
    )
    return {
        "snapshot": snapshot,
        "svg": svg,
        "legend": legend,
        "summary": summary,
        "all_rows": all_rows,
        "answers": selectors.answers(result, labels, snapshot.level),
        "figures": figures,
    }


@login_required
@require_GET
def picture_page(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    form, on, level, colour = _picture_params(request)
    context: dict[str, Any] = {
        "network": network,
        "form": form,
        "on": on,
        "level": level,
        "colour": colour,
        "future": on > timezone.localdate(),
        "snapshots": list(selectors.snapshots_of(network)[:24]),
    }
    snapshot = selectors.snapshot_of(network, on, level)
    context["snapshot"] = snapshot
    if snapshot is not None and snapshot.status == Snapshot.Status.READY:
        context.update(picture_context(network, snapshot, colour, actor=user, route=request.path))
        keep = {
            "on": request.GET.get("on", ""),
            "level": request.GET.get("level", ""),
            "colour": request.GET.get("colour", ""),
        }
        context["listing"] = _list_page(request, context.pop("all_rows"), keep=keep)
        context["rows"] = context["listing"].rows
    elif snapshot is not None and snapshot.job_id:
        try:
            context["job"] = job_get_for_owner(owner=user, job_id=snapshot.job_id)
        except Http404:
            context["job"] = None
    return render(request, "networks/picture.html", context)


@login_required
@require_POST
def snapshot_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    form = PictureForm(request.POST)
    on, level = None, Snapshot.Level.MEMBERS
    if form.is_valid():
        on = form.cleaned_data["on"]
        level = form.cleaned_data["level"] or level
    else:
        messages.error(request, _("Give the date as day, month and year."))
        return redirect("networks:picture", network.pk)
    try:
        snapshot = services.snapshot_request(actor=user, network=network, on=on, level=level)
    except Refusal as refusal:
        return render(
            request,
            "networks/picture.html",
            {
                "network": network,
                "form": form,
                "error": refusal.message,
                "on": on,
                "level": level,
                "snapshots": list(selectors.snapshots_of(network)[:24]),
            },
            status=400,
        )
    back = reverse("networks:picture", args=[network.pk]) + f"?on={snapshot.on.isoformat()}&level={snapshot.level}"
    return redirect(back)


@login_required
@require_GET
def change(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    form = ChangeForm(request.GET or None)
    context: dict[str, Any] = {"network": network, "form": form}
    if form.is_valid():
        before, after = form.cleaned_data["before"], form.cleaned_data["after"]
        try:
            services.check_snapshot_date(before)
            services.check_snapshot_date(after)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            diff = selectors.change_between(network, before, after)
            ids = sorted({*diff["joined"], *diff["left"], *[n for pair in diff["gained"] + diff["lost"] for n in pair]})
            labels = selectors.node_labels(network, Snapshot.Level.MEMBERS, ids, actor=user, route=request.path)

            def name(i: int) -> str:
                return labels.get(i, {}).get("label", str(i))

            context["diff"] = {
                "joined": [name(i) for i in diff["joined"]],
                "left": [name(i) for i in diff["left"]],
                "gained": [(name(a), name(b)) for a, b in diff["gained"]],
                "lost": [(name(a), name(b)) for a, b in diff["lost"]],
            }
            context.update(before=before, after=after)
    return render(request, "networks/change.html", context, status=400 if form.errors else 200)


def _export_data(request: AuthedRequest, pk: int) -> tuple[Network, Snapshot, dict[int, dict[str, str]]]:
    user = request.user
    network = selectors.network_get_for_member(actor=user, pk=pk, route=request.path)
    _form, on, level, _colour = _picture_params(request)
    snapshot = selectors.snapshot_of(network, on, level)
    if snapshot is None or snapshot.status != Snapshot.Status.READY:
        raise Http404
    ids = [int(k) for k in snapshot.result["layout"]]
    labels = selectors.node_labels(network, level, ids)
    for info in labels.values():
        if info.get("user_id") and info["user_id"] != str(user.pk):
            log_access(
                actor=user,
                subject_id=int(info["user_id"]),
                object_type="networks.network",
                object_id=str(network.pk),
                action=LogAction.EXPORT,
                purpose="network export",
                route=request.path,
            )
    for info in labels.values():
        info.pop("user_id", None)
        info.pop("role_code", None)
    return network, snapshot, labels


@login_required
@require_GET
def export_graphml(request: AuthedRequest, pk: int) -> HttpResponse:
    network, snapshot, labels = _export_data(request, pk)
    edges = [tuple(e) for e in snapshot.result["analysis"]["edges"]]
    response = HttpResponse(
        exports.graphml(nodes=labels, edges=edges, figures=snapshot.result["analysis"]),
        content_type="application/graphml+xml",
    )
    response["Content-Disposition"] = f'attachment; filename="network-{network.pk}-{snapshot.on.isoformat()}.graphml"'
    return response


@login_required
@require_GET
def export_csv(request: AuthedRequest, pk: int, what: str) -> HttpResponse:
    network, snapshot, labels = _export_data(request, pk)
    figures = snapshot.result["analysis"]
    if what == "nodes":
        data = exports.nodes_csv(labels, figures)
    elif what == "ties":
        data = exports.ties_csv([tuple(e) for e in figures["edges"]])
    else:
        raise Http404
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="network-{network.pk}-{snapshot.on.isoformat()}-{what}.csv"'
    )
    return response


# -- personal network maps ------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def maps(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = MapForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            personal_map = services.map_create(actor=user, title=form.cleaned_data["title"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Your map has been started. Add the people around you."))
            return redirect("networks:map", personal_map.pk)
    rows = list(selectors.maps_for(actor=user))
    from osallisuus.core.access import log_listing  # noqa: PLC0415 - one listing of the shared maps

    log_listing(actor=user, rows=rows, subject_of=lambda m: m.owner_id, purpose="network map", route=request.path)
    selectors.log_users_shown(
        actor=user,
        users=[m.shared_with for m in rows if m.owner_id == user.pk],
        purpose="network map sharing",
        route=request.path,
    )
    return render(
        request,
        "networks/maps.html",
        {
            "own": [m for m in rows if m.owner_id == user.pk],
            "shared": [m for m in rows if m.owner_id != user.pk],
            "form": form,
        },
        status=form_status(request),
    )


def _map_page(
    request: AuthedRequest,
    personal_map: Any,
    *,
    status: int = 200,
    person_form: Any = None,
    version_form: Any = None,
    share_form: Any = None,
) -> HttpResponse:
    user = request.user
    versions = selectors.map_versions(personal_map)
    latest = versions[-1]
    compare_id = request.GET.get("compare")
    earlier = (
        next((v for v in versions if str(v.pk) == compare_id), None)
        if compare_id
        else (versions[0] if len(versions) > 1 else None)
    )
    if earlier is not None and earlier.pk == latest.pk:
        earlier = None
    sector_labels = dict(Sector.choices)
    circle_labels = dict(MapPerson.Circle.choices)
    owner_label = _("%(name)s herself") % {"name": personal_map.owner.full_name}

    def drawing(version: Any) -> Any:
        return picture.map_svg(
            title=_("Network map of %(date)s") % {"date": formatting.date(version.made_on)},
            owner_label=owner_label,
            people=list(version.people.all()),
            sector_labels={k: str(v) for k, v in sector_labels.items()},
            circle_labels={k: str(v) for k, v in circle_labels.items()},
        )

    is_owner = personal_map.owner_id == user.pk
    workers = list(accounts.workers_of(person_id=user.pk)) if is_owner else []
    selectors.log_users_shown(actor=user, users=workers, purpose="network map sharing", route=request.path)
    context = {
        "map": personal_map,
        "latest": latest,
        "earlier": earlier,
        "versions": versions,
        "latest_svg": drawing(latest),
        "earlier_svg": drawing(earlier) if earlier else None,
        "person_form": person_form or MapPersonForm(),
        "version_form": version_form or MapVersionForm(),
        "share_form": share_form
        or MapShareForm(initial={"worker": personal_map.shared_with_id or ""}, workers=workers),
        "is_owner": is_owner,
        "legend": picture.legend_quality(),
        "sectors": [(k, str(v)) for k, v in Sector.choices],
        "qualities": dict(Quality.choices),
    }
    return render(request, "networks/map.html", context, status=status)


@login_required
@require_GET
def map_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _map_page(request, selectors.map_get(actor=request.user, pk=pk, route=request.path))


@login_required
@require_POST
def map_person_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    personal_map = selectors.map_get(actor=user, pk=pk, route=request.path)
    form = MapPersonForm(request.POST)
    if form.is_valid():
        try:
            services.map_person_add(actor=user, personal_map=personal_map, data=form.cleaned_data)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("%(name)s has been added to the map.") % {"name": form.cleaned_data["name"]})
            return redirect(reverse("networks:map", args=[personal_map.pk]) + "#people")
    return _map_page(request, personal_map, status=400, person_form=form)


@login_required
@require_POST
def map_person_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.map_person_get(actor=user, pk=pk, route=request.path)
    try:
        services.map_person_remove(actor=user, person=person)
    except Refusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The person has been taken off the map."))
    return redirect(reverse("networks:map", args=[person.version.map_id]) + "#people")


@login_required
@require_POST
def map_version_new(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    personal_map = selectors.map_get(actor=user, pk=pk, route=request.path)
    form = MapVersionForm(request.POST)
    if form.is_valid():
        try:
            services.map_version_new(actor=user, personal_map=personal_map, note=form.cleaned_data["note"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("A new version has been started. The earlier one is kept for comparison."))
            return redirect("networks:map", personal_map.pk)
    return _map_page(request, personal_map, status=400, version_form=form)


@login_required
@require_POST
def map_share(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    personal_map = selectors.map_get(actor=user, pk=pk, route=request.path)
    _require(permissions.can_share_map(user, personal_map))
    form = MapShareForm(request.POST, workers=list(accounts.workers_of(person_id=user.pk)))
    if form.is_valid():
        try:
            worker = form.cleaned_data["worker"]
            services.map_share(actor=user, personal_map=personal_map, worker_id=int(worker) if worker else None)
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Saved. Only you and the person you chose can see the map."))
            return redirect("networks:map", personal_map.pk)
    return _map_page(request, personal_map, status=400, share_form=form)


@login_required
@require_GET
def map_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    personal_map = selectors.map_get(actor=request.user, pk=pk, route=request.path, action=LogAction.EXPORT)
    latest = selectors.map_versions(personal_map)[-1]
    svg = picture.map_svg(
        title=personal_map.title,
        owner_label=personal_map.owner.full_name,
        people=list(latest.people.all()),
        sector_labels={k: str(v) for k, v in Sector.choices},
        circle_labels={k: str(v) for k, v in MapPerson.Circle.choices},
    )
    pdf = exports.map_pdf({"map": personal_map, "version": latest, "svg": svg})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="network-map-{latest.made_on.isoformat()}.pdf"'
    return response
