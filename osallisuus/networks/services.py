"""Writes of networked work: one function per change, each one transaction, each wrong input a
``NetworkRefusal`` with the field it is about (nothing partial is saved)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections import defaultdict
from decimal import Decimal
from itertools import combinations
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts import selectors as accounts
from osallisuus.accounts import services as accounts_services
from osallisuus.core import events, mail
from osallisuus.core.errors import Conflict, Forbidden, Refusal
from osallisuus.core.mail import absolute_url
from osallisuus.core.notifications import notify

from . import analysis, permissions, picture
from .models import (
    Action,
    Attendance,
    Goal,
    GoalChange,
    Invitation,
    MapPerson,
    MapVersion,
    Meeting,
    MemberKind,
    Network,
    NetworkMembership,
    PersonalMap,
    Quality,
    Resource,
    Role,
    RotationEntry,
    Sector,
    Snapshot,
    Strength,
    Tie,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User

INVITATION_DAYS = 14
TIE_WINDOW_DAYS = 365
"""A tie from meetings lasts a year after the last meeting the two attended together."""
ABSENT_AFTER_MEETINGS = 3
"""A member is counted as absent when she attended none of this many last meetings."""
CLOSING_NOTICE_DAYS = 30
"""A project network asks its coordinator whether to close it this many days before its end."""


class NetworkRefusal(Refusal):
    pass


def _check_decision(decision: Any, *, status: int = 403) -> None:
    if not decision:
        raise Forbidden(decision.reason) if status == 403 else Conflict(decision.reason)


def _coordinate(actor: User, network: Network) -> None:
    if network.is_closed:
        raise Conflict(_("The network has been closed. Its history can be read but not changed."), code="closed")
    _check_decision(permissions.can_coordinate(actor, network))


# -- networks -------------------------------------------------------------------------------------
NETWORK_FIELDS = ("name", "purpose", "type", "lifecycle", "legal_basis", "goal", "ends_on", "visibility")


def _check_network(network: Network) -> None:
    if network.lifecycle == "project" and not network.ends_on:
        raise NetworkRefusal(_("A project network needs an end date."), field="ends_on", code="end_needed")
    if network.lifecycle == "project" and not network.goal.strip():
        raise NetworkRefusal(_("A project network needs a goal."), field="goal", code="goal_needed")
    network.full_clean()


@transaction.atomic
def network_create(
    *, actor: User, organisation: Organisation, data: dict[str, Any], owners: list[Organisation] | None = None
) -> Network:
    _check_decision(permissions.can_start_network(actor))
    network = Network(**{k: data[k] for k in NETWORK_FIELDS if k in data})
    network.legal_basis = network.legal_basis or ""
    network.goal = network.goal or ""
    _check_network(network)
    network.save()
    all_owners = list(dict.fromkeys([organisation, *(owners or [])]))
    network.owners.set(all_owners)
    for position, org in enumerate(all_owners):
        RotationEntry.objects.create(network=network, organisation=org, position=position)
    NetworkMembership.objects.create(
        network=network,
        user=actor,
        name=actor.full_name,
        email=actor.email,
        phone=getattr(actor, "phone", ""),
        organisation=organisation,
        role=Role.GUIDE,
        is_coordinator=True,
        joined_on=timezone.localdate(),
    )
    permissions.forget(actor)
    events.record(actor=actor, verb="networks.network.create", target=network)
    return network


@transaction.atomic
def network_update(*, actor: User, network: Network, data: dict[str, Any]) -> Network:
    _coordinate(actor, network)
    for key in NETWORK_FIELDS:
        if key in data:
            setattr(network, key, data[key] if data[key] is not None or key == "ends_on" else "")
    _check_network(network)
    network.save()
    events.record(actor=actor, verb="networks.network.update", target=network, data={"fields": sorted(data)})
    return network


def closing_due(network: Network, *, today: dt.date | None = None) -> bool:
    """Should the coordinator be asked whether to close this project network: its end is near or
    past, or every goal it has is reached."""
    if network.lifecycle != "project" or network.is_closed:
        return False
    today = today or timezone.localdate()
    if network.ends_on and network.ends_on - dt.timedelta(days=CLOSING_NOTICE_DAYS) <= today:
        return True
    statuses = [g.status for g in network.goals.all() if g.status != Goal.Status.DROPPED]
    return bool(statuses) and all(s == Goal.Status.REACHED for s in statuses)


@transaction.atomic
def network_close(*, actor: User, network: Network, on: dt.date | None = None) -> Network:
    """Close a network: read only from now on, its history kept. A project network is closed only
    after its closing evaluation has been sent to the members (``evaluation.evaluation_start``)."""
    _coordinate(actor, network)
    if network.lifecycle == "project" and not network.evaluations.filter(closing=True).exists():
        raise NetworkRefusal(
            _("Send the closing evaluation to the members before closing the network."),
            field="closing",
            code="closing_evaluation_needed",
        )
    network.closed_on = on or timezone.localdate()
    network.save(update_fields=["closed_on", "updated_at"])
    events.record(actor=actor, verb="networks.network.close", target=network)
    return network


# -- invitations and members ----------------------------------------------------------------------
def _token_hash(token: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"networks-invitation:{token}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def invitation_create(
    *, actor: User, network: Network, email: str, name: str = "", kind: str = MemberKind.STAFF
) -> tuple[Invitation, str]:
    """A one-use link by e-mail. Returns the invitation and the token (shown once, never kept)."""
    _coordinate(actor, network)
    email = (email or "").strip().lower()
    if not email:
        raise NetworkRefusal(_("Give the e-mail address the invitation is sent to."), field="email", code="required")
    current = NetworkMembership.objects.current().filter(network=network)
    if current.filter(Q(email__iexact=email) | Q(user__email__iexact=email)).exists():
        raise NetworkRefusal(
            _("A member of this network already has this e-mail address."), field="email", code="already_member"
        )
    token = secrets.token_urlsafe(24)
    invitation = Invitation(
        network=network,
        email=email,
        name=name.strip(),
        kind=kind,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    link = absolute_url(reverse("networks:invitation", args=[token]))
    subject = gettext("Osallisuus: an invitation to the network %(name)s") % {"name": network.name}
    body = gettext(
        "You are invited to take part in the network %(name)s.\n\n%(purpose)s\n\n"
        "Open the link to accept or decline. It can be used once and is valid for %(days)d days."
    ) % {"name": network.name, "purpose": network.purpose, "days": INVITATION_DAYS}
    paragraphs = [*[p for p in body.split("\n\n") if p.strip()], link]
    transaction.on_commit(
        lambda: mail.send(
            to=email,
            subject=subject,
            template="networks/email/invitation",
            context={"subject": subject, "body": f"{body}\n\n{link}", "paragraphs": paragraphs, "link": link},
            fail_silently=True,
        )
    )
    events.record(actor=actor, verb="networks.invitation.create", target=invitation)
    return invitation, token


def invitation_for_token(token: str) -> Invitation:
    """The invitation of a link, or the refusal that says why it no longer works."""
    invitation = Invitation.objects.select_related("network").filter(token_hash=_token_hash(token or "")).first()
    if invitation is None:
        raise NetworkRefusal(_("This invitation link is not valid."), code="invalid", status=404)
    if invitation.answered_at is not None:
        raise NetworkRefusal(_("This invitation link has already been used."), code="used", status=410)
    if invitation.expires_at <= timezone.now():
        raise NetworkRefusal(
            _("This invitation link has expired. Ask the coordinator for a new one."), code="expired", status=410
        )
    if invitation.network.is_closed:
        raise NetworkRefusal(_("The network has been closed."), code="closed", status=410)
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None, name: str = "", create_account: bool = False
) -> NetworkMembership:
    """Accept with one's account, or, as a resident without an account, by name. With
    ``create_account`` the resident also gets an account for the invited e-mail address: she
    chooses her password with the foundation's one-use link, sent to that address only."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answered_at is not None:
        raise NetworkRefusal(_("This invitation link has already been used."), code="used", status=410)
    network = invitation.network
    if user is not None and user.is_authenticated:
        if NetworkMembership.objects.current().filter(network=network, user=user).exists():
            raise NetworkRefusal(_("You are already a member of this network."), code="already_member")
        org_ids = permissions.organisation_ids(user)
        owned = list(network.owners.values_list("pk", flat=True))
        org_id = next((o for o in owned if o in org_ids), None) or (min(org_ids) if org_ids else None)
        membership = NetworkMembership(
            network=network,
            user=user,
            name=user.full_name,
            email=user.email,
            phone=getattr(user, "phone", ""),
            organisation_id=org_id,
            kind=invitation.kind,
            joined_on=timezone.localdate(),
        )
    else:
        name = " ".join((name or invitation.name).split())
        if not name:
            raise NetworkRefusal(_("Write your name, as you want the others to see it."), field="name", code="required")
        account = None
        if create_account:
            account, created = accounts_services.user_get_or_create(email=invitation.email, full_name=name)
            if not created:
                raise NetworkRefusal(
                    _("There is already an account with this e-mail address. Log in first, then accept."),
                    field="create_account",
                    code="account_exists",
                )
        membership = NetworkMembership(
            network=network,
            user=account,
            name=name,
            email=invitation.email,
            kind=invitation.kind if invitation.kind != MemberKind.STAFF else MemberKind.RESIDENT,
            joined_on=timezone.localdate(),
        )
        if account is not None:
            _send_password_link(account, network)
    membership.full_clean()
    membership.save()
    invitation.answered_at = timezone.now()
    invitation.accepted = True
    invitation.membership = membership
    invitation.save(update_fields=["answered_at", "accepted", "membership", "updated_at"])
    if user is not None and user.is_authenticated:
        permissions.forget(user)
    events.record(
        actor=user if user and user.is_authenticated else None, verb="networks.member.join", target=membership
    )
    return membership


