"""Meetings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts import selectors as accounts
from osallisuus.core import events
from osallisuus.core.mail import absolute_url
from osallisuus.core.notifications import notify

from ..models import (
    Action,
    Attendance,
    Meeting,
    Network,
    NetworkMembership,
    RotationEntry,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import User
from .base import NetworkRefusal, _coordinate
from .ties import ties_rebuild


# -- rotation and meetings ------------------------------------------------------------------------
@transaction.atomic
def rotation_set(*, actor: User, network: Network, organisation_ids: list[int]) -> list[RotationEntry]:
    """The coordinator's order of host organisations (any of the members' organisations)."""
    _coordinate(actor, network)
    allowed = set(network.owners.values_list("pk", flat=True)) | set(
        NetworkMembership.objects.current()
        .filter(network=network, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
    )
    order = list(dict.fromkeys(int(i) for i in organisation_ids))
    wrong = [i for i in order if i not in allowed]
    if wrong or not order:
        raise NetworkRefusal(
            _("The order may name only the organisations of the network's members."), field="order", code="invalid"
        )
    RotationEntry.objects.filter(network=network).delete()
    entries = [RotationEntry(network=network, organisation_id=org, position=i) for i, org in enumerate(order)]
    RotationEntry.objects.bulk_create(entries)
    events.record(actor=actor, verb="networks.rotation.set", target=network)
    return entries


def rotation_organisations(network: Network) -> list[Any]:
    return [e.organisation for e in network.rotation.select_related("organisation")]


def next_host(network: Network) -> Any | None:
    """The next host in the rotation: the one after the latest meeting's host (the first one if
    the latest host is no longer in the rotation, or there has been no meeting)."""
    order = rotation_organisations(network)
    if not order:
        return None
    last = network.meetings.order_by("-starts_at", "-pk").values_list("host_id", flat=True).first()
    ids = [o.pk for o in order]
    if last in ids:
        return order[(ids.index(last) + 1) % len(order)]
    return order[0]


MEETING_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "channel_url",
    "agenda",
    "host",
    "future",
    "helped",
    "worried",
)


def _check_meeting(meeting: Meeting) -> None:
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        raise NetworkRefusal(_("The meeting must end after it starts."), field="ends_at", code="ends_before_start")
    if not meeting.place.strip() and not meeting.channel_url.strip():
        raise NetworkRefusal(
            _("Give the place, the link to the virtual meeting, or both."), field="place", code="place_needed"
        )
    meeting.full_clean()


@transaction.atomic
def meeting_create(*, actor: User, network: Network, data: dict[str, Any]) -> Meeting:
    _coordinate(actor, network)
    values = {k: data[k] for k in MEETING_FIELDS if k in data and data[k] is not None}
    meeting = Meeting(network=network, **values)
    _check_meeting(meeting)
    meeting.save()
    events.record(actor=actor, verb="networks.meeting.create", target=meeting)
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    _coordinate(actor, meeting.network)
    for key in MEETING_FIELDS:
        if key in data:
            setattr(meeting, key, data[key] if data[key] is not None else ("" if key != "host" else None))
    _check_meeting(meeting)
    meeting.sequence += 1
    meeting.save()
    events.record(actor=actor, verb="networks.meeting.update", target=meeting)
    return meeting


@transaction.atomic
def attendance_record(*, actor: User, meeting: Meeting, membership_ids: list[int]) -> int:
    """Who attended: replaces the list, and the ties from meetings are computed again."""
    network = meeting.network
    _coordinate(actor, network)
    on = timezone.localtime(meeting.starts_at).date()
    members = set(
        NetworkMembership.objects.current(on)
        .filter(network=network, pk__in=membership_ids)
        .values_list("pk", flat=True)
    )
    if len(members) != len(set(membership_ids)):
        raise NetworkRefusal(
            _("Only people who were members on the day of the meeting can be marked as present."),
            field="present",
            code="not_member",
        )
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create([Attendance(meeting=meeting, membership_id=m) for m in sorted(members)])
    meeting.attendance_recorded = True
    meeting.save(update_fields=["attendance_recorded", "updated_at"])
    ties_rebuild(network=network)
    events.record(actor=actor, verb="networks.meeting.attendance", target=meeting, data={"present": len(members)})
    return len(members)


@transaction.atomic
def notes_publish(*, actor: User, meeting: Meeting, notes: str) -> Meeting:
    """The coordinator's condensed notes, published to the members (a notice to each with an account)."""
    _coordinate(actor, meeting.network)
    notes = notes.strip()
    if not notes:
        raise NetworkRefusal(_("Write the notes before publishing them."), field="notes", code="required")
    meeting.notes = notes
    meeting.notes_published_on = timezone.localdate()
    meeting.save(update_fields=["notes", "notes_published_on", "updated_at"])
    url = absolute_url(reverse("networks:meeting", args=[meeting.pk]))
    recipients = list(
        accounts.users_in(
            ids=set(
                NetworkMembership.objects.current()
                .filter(network=meeting.network, user__isnull=False)
                .exclude(user=actor)
                .values_list("user_id", flat=True)
            )
        )
    )

    def _send() -> None:
        for user in recipients:
            notify(
                user=user,
                kind="networks.notes",
                url=url,
                message=_("The notes of the meeting %(meeting)s of %(network)s have been published."),
                params={"meeting": meeting.title, "network": meeting.network.name},
            )

    transaction.on_commit(_send)
    events.record(actor=actor, verb="networks.meeting.notes", target=meeting)
    return meeting


@transaction.atomic
def action_create(*, actor: User, meeting: Meeting, text: str, owner: NetworkMembership, due_on: dt.date) -> Action:
    _coordinate(actor, meeting.network)
    if owner.network_id != meeting.network_id or owner.left_on is not None:
        raise NetworkRefusal(_("Choose a member of this network."), field="owner", code="not_member")
    if due_on < timezone.localtime(meeting.starts_at).date():
        raise NetworkRefusal(_("The action cannot be due before the meeting."), field="due_on", code="due_before")
    action = Action(meeting=meeting, text=text.strip(), owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    return action


def open_actions_before(meeting: Meeting) -> list[Action]:
    """The actions of earlier meetings not yet followed up: this meeting follows them up."""
    return list(
        Action.objects.filter(meeting__network_id=meeting.network_id, meeting__starts_at__lt=meeting.starts_at)
        .filter(Q(followed_up_at__isnull=True) | Q(followed_up_at=meeting))
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )


@transaction.atomic
def action_follow_up(*, actor: User, action: Action, meeting: Meeting, done: bool, note: str = "") -> Action:
    _coordinate(actor, meeting.network)
    if action.meeting.network_id != meeting.network_id or action.meeting.starts_at >= meeting.starts_at:
        raise NetworkRefusal(_("An action is followed up at a later meeting."), code="not_later")
    action.done = done
    action.follow_up = note.strip()[:300]
    action.followed_up_at = meeting
    action.save()
    return action
