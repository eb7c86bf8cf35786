"""Meetings: the participant asks, the own worker agrees a time, either can cancel; an invite file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osallisuus.core.errors import refusal_to_form
from osallisuus.core.http import AuthedRequest, form_status, render

from .. import exports, permissions, selectors, services
from ..forms import MeetingRequestForm, MeetingScheduleForm
from ..models import Meeting
from ._common import plan_url


@login_required
@require_http_methods(["GET", "POST"])
def meeting_request(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(actor=request.user, pk=pk, purpose="ask for a meeting", route=request.path, for_edit=True)
    wanted = Meeting.With.OFFICIAL if request.GET.get("with") == "official" else Meeting.With.OWN_WORKER
    form = MeetingRequestForm(request.POST or None, initial={"with_whom": wanted})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_request(plan=plan, actor=request.user, **form.cleaned_data)
        except services.RuleError as error:
            refusal_to_form(form, error)
        else:
            messages.success(
                request, _("Your request has been sent. Your own worker will contact you to agree on a time.")
            )
            return redirect(plan_url(request.user, plan))
    context = {"form": form, "plan": plan, "back_url": plan_url(request.user, plan)}
    return render(request, "activation/meeting_request.html", context, status=form_status(request))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=request.user, pk=pk, purpose="read a meeting", route=request.path)
    can_schedule = permissions.can_schedule_meeting(request.user, meeting)
    form = MeetingScheduleForm(request.POST or None) if can_schedule else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.meeting_schedule(meeting=meeting, actor=request.user, **form.cleaned_data)
            except services.RuleError as error:
                refusal_to_form(form, error)
            else:
                messages.success(request, _("The time has been agreed. The participant sees it in their plan."))
                return redirect("activation:meeting", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "plan": meeting.plan,
        "form": form,
        "can_schedule": can_schedule,
        "can_cancel": permissions.can_cancel_meeting(request.user, meeting),
        "can_download": permissions.can_download_meeting_invite(request.user, meeting),
        "is_participant": meeting.plan.participant_id == request.user.pk,
        "who": selectors.who_label(person_id=meeting.requested_by_id, viewer=request.user, plan=meeting.plan),
        "back_url": plan_url(request.user, meeting.plan),
    }
    return render(request, "activation/meeting_detail.html", context, status=form_status(request))


@login_required
@require_POST
def meeting_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(
        actor=request.user, pk=pk, purpose="cancel a meeting", route=request.path, for_edit=True
    )
    try:
        services.meeting_cancel(meeting=meeting, actor=request.user)
    except services.RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The meeting has been cancelled."))
    return redirect("activation:meeting", pk=meeting.pk)


@login_required
@require_GET
def meeting_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(actor=request.user, pk=pk, purpose="calendar invitation", route=request.path)
    if not permissions.can_download_meeting_invite(request.user, meeting):
        raise Http404
    response = HttpResponse(
        exports.meeting_ics(meeting, site=request.get_host()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