def _send_password_link(account: User, network: Network) -> None:
    """The foundation's one-use link for choosing a password, to the invited address only."""
    link = absolute_url(accounts_services.password_set_path(user=account))
    subject = gettext("Osallisuus: choose your password")
    body = gettext(
        "You joined the network %(name)s and asked for an account in the Osallisuus service.\n\n"
        "Choose your password with the link below. It works once and for %(days)d days."
    ) % {"name": network.name, "days": accounts_services.password_set_link_days()}
    paragraphs = [*[p for p in body.split("\n\n") if p.strip()], link]
    transaction.on_commit(
        lambda: mail.send(
            to=account.email,
            subject=subject,
            template="networks/email/invitation",
            context={"subject": subject, "body": f"{body}\n\n{link}", "paragraphs": paragraphs, "link": link},
            fail_silently=True,
        )
    )


@transaction.atomic
def invitation_decline(*, token: str) -> Invitation:
    invitation = invitation_for_token(token)
    invitation.answered_at = timezone.now()
    invitation.accepted = False
    invitation.save(update_fields=["answered_at", "accepted", "updated_at"])
    return invitation


def _clean_strengths(values: list[str]) -> list[str]:
    allowed = set(Strength.values)
    return [v for v in dict.fromkeys(values) if v in allowed]


