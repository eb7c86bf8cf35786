"""Members."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts import services as accounts_services
from osallisuus.core import events, mail
from osallisuus.core.errors import Conflict
from osallisuus.core.mail import absolute_url

from .. import permissions
from ..models import (
    Invitation,
    MemberKind,
    Network,
    NetworkMembership,
    Role,
    Strength,
    Tie,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User
from .base import INVITATION_DAYS, NetworkRefusal, _check_decision, _coordinate


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
