"""Pages of the steering group and the project groups: members, meetings with an invite, minutes and
the decisions a group records. The rules are in ``services.groups``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from osallisuus.accounts import selectors as accounts
from osallisuus.core.access import gate, log_listing
from osallisuus.core.errors import Refusal, refusal_to_form
from osallisuus.core.http import AuthedRequest, render
from osallisuus.funding.forms_money import GroupDecisionForm, MeetingForm, MemberForm, MinutesForm
from osallisuus.funding.models import Group, GroupMeeting, Programme
from osallisuus.funding.services import groups

PURPOSE = "funding groups"


def _group_get(request: AuthedRequest, pk: object) -> Group:
    qs = groups.groups_visible_to(request.user).select_related("programme", "application")
    return gate(qs, pk=pk, actor=request.user, purpose=PURPOSE, subject_of=lambda g: None, route=request.path)


def _meeting_get(request: AuthedRequest, pk: object) -> GroupMeeting:
    qs = GroupMeeting.objects.filter(group__in=groups.groups_visible_to(request.user)).select_related(
        "group__programme", "group__application"
    )
    return gate(qs, pk=pk, actor=request.user, purpose=PURPOSE, subject_of=lambda m: None, route=request.path)


@login_required
@require_GET
def group_list(request: AuthedRequest) -> HttpResponse:
    found = list(groups.groups_visible_to(request.user).select_related("programme", "application").order_by("name"))
    return render(request, "funding/money/groups.html", {"groups": found})


def _group_page(
    request: AuthedRequest,
    group: Group,
    *,
    member_form: MemberForm | None = None,
    meeting_form: MeetingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    members = list(group.members.select_related("user", "organisation").order_by("user__full_name"))
    log_listing(actor=request.user, rows=members, subject_of=lambda m: m.user_id, purpose=PURPOSE, route=request.path)
    keeper = groups.can_keep(request.user, group)
    return render(
        request,
        "funding/money/group.html",
        {
            "group": group,
            "members": members,
            "meetings": list(group.meetings.prefetch_related("decisions").order_by("-starts_at")),
            "keeper": keeper,
            "member_form": (member_form or MemberForm()) if keeper else None,
            "meeting_form": (meeting_form or MeetingForm()) if keeper else None,
        },
        status=status,
    )


@login_required
@require_GET
def group(request: AuthedRequest, pk: int) -> HttpResponse:
    return _group_page(request, _group_get(request, pk))


@login_required
@require_POST
def steering_group_create(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = Programme.objects.filter(pk=pk).first()
    if programme is None:
        raise Http404
    try:
        made = groups.steering_group_create(
            actor=request.user, programme=programme, name=request.POST.get("name", "") or _("Steering group")
        )
    except groups.GroupForbidden:
        raise Http404 from None
    except Refusal as refusal:
        messages.error(request, refusal.message)
        existing = Group.objects.filter(programme=programme, kind=Group.Kind.STEERING).first()
        return redirect("funding:group", existing.pk) if existing else redirect("funding:groups")
    return redirect("funding:group", made.pk)


@login_required
@require_POST
def member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _group_get(request, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        user = accounts.user_by_email(email=form.cleaned_data["email"])
        memberships = list(accounts.memberships_of(user=user)) if user is not None else []
        if user is None or not memberships:
            form.add_error("email", _("No one with this address works for an organisation in the service."))
        else:
            try:
                groups.member_add(
                    actor=request.user,
                    group=found,
                    user=user,
                    organisation=memberships[0].organisation,
                    role=form.cleaned_data["role"],
                )
            except Refusal as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(request, _("The member was added."))
                return redirect("funding:group", found.pk)
    return _group_page(request, found, member_form=form, status=400)


@login_required
@require_POST
def meeting_add(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _group_get(request, pk)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = groups.meeting_create(
                actor=request.user,
                group=found,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                place=form.cleaned_data["place"],
            )
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The meeting was added; members can download the invitation."))
            return redirect("funding:group_meeting", meeting.pk)
    return _group_page(request, found, meeting_form=form, status=400)


def _meeting_page(
    request: AuthedRequest,
    meeting: GroupMeeting,
    *,
    minutes_form: MinutesForm | None = None,
    decision_form: GroupDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    keeper = groups.can_keep(request.user, meeting.group)
    return render(
        request,
        "funding/money/meeting.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "decisions": list(meeting.decisions.select_related("application")),
            "keeper": keeper,
            "minutes_form": (minutes_form or MinutesForm(initial={"minutes": meeting.minutes})) if keeper else None,
            "decision_form": (decision_form or GroupDecisionForm()) if keeper else None,
        },
        status=status,
    )


@login_required
@require_GET
def meeting(request: AuthedRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, _meeting_get(request, pk))


@login_required
@require_GET
def meeting_ics(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _meeting_get(request, pk)
    response = HttpResponse(groups.meeting_ics(found), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kokous_{found.starts_at:%Y%m%d}.ics"'
    return response


@login_required
@require_POST
def minutes_save(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _meeting_get(request, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            groups.minutes_save(actor=request.user, meeting=found, minutes=form.cleaned_data["minutes"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The minutes were saved."))
            return redirect("funding:group_meeting", found.pk)
    return _meeting_page(request, found, minutes_form=form, status=400)


@login_required
@require_POST
def decision_add(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _meeting_get(request, pk)
    form = GroupDecisionForm(request.POST)
    if form.is_valid():
        try:
            groups.decision_record(actor=request.user, meeting=found, text=form.cleaned_data["text"])
        except Refusal as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("funding:group_meeting", found.pk)
    return _meeting_page(request, found, decision_form=form, status=400)