@transaction.atomic
def membership_update(
    *,
    actor: User,
    membership: NetworkMembership,
    role: str,
    strengths: list[str],
    organisation: Organisation | None = None,
) -> NetworkMembership:
    """The member sets her own role and strengths; a coordinator changing someone else's proposes a
    role (the member sees the proposal and decides)."""
    _check_decision(permissions.can_edit_membership(actor, membership))
    if role not in Role.values:
        raise NetworkRefusal(_("Choose a role."), field="role", code="invalid")
    if membership.user_id == actor.pk or membership.user_id is None:
        membership.role = role
        membership.strengths = _clean_strengths(strengths)
        membership.proposed_role = ""
    else:
        membership.proposed_role = role if role != membership.role else ""
    if organisation is not None and membership.user_id == actor.pk:
        membership.organisation = organisation
    membership.save()
    events.record(actor=actor, verb="networks.member.update", target=membership)
    return membership


@transaction.atomic
def membership_add(
    *,
    actor: User,
    network: Network,
    name: str,
    organisation: Organisation | None = None,
    kind: str = MemberKind.STAFF,
    role: str = Role.PARTICIPANT,
    user: User | None = None,
    joined_on: dt.date | None = None,
    email: str = "",
    strengths: list[str] | None = None,
    is_coordinator: bool = False,
) -> NetworkMembership:
    """A coordinator adds a member directly (staff she knows, or a demo's history)."""
    _coordinate(actor, network)
    if user is not None and NetworkMembership.objects.current().filter(network=network, user=user).exists():
        raise NetworkRefusal(_("This person is already a member of this network."), field="user", code="already_member")
    membership = NetworkMembership(
        network=network,
        user=user,
        name=name,
        organisation=organisation,
        kind=kind,
        role=role,
        email=email or (user.email if user else ""),
        strengths=_clean_strengths(strengths or []),
        joined_on=joined_on or timezone.localdate(),
        is_coordinator=is_coordinator,
    )
    membership.full_clean()
    membership.save()
    if user is not None:
        permissions.forget(user)
    events.record(actor=actor, verb="networks.member.add", target=membership)
    return membership


