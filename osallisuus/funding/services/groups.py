"""Governance of a programme: its one steering group, convened by the city, and each project's own
group; their members, meetings (with an iCalendar invite), minutes and the decisions they record.

Who keeps a group:

* the steering group: the programme organisation's people with ``funding.steer`` or
  ``funding.manage_programme`` (the city convenes it);
* a project group: the project's own people (the applicant's staff with ``funding.apply`` and the
  application's users), and the city's steering people.

Members are people of any organisation; they see the group, its meetings and decisions.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from osallisuus.core import events
from osallisuus.core.errors import Forbidden, Refusal

from ..models import Application, Group, GroupDecision, GroupMeeting, GroupMember, Programme
from ..permissions import P
from . import payments as money

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User


class GroupError(Refusal):
    """A refusal about a steering or project group, in the user's language."""


class GroupForbidden(Forbidden):
    pass


def _convener_orgs(user: User) -> set[int]:
    return user.permissions.organisations_with(P.STEER) | user.permissions.organisations_with(P.MANAGE)


def groups_visible_to(user: User) -> QuerySet[Group]:
    """Groups the person is a member of, the steering groups of the programmes her organisation
    convenes, and the project groups of her own projects."""
    convener = _convener_orgs(user)
    q = (
        Q(members__user=user)
        | Q(programme__organisation_id__in=convener)
        | Q(kind=Group.Kind.PROJECT, application__applicant_id__in=user.permissions.organisations_with(P.APPLY))
        | Q(kind=Group.Kind.PROJECT, application__users__user=user)
    )
    return Group.objects.filter(pk__in=Group.objects.filter(q).values("pk"))


def can_keep(user: User, group: Group) -> bool:
    """May the person add members and meetings, write the minutes and record decisions?"""
    if group.programme.organisation_id in _convener_orgs(user):
        return True
    return (
        group.kind == Group.Kind.PROJECT
        and group.application is not None
        and money.is_project_writer(user, group.application)
    )


def _require_keeper(user: User, group: Group) -> None:
    if not can_keep(user, group):
        raise GroupForbidden(_("Only the group's convener keeps its members, meetings and minutes."))


@transaction.atomic
def steering_group_create(*, actor: User, programme: Programme, name: str) -> Group:
    if programme.organisation_id not in _convener_orgs(actor):
        raise GroupForbidden(_("The steering group is convened by the organisation that runs the programme."))
    if Group.objects.filter(programme=programme, kind=Group.Kind.STEERING).exists():
        raise GroupError(_("The programme already has its steering group."), field="name")
    group = Group(programme=programme, kind=Group.Kind.STEERING, name=name.strip())
    group.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:
        raise GroupError(_("The programme already has its steering group."), field="name") from None
    events.record(actor=actor, verb="funding.group.create", target=group)
    return group


@transaction.atomic
def project_group_create(*, actor: User, application: Application, name: str) -> Group:
    programme = application.call.programme
    if not (money.is_project_writer(actor, application) or programme.organisation_id in _convener_orgs(actor)):
        raise GroupForbidden(_("A project group is set up by the project or the programme's convener."))
    group = Group(programme=programme, application=application, kind=Group.Kind.PROJECT, name=name.strip())
    group.full_clean()
    group.save()
    events.record(actor=actor, verb="funding.group.create", target=group)
    return group


@transaction.atomic
def member_add(*, actor: User, group: Group, user: User, organisation: Organisation, role: str = "") -> GroupMember:
    _require_keeper(actor, group)
    if GroupMember.objects.filter(group=group, user=user).exists():
        raise GroupError(_("%(name)s is already a member of the group.") % {"name": user.full_name}, field="email")
    member = GroupMember(group=group, user=user, organisation=organisation, role=role.strip())
    member.full_clean(validate_constraints=False)
    member.save()
    events.record(actor=actor, verb="funding.group.member_add", target=group, subject=user)
    return member


@transaction.atomic
def member_remove(*, actor: User, member: GroupMember) -> None:
    _require_keeper(actor, member.group)
    events.record(actor=actor, verb="funding.group.member_remove", target=member.group, subject=member.user)
    member.delete()


@transaction.atomic
def meeting_create(
    *, actor: User, group: Group, starts_at: dt.datetime, ends_at: dt.datetime, place: str = ""
) -> GroupMeeting:
    _require_keeper(actor, group)
    if ends_at <= starts_at:
        raise GroupError(_("The meeting ends after it starts."), field="ends_at")
    meeting = GroupMeeting(group=group, starts_at=starts_at, ends_at=ends_at, place=place.strip())
    meeting.full_clean()
    meeting.save()
    events.record(actor=actor, verb="funding.group.meeting", target=meeting)
    return meeting


@transaction.atomic
def minutes_save(*, actor: User, meeting: GroupMeeting, minutes: str) -> GroupMeeting:
    _require_keeper(actor, meeting.group)
    if meeting.starts_at > timezone.now():
        raise GroupError(_("The minutes are written once the meeting has begun."), field="minutes")
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes"])
    events.record(actor=actor, verb="funding.group.minutes", target=meeting)
    return meeting


@transaction.atomic
def decision_record(
    *, actor: User, meeting: GroupMeeting, text: str, application: Application | None = None
) -> GroupDecision:
    _require_keeper(actor, meeting.group)
    if not text.strip():
        raise GroupError(_("Write the decision."), field="text")
    if application is not None and application.call.programme_id != meeting.group.programme_id:
        raise GroupError(_("The project is not one of this programme's."), field="application")
    decision = GroupDecision(meeting=meeting, text=text.strip(), application=application)
    decision.full_clean()
    decision.save()
    events.record(actor=actor, verb="funding.group.decision", target=meeting)
    return decision


def meeting_ics(meeting: GroupMeeting, *, site: str = "osallisuus") -> bytes:
    """An invitation to the meeting; the meeting's UID stays the same, so calendars update it."""
    cal = Calendar()
    cal.add("prodid", "-//Osallisuus//funding//FI")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"funding-group-meeting-{meeting.uid}@{site}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.group.name)
    if meeting.place:
        event.add("location", meeting.place)
    cal.add_component(event)
    return bytes(cal.to_ical())
