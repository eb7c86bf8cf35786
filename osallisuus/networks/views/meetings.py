"""Meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.core import formatting
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render

from .. import exports, permissions, selectors, services
from ..forms import (
    ActionForm,
    AttendanceForm,
    FollowUpForm,
    MeetingForm,
    NotesForm,
)
from ..models import Meeting
from .base import _refused, _require


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