@transaction.atomic
def membership_leave(*, actor: User, membership: NetworkMembership, on: dt.date | None = None) -> NetworkMembership:
    network = membership.network
    if network.is_closed:
        raise Conflict(_("The network has been closed. Its history can be read but not changed."), code="closed")
    if membership.user_id != actor.pk:
        _coordinate(actor, network)
    if membership.left_on is not None:
        raise NetworkRefusal(_("This person has already left the network."), code="already_left")
    on = on or timezone.localdate()
    if on < membership.joined_on:
        raise NetworkRefusal(_("Leaving cannot be before joining."), field="left_on", code="before_join")
    membership.left_on = on
    membership.save(update_fields=["left_on", "updated_at"])
    Tie.objects.filter(Q(a=membership) | Q(b=membership), network=network).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    ).update(valid_to=on)
    if membership.user_id:
        permissions.forget(actor)
    events.record(actor=actor, verb="networks.member.leave", target=membership)
    return membership


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


# -- goals and resources ---------------------------------------------------------------------------
@transaction.atomic
def goal_create(
    *, actor: User, network: Network, title: str, measure: str = "", owner: NetworkMembership | None = None
) -> Goal:
    _coordinate(actor, network)
    if not title.strip():
        raise NetworkRefusal(_("Write the goal."), field="title", code="required")
    goal = Goal(network=network, title=title.strip(), measure=measure.strip(), owner=owner)
    goal.full_clean()
    goal.save()
    GoalChange.objects.create(goal=goal, status=goal.status, changed_on=timezone.localdate())
    return goal


@transaction.atomic
def goal_set_status(
    *,
    actor: User,
    goal: Goal,
    status: str,
    note: str = "",
    meeting: Meeting | None = None,
    on: dt.date | None = None,
) -> Goal:
    _coordinate(actor, goal.network)
    if status not in Goal.Status.values:
        raise NetworkRefusal(_("Choose a status."), field="status", code="invalid")
    goal.status = status
    goal.save(update_fields=["status", "updated_at"])
    GoalChange.objects.create(
        goal=goal, status=status, note=note.strip()[:300], meeting=meeting, changed_on=on or timezone.localdate()
    )
    return goal


@transaction.atomic
def resource_add(*, actor: User, network: Network, data: dict[str, Any]) -> Resource:
    _coordinate(actor, network)
    cost = data.get("cost")
    if cost is None:
        raise NetworkRefusal(_("Give the cost in euros (0 if it cost nothing)."), field="cost", code="required")
    cost = Decimal(cost)
    if cost < 0:
        raise NetworkRefusal(_("A cost cannot be negative."), field="cost", code="negative")
    hours = data.get("hours")
    if hours is not None and Decimal(hours) < 0:
        raise NetworkRefusal(_("Hours cannot be negative."), field="hours", code="negative")
    resource = Resource(
        network=network,
        kind=data.get("kind") or "",
        organisation=data.get("organisation"),
        description=(data.get("description") or "").strip(),
        hours=hours,
        cost=cost.quantize(Decimal("0.01")),
        spent_on=data["spent_on"],
    )
    resource.full_clean()
    resource.save()
    return resource


