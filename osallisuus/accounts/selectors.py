"""Reads about people, organisations and roles. Gates log every read of personal data."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from osallisuus.core.access import Action, gate, log_access

from .models import Membership, Organisation, Relationship, Role, User


def person_get_for_view(*, actor: User, person_id: object, purpose: str, route: str = "") -> User:
    """The gate for a person's basic data (name, contact details, memberships).

    Missing and forbidden give the same 404; a read of someone else's data is logged.
    """
    visible = actor.permissions.people_visible().prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation").prefetch_related("roles"))
    )
    return gate(visible, pk=person_id, actor=actor, purpose=purpose, subject_of=lambda p: p.pk, route=route)


def people_list(*, actor: User, query: str = "") -> QuerySet[User]:
    """The people the actor may see, filtered by a name or e-mail fragment."""
    qs = actor.permissions.people_visible().exclude(pk=actor.pk)
    if query:
        from django.db.models import Q

        qs = qs.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    return qs.order_by("full_name", "pk")


def people_log_listing(*, actor: User, people: list[User], purpose: str, route: str = "") -> None:
    """Log that the actor saw these people's names in a list (one row per person)."""
    from osallisuus.core.models import AccessLogEntry

    if not any(p.pk != actor.pk for p in people):
        return
    # Computed once: one query however many people the page lists.
    organisations = ", ".join(sorted(set(actor.memberships.values_list("organisation__name", flat=True))))[:200]
    rows = [
        AccessLogEntry(
            actor=actor,
            actor_label=str(actor)[:200],
            actor_organisation=organisations,
            subject_id=p.pk,
            object_type="accounts.user",
            object_id=str(p.pk),
            action=Action.LIST,
            purpose=purpose,
            route=route[:200],
        )
        for p in people
        if p.pk != actor.pk
    ]
    if rows:
        AccessLogEntry.objects.bulk_create(rows)


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(user=user)
        .select_related("organisation")
        .prefetch_related("roles")
        .order_by("organisation__name")
    )


def organisations_all() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("name")


def roles_all() -> QuerySet[Role]:
    return Role.objects.prefetch_related("permissions").order_by("sort_order", "code")


def clients_of(*, worker: User) -> QuerySet[Relationship]:
    return Relationship.objects.current().filter(worker=worker).select_related("person", "organisation")


__all__ = [
    "clients_of",
    "log_access",
    "memberships_of",
    "organisations_all",
    "people_list",
    "people_log_listing",
    "person_get_for_view",
    "roles_all",
]


def inactive_user_ids() -> QuerySet[User, Any]:
    """The ids of deactivated accounts (few; a partial index serves this), for ``NOT IN`` filters."""
    return User.objects.filter(is_active=False).order_by().values("pk")
