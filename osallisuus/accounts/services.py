"""Writes for accounts: users, memberships and working relationships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from osallisuus.core import events

from .models import Membership, Organisation, Relationship, Role, User


@transaction.atomic
def user_create(
    *, email: str, full_name: str, password: str | None = None, actor: User | None = None, **extra: object
) -> User:
    user = User(email=User.objects.normalize_email(email).lower(), full_name=full_name, **extra)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    events.record(actor=actor, verb="user.created", target=user, subject=user)
    return user


@transaction.atomic
def membership_grant(
    *,
    user: User,
    organisation: Organisation,
    roles: Iterable[str],
    actor: User | None = None,
    title: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> Membership:
    """Give a person roles in an organisation (adds to the roles they already hold there)."""
    membership, _created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        defaults={"title": title, "valid_from": valid_from, "valid_until": valid_until},
    )
    codes = sorted(set(roles))
    role_objs = list(Role.objects.filter(code__in=codes))
    missing = set(codes) - {r.code for r in role_objs}
    if missing:
        raise ValueError(f"Unknown roles: {', '.join(sorted(missing))}")
    membership.roles.add(*role_objs)
    user.permissions.reset()
    events.record(
        actor=actor, verb="membership.roles_granted", target=membership, subject=user, data={"roles": codes}
    )
    return membership


@transaction.atomic
def relationship_start(
    *, worker: User, person: User, organisation: Organisation, kind: str, actor: User | None = None
) -> Relationship:
    rel = Relationship(
        worker=worker, person=person, organisation=organisation, kind=kind, started_on=timezone.localdate()
    )
    rel.full_clean()
    rel.save()
    events.record(actor=actor, verb="relationship.started", target=rel, subject=person, data={"kind": kind})
    return rel


@transaction.atomic
def relationship_end(*, relationship: Relationship, actor: User | None = None) -> Relationship:
    relationship.ended_on = timezone.localdate()
    relationship.full_clean()
    relationship.save(update_fields=["ended_on", "updated_at"])
    events.record(actor=actor, verb="relationship.ended", target=relationship, subject=relationship.person)
    return relationship