# -- ties ------------------------------------------------------------------------------------------
@transaction.atomic
def tie_declare(
    *, actor: User, network: Network, target: NetworkMembership, reason: str, valid_from: dt.date | None = None
) -> Tie:
    """A member tells whom she works with, and why."""
    if network.is_closed:
        raise Conflict(_("The network has been closed. Its history can be read but not changed."), code="closed")
    _check_decision(permissions.can_take_part(actor, network))
    source = permissions.membership_of(actor, network)
    assert source is not None
    if target.pk == source.pk:
        raise NetworkRefusal(_("A tie is between two different members."), field="target", code="self")
    if target.network_id != network.pk or target.left_on is not None:
        raise NetworkRefusal(_("Choose a current member of this network."), field="target", code="not_member")
    if not reason.strip():
        raise NetworkRefusal(_("Tell briefly what you do together."), field="reason", code="required")
    valid_from = valid_from or timezone.localdate()
    if valid_from > timezone.localdate():
        raise NetworkRefusal(_("The date cannot be in the future."), field="valid_from", code="future")
    a, b = sorted((source.pk, target.pk))
    tie = Tie(
        network=network,
        a_id=a,
        b_id=b,
        source=Tie.Source.DECLARED,
        reason=reason.strip(),
        valid_from=valid_from,
        declared_by=source,
    )
    tie.full_clean()
    tie.save()
    return tie


@transaction.atomic
def tie_end(*, actor: User, tie: Tie, on: dt.date | None = None) -> Tie:
    """End a declared tie from today (or ``on``): one of its two members ends it; the history stays."""
    network = tie.network
    if network.is_closed:
        raise Conflict(_("The network has been closed. Its history can be read but not changed."), code="closed")
    source = permissions.membership_of(actor, network)
    if tie.source != Tie.Source.DECLARED or source is None or source.pk not in (tie.a_id, tie.b_id):
        raise Forbidden(_("Only the members of a declared tie can end it."))
    on = on or timezone.localdate()
    if tie.valid_to is not None and tie.valid_to <= on:
        raise NetworkRefusal(_("This tie has already ended."), code="ended")
    tie.valid_to = max(on, tie.valid_from + dt.timedelta(days=1))
    tie.save(update_fields=["valid_to"])
    events.record(actor=actor, verb="networks.tie.end", target=network)
    return tie


def meeting_ties(
    rows: list[tuple[int, dt.date]], *, left: dict[int, dt.date | None]
) -> list[tuple[int, int, dt.date, dt.date, int]]:
    """Ties from meetings attended together. ``rows`` are (meeting id, date, membership ids…)
    flattened into (meeting, date) per attendance; one tie per pair and run of meetings no more than
    a year apart, valid from the first to a year after the last (or until one of the two leaves),
    weighted by the number of meetings."""
    by_meeting: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    for meeting_id, on, membership_id in rows:  # type: ignore[misc]
        by_meeting[(meeting_id, on)].append(membership_id)
    dates: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for (_meeting, on), members in by_meeting.items():
        for a, b in combinations(sorted(set(members)), 2):
            dates[(a, b)].append(on)
    window = dt.timedelta(days=TIE_WINDOW_DAYS)
    out = []
    for (a, b), days in dates.items():
        days.sort()
        run = [days[0]]
        for day in [*days[1:], None]:
            if day is not None and day - run[-1] <= window:
                run.append(day)
                continue
            valid_to = run[-1] + window
            for end in (left.get(a), left.get(b)):
                if end is not None and end < valid_to:
                    valid_to = end
            if valid_to > run[0]:
                out.append((a, b, run[0], valid_to, len(run)))
            if day is not None:
                run = [day]
    return out


def ties_rebuild(*, network: Network) -> int:
    rows = [
        (m, timezone.localtime(start).date(), member)
        for m, start, member in Attendance.objects.filter(meeting__network=network).values_list(
            "meeting_id", "meeting__starts_at", "membership_id"
        )
    ]
    left = dict(NetworkMembership.objects.filter(network=network).values_list("pk", "left_on"))
    ties = meeting_ties(rows, left=left)  # type: ignore[arg-type]
    with transaction.atomic():
        Tie.objects.filter(network=network, source=Tie.Source.MEETINGS).delete()
        Tie.objects.bulk_create(
            [
                Tie(network=network, a_id=a, b_id=b, source=Tie.Source.MEETINGS, valid_from=f, valid_to=t, weight=w)
                for a, b, f, t, w in ties
            ],
            batch_size=2000,
        )
    return len(ties)


