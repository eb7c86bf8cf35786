"""Reads about people, organisations and roles. Gates log every read of personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from osallisuus.core.access import gate, log_listing
from osallisuus.core.collation import finnish, search_filter
from osallisuus.core.errors import Forbidden, Refusal

from .models import Membership, Organisation, Relationship, Role, User
from .permissions import PersonView, people_listed_for, people_visible_to, person_view


def person_get_for_view(*, actor: User, person_id: object, purpose: str, route: str = "") -> User:
    """The gate for a person's basic data (name, contact details, memberships).

    Missing and forbidden give the same 404; a read of someone else's data is logged. What the
    page may show of the person is ``person_view_get``.
    """
    visible = people_visible_to(actor).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation").prefetch_related("roles"))
    )
    return gate(visible, pk=person_id, actor=actor, purpose=purpose, subject_of=lambda p: p.pk, route=route)


def person_view_get(*, actor: User, person: User) -> PersonView:
    """Which fields of the person page the actor may see (each relationship's and the person's
    consent rule, ``accounts.permissions.person_view``)."""
    return person_view(actor, person)


def people_list(*, actor: User, query: str = "") -> QuerySet[User]:
    """The people the actor's list shows (the organisation's people, or their own clients),
    filtered by every word of ``query`` in the name or e-mail, in Finnish alphabetical order."""
    qs = people_listed_for(actor)
    if query:
        qs = qs.filter(search_filter(query, ["full_name", "email"]))
    return qs.order_by(finnish("full_name"), "pk")


def people_log_listing(*, actor: User, people: list[User], purpose: str, route: str = "") -> None:
    """Log that the actor saw these people's names in a list (one row per person, one insert)."""
    log_listing(actor=actor, rows=people, subject_of=lambda p: p.pk, purpose=purpose, route=route)


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


def clients_of(*, worker: User, kind: str = Relationship.Kind.OWN_WORKER) -> QuerySet[Relationship]:
    """The worker's current relationships of one kind (own worker and client by default)."""
    return Relationship.objects.current().filter(worker=worker, kind=kind).select_related("person", "organisation")


def client_ids_of(
    *, worker: User, kind: str = Relationship.Kind.OWN_WORKER, organisation_ids: Iterable[int] | None = None
) -> QuerySet[Relationship, Any]:
    """The ids of the worker's current clients, for ``pk__in`` filters; with ``organisation_ids``,
    only the relationships kept in those organisations (e.g. where the worker holds a permission)."""
    qs = Relationship.objects.current().filter(worker=worker, kind=kind)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    return qs.values("person_id")


def has_relationship(
    *,
    worker: User,
    person_id: int,
    kind: str = Relationship.Kind.OWN_WORKER,
    organisation_ids: Iterable[int] | None = None,
) -> bool:
    """Is ``worker`` now in a relationship of ``kind`` with the person (in one of ``organisation_ids``)?"""
    qs = Relationship.objects.current().filter(worker=worker, person_id=person_id, kind=kind)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    return qs.exists()


def workers_of(*, person_id: int, kind: str = Relationship.Kind.OWN_WORKER) -> QuerySet[User]:
    """The person's current workers in relationships of one kind (own workers by default), in
    Finnish order: e.g. whom a person may share their own answers with."""
    worker_ids = Relationship.objects.current().filter(person_id=person_id, kind=kind).values("worker_id")
    return User.objects.filter(pk__in=worker_ids, is_active=True).order_by(finnish("full_name"), "pk")


def own_worker_of(*, person_id: int, organisation_id: int | None = None) -> User | None:
    """The person's current own worker (the most recent one), or ``None``."""
    qs = Relationship.objects.current().filter(person_id=person_id, kind=Relationship.Kind.OWN_WORKER)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    rel = qs.select_related("worker").order_by("-started_on", "-pk").first()
    return rel.worker if rel else None


# -- organisations and who acts for them ---------------------------------------------------------
def organisation_get(*, pk: object) -> Organisation:
    """An active organisation by id (``Organisation.DoesNotExist`` otherwise)."""
    return Organisation.objects.get(pk=str(pk), is_active=True)


def organisations_by_ids(*, ids: set[int] | list[int]) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=list(ids), is_active=True).order_by(finnish("name"), "pk")


def organisations_acting_for(*, user: User, permission: str) -> QuerySet[Organisation]:
    """The organisations the user may act for with ``permission``, in Finnish order."""
    return organisations_by_ids(ids=user.permissions.organisations_with(permission))


def acting_organisation(*, user: User, permission: str, chosen: object = None) -> Organisation:
    """The one organisation the user acts for, for pages and the API alike.

    With one organisation that grants ``permission``, that one. With several, the person
    chooses (the page shows a choice, the API takes ``organisation_id``): ``chosen`` must be
    one of them. Refusals name the field ``organisation``.
    """
    orgs = list(organisations_acting_for(user=user, permission=permission))
    if not orgs:
        raise Forbidden(_("You do not act for an organisation that may do this."), field="organisation")
    if chosen in (None, ""):
        if len(orgs) == 1:
            return orgs[0]
        raise Refusal(_("Choose the organisation you act for."), field="organisation", code="choose_organisation")
    chosen_id = chosen.pk if isinstance(chosen, Organisation) else chosen
    for org in orgs:
        if str(org.pk) == str(chosen_id):
            return org
    raise Refusal(_("You cannot act for that organisation here."), field="organisation", code="not_your_organisation")


def members_with_permission(*, organisation: Organisation | int, permission: str) -> QuerySet[User]:
    """The active people who hold ``permission`` in the organisation now (roles are data)."""
    org_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    member_ids = (
        Membership.objects.current()
        .filter(organisation_id=org_id, roles__permissions__code=permission)
        .values("user_id")
    )
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by(finnish("full_name"), "pk")


def members_with_permission_in(*, organisation_ids: set[int] | list[int], permission: str) -> QuerySet[User]:
    """The same across several organisations (e.g. whom an orderer may name as the partner)."""
    member_ids = (
        Membership.objects.current()
        .filter(organisation_id__in=list(organisation_ids), roles__permissions__code=permission)
        .values("user_id")
    )
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by(finnish("full_name"), "pk")


def user_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def users_by_ids(*, ids: set[int] | list[int]) -> dict[int, User]:
    return {u.pk: u for u in User.objects.filter(pk__in=list(ids))}


def users_in(*, ids: set[int] | list[int]) -> QuerySet[User]:
    """The accounts with these ids as a queryset, for a list that sorts and pages in SQL."""
    return User.objects.filter(pk__in=list(ids))


def inactive_user_ids() -> QuerySet[User, Any]:
    """The ids of deactivated accounts (few; a partial index serves this), for ``NOT IN`` filters."""
    return User.objects.filter(is_active=False).order_by().values("pk")
