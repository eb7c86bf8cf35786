"""Writes for accounts: users, memberships and working relationships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from osallisuus.core import events

from . import login_hooks
from .login_hooks import LoginHooks as LoginHooks
from .login_hooks import LoginSection as LoginSection
from .models import Membership, Organisation, Relationship, Role, User


def login_hooks_register(hooks: LoginHooks) -> None:
    """Another way to log in (``accounts.login_hooks``): an app calls this from ``AppConfig.ready``."""
    login_hooks.register(hooks)


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
    events.record(actor=actor, verb="accounts.user.created", target=user, subject=user)
    return user


@transaction.atomic
def user_get_or_create(*, email: str, full_name: str, actor: User | None = None, **extra: Any) -> tuple[User, bool]:
    """The account with this e-mail (in any letter case), or a new one without a password.

    Returns the user and whether it was created. A new person chooses their own password
    through ``password_set_path``.
    """
    normalised = User.objects.normalize_email(email.strip()).lower()
    existing = User.objects.filter(email__iexact=normalised).first()
    if existing is not None:
        return existing, False
    return user_create(email=normalised, full_name=full_name, actor=actor, **extra), True


@transaction.atomic
def members_create(
    *, organisation: Organisation, role: str, people: Iterable[dict[str, Any]], actor: User | None = None
) -> list[User]:
    """Many new people at once (an import, demo data), each a member of ``organisation`` with
    ``role`` and without a password (they choose their own through ``password_set_path``).
    ``people`` are the fields of each ``User`` (``email``, ``full_name``, ``municipality``...).
    Three inserts and one event however many people there are."""
    role_obj = Role.objects.get(code=role)
    users = []
    for fields in people:
        user = User(**{**fields, "email": User.objects.normalize_email(str(fields["email"])).lower()})
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    memberships = Membership.objects.bulk_create(Membership(user=u, organisation=organisation) for u in users)
    Membership.roles.through.objects.bulk_create(
        Membership.roles.through(membership_id=m.pk, role_id=role_obj.pk) for m in memberships
    )
    events.record(
        actor=actor, verb="accounts.user.imported", target=organisation, data={"count": len(users), "role": role}
    )
    return users


@transaction.atomic
def user_details_update(
    *, user: User, full_name: str | None = None, email: str | None = None, actor: User | None = None
) -> list[str]:
    """Change a person's name or e-mail (e.g. from an identity provider's claims). An e-mail that
    another account already has is left as it was. Returns the fields that changed."""
    changed = []
    if full_name is not None and full_name.strip() and full_name.strip() != user.full_name:
        user.full_name = full_name.strip()[:200]
        changed.append("full_name")
    if email is not None and email.strip():
        normalised = User.objects.normalize_email(email.strip()).lower()
        taken = User.objects.filter(email__iexact=normalised).exclude(pk=user.pk).exists()
        if normalised != user.email and not taken:
            user.email = normalised
            changed.append("email")
    if changed:
        user.full_clean()
        user.save(update_fields=changed)
        events.record(
            actor=actor, verb="accounts.user.details_updated", target=user, subject=user, data={"fields": changed}
        )
    return changed


def password_set_path(*, user: User) -> str:
    """The path of the page where the person chooses their own password.

    Django's password-reset token: it stops working when the password has been set, when the
    person logs in, and after ``PASSWORD_RESET_TIMEOUT``. Send it to the person only.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_set", kwargs={"uidb64": uid, "token": token})


def password_set_link_days() -> int:
    """How many days a link from ``password_set_path`` works."""
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // 86400)


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
        actor=actor, verb="accounts.membership.roles_granted", target=membership, subject=user, data={"roles": codes}
    )
    return membership


@transaction.atomic
def relationship_start(
    *,
    worker: User,
    person: User,
    organisation: Organisation,
    kind: str,
    actor: User | None = None,
    source_ref: str = "",
) -> Relationship:
    """A working relationship from today. ``source_ref`` names what made it (and will end it)."""
    rel = Relationship(
        worker=worker,
        person=person,
        organisation=organisation,
        kind=kind,
        started_on=timezone.localdate(),
        source_ref=source_ref,
    )
    rel.full_clean()
    rel.save()
    events.record(actor=actor, verb="accounts.relationship.started", target=rel, subject=person, data={"kind": kind})
    return rel


@transaction.atomic
def relationships_end_for_source(*, source_ref: str, actor: User | None = None) -> int:
    """End the current relationships that ``source_ref`` made (e.g. ``experts.agreement:12``)."""
    ended = 0
    for relationship in Relationship.objects.current().filter(source_ref=source_ref).select_for_update():
        relationship_end(relationship=relationship, actor=actor)
        ended += 1
    return ended


@transaction.atomic
def relationship_end(*, relationship: Relationship, actor: User | None = None) -> Relationship:
    relationship.ended_on = timezone.localdate()
    relationship.full_clean()
    relationship.save(update_fields=["ended_on", "updated_at"])
    events.record(actor=actor, verb="accounts.relationship.ended", target=relationship, subject=relationship.person)
    return relationship