# -- snapshots -------------------------------------------------------------------------------------
def check_snapshot_date(on: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if on is None:
        return today
    if on > today:
        raise NetworkRefusal(
            _("A snapshot can be made of a past day or today, not of the future."), field="on", code="future"
        )
    return on


@transaction.atomic
def snapshot_request(
    *, actor: User, network: Network, on: dt.date | None, level: str = Snapshot.Level.MEMBERS
) -> Snapshot:
    """A snapshot on a date, computed in a background job; an existing one is made again."""
    _check_decision(permissions.can_see_picture(actor, network))
    on = check_snapshot_date(on)
    if level not in Snapshot.Level.values:
        raise NetworkRefusal(_("Choose members or organisations."), field="level", code="invalid")
    from osallisuus.core.jobs import job_start  # noqa: PLC0415 - jobs imports the task registry lazily

    from .tasks import snapshot_compute_task  # noqa: PLC0415 - tasks import services

    snapshot, _created = Snapshot.objects.update_or_create(
        network=network, on=on, level=level, defaults={"status": Snapshot.Status.WAITING, "result": {}, "ties_svg": ""}
    )
    job = job_start(
        owner=actor,
        kind="networks.snapshot",
        label=gettext("The network picture on %(date)s") % {"date": on.isoformat()},
        task=snapshot_compute_task,
        total=4,
        snapshot_id=snapshot.pk,
    )
    snapshot.job_id = str(job.pk)
    snapshot.save(update_fields=["job_id", "updated_at"])
    return snapshot


def graph_on(network_id: int, on: dt.date, level: str) -> tuple[list[int], list[analysis.Edge]]:
    """The nodes and weighted edges of the network on a date (members, or their organisations)."""
    members = dict(
        NetworkMembership.objects.current(on).filter(network_id=network_id).values_list("pk", "organisation_id")
    )
    ties = (
        Tie.objects.filter(network_id=network_id, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .values_list("a_id", "b_id", "weight")
    )
    if level == Snapshot.Level.MEMBERS:
        nodes = sorted(members)
        edges = [analysis.Edge(a, b, w) for a, b, w in ties if a in members and b in members]
        return nodes, edges
    orgs = sorted({o for o in members.values() if o is not None})
    edges = []
    for a, b, w in ties:
        oa, ob = members.get(a), members.get(b)
        if oa and ob and oa != ob:
            edges.append(analysis.Edge(oa, ob, w))
    return orgs, edges


def absent_members(network_id: int, on: dt.date, last: int = ABSENT_AFTER_MEETINGS) -> list[int]:
    """Current members who attended none of the last ``last`` meetings up to the date (only
    meetings held while they were members count; with fewer such meetings nobody is absent)."""
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time()))
    meetings = list(
        Meeting.objects.filter(network_id=network_id, attendance_recorded=True, starts_at__lt=end)
        .order_by("-starts_at")
        .values_list("pk", "starts_at")[:last]
    )
    if len(meetings) < last:
        return []
    first_day = timezone.localtime(meetings[-1][1]).date()
    attended = set(
        Attendance.objects.filter(meeting_id__in=[m for m, _s in meetings]).values_list("membership_id", flat=True)
    )
    members = NetworkMembership.objects.current(on).filter(network_id=network_id, joined_on__lte=first_day)
    return sorted(m for m in members.values_list("pk", flat=True) if m not in attended)


def snapshot_result(network_id: int, on: dt.date, level: str, *, progress: Any = None) -> dict[str, Any]:
    nodes, edges = graph_on(network_id, on, level)
    if progress:
        progress(1)
    figures = analysis.analyse(nodes, edges)
    if progress:
        progress(2)
    positions = analysis.layout(nodes, edges)
    if progress:
        progress(3)
    absent = absent_members(network_id, on) if level == Snapshot.Level.MEMBERS else []
    return {
        "analysis": figures,
        "layout": {str(k): v for k, v in positions.items()},
        "absent": absent,
        "absent_after": ABSENT_AFTER_MEETINGS,
    }


def snapshot_compute(*, snapshot_id: int, progress: Any = None) -> Snapshot:
    snapshot = Snapshot.objects.get(pk=snapshot_id)
    try:
        result = snapshot_result(snapshot.network_id, snapshot.on, snapshot.level, progress=progress)
    except Exception:
        Snapshot.objects.filter(pk=snapshot_id).update(status=Snapshot.Status.FAILED)
        raise
    snapshot.result = result
    snapshot.ties_svg = picture.ties_svg(layout=result["layout"], edges=result["analysis"]["edges"])
    snapshot.status = Snapshot.Status.READY
    snapshot.save(update_fields=["result", "ties_svg", "status", "updated_at"])
    return snapshot


def monthly_snapshots(*, today: dt.date | None = None) -> int:
    """The automatic snapshots: each open network on the first day of this month, at both levels,
    made once (the scheduler runs this daily; ``networks.tasks.monthly_snapshots_task``). Returns how
    many were computed."""
    first = (today or timezone.localdate()).replace(day=1)
    made = 0
    for network_id in Network.objects.filter(closed_on__isnull=True).values_list("pk", flat=True):
        for level in Snapshot.Level.values:
            snapshot, created = Snapshot.objects.get_or_create(network_id=network_id, on=first, level=level)
            if created or snapshot.status == Snapshot.Status.FAILED:
                snapshot_compute(snapshot_id=snapshot.pk)
                made += 1
    return made


# -- personal network maps -------------------------------------------------------------------------
@transaction.atomic
def map_create(*, actor: User, title: str) -> PersonalMap:
    title = " ".join((title or "").split())
    if not title:
        raise NetworkRefusal(_("Give the map a name."), field="title", code="required")
    personal_map = PersonalMap(owner=actor, title=title)
    personal_map.full_clean()
    personal_map.save()
    MapVersion.objects.create(map=personal_map, made_on=timezone.localdate())
    return personal_map


def latest_version(personal_map: PersonalMap) -> MapVersion:
    version = personal_map.versions.order_by("-made_on", "-pk").first()
    assert version is not None
    return version


@transaction.atomic
def map_person_add(*, actor: User, personal_map: PersonalMap, data: dict[str, Any]) -> MapPerson:
    _check_decision(permissions.can_edit_map(actor, personal_map))
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        raise NetworkRefusal(_("Write the person's name or how you call them."), field="name", code="required")
    if data.get("sector") not in Sector.values:
        raise NetworkRefusal(_("Choose the sector the person belongs to."), field="sector", code="sector_needed")
    try:
        circle = int(data.get("circle") or 0)
    except (TypeError, ValueError):
        circle = 0
    if circle not in MapPerson.Circle.values:
        raise NetworkRefusal(_("Choose how close the person is."), field="circle", code="circle_needed")
    if data.get("quality") not in Quality.values:
        raise NetworkRefusal(_("Choose how the relationship is."), field="quality", code="quality_needed")
    person = MapPerson(
        version=latest_version(personal_map),
        name=name,
        sector=data["sector"],
        circle=circle,
        support=str(data.get("support") or "").strip(),
        quality=data["quality"],
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def map_person_remove(*, actor: User, person: MapPerson) -> None:
    _check_decision(permissions.can_edit_map(actor, person.version.map))
    if person.version_id != latest_version(person.version.map).pk:
        raise Conflict(_("An earlier version is kept as it was."), code="old_version")
    person.delete()


@transaction.atomic
def map_version_new(*, actor: User, personal_map: PersonalMap, note: str = "", on: dt.date | None = None) -> MapVersion:
    """A new version for today, starting from the latest one (the earlier stays as it was)."""
    _check_decision(permissions.can_edit_map(actor, personal_map))
    on = on or timezone.localdate()
    previous = latest_version(personal_map)
    if on < previous.made_on:
        raise NetworkRefusal(_("A new version cannot be older than the latest one."), field="made_on", code="older")
    version = MapVersion.objects.create(map=personal_map, made_on=on, note=note.strip()[:300])
    MapPerson.objects.bulk_create(
        [
            MapPerson(
                version=version, name=p.name, sector=p.sector, circle=p.circle, support=p.support, quality=p.quality
            )
            for p in previous.people.all()
        ]
    )
    return version


@transaction.atomic
def map_share(*, actor: User, personal_map: PersonalMap, worker_id: int | None) -> PersonalMap:
    """Share with one of one's own workers, or stop sharing (``None``)."""
    _check_decision(permissions.can_share_map(actor, personal_map))
    if worker_id is not None and not accounts.workers_of(person_id=actor.pk).filter(pk=worker_id).exists():
        raise NetworkRefusal(_("A map can be shared only with your own worker."), field="worker", code="not_worker")
    personal_map.shared_with_id = worker_id
    personal_map.save(update_fields=["shared_with", "updated_at"])
    events.record(actor=actor, verb="networks.map.share", target=personal_map, data={"shared": worker_id is not None})
    return personal_map
