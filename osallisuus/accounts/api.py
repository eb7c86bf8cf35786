"""People endpoints: the same gates and the same access log as the pages.

``/people/{id}`` answers 404 for a missing and a forbidden person alike and logs a
permitted read of someone else. The list returns only ids and names (field
minimisation) and logs every listed person, as the page does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ninja import Path, Query, Router, Schema

from osallisuus.core.api import PageQuery, error_responses
from osallisuus.core.http import ApiRequest

from . import selectors

if TYPE_CHECKING:
    from .models import User

router = Router(tags=["people"])

MAX_ID = 2**63 - 1


class MembershipOut(Schema):
    organisation: str
    roles: list[str]


class PersonOut(Schema):
    """Only the fields your reason to see the person allows (the same rule as the person page):
    the others are ``null``, and memberships only in the organisations that reason covers."""

    id: int
    full_name: str
    email: str | None
    phone: str | None
    municipality: str | None
    memberships: list[MembershipOut] | None


class PersonBrief(Schema):
    id: int
    full_name: str


def _person_out(person: User, actor: User) -> PersonOut:
    view = selectors.person_view_get(actor=actor, person=person)
    own = person.pk == actor.pk
    return PersonOut(
        id=person.pk,
        full_name=person.full_name,
        email=person.email if view.shows_email else None,
        phone=person.phone if view.shows_phone else None,
        municipality=person.municipality if view.shows_municipality else None,
        memberships=[
            MembershipOut(organisation=m.organisation.name, roles=sorted(r.code for r in m.roles.all()))
            for m in person.memberships.all()
            if own or m.organisation_id in view.organisation_ids
        ]
        if view.shows_memberships
        else None,
    )


@router.get("/me", response={200: PersonOut, **error_responses(401)}, url_name="me")
def me(request: ApiRequest) -> PersonOut:
    """Your own basic data. Reading your own data is not logged."""
    actor = request.auth
    return _person_out(selectors.person_get_for_view(actor=actor, person_id=actor.pk, purpose="own data"), actor)


@router.get("/", response={200: list[PersonBrief], **error_responses(401, 422)}, url_name="people")
def people(
    request: ApiRequest,
    page: Query[PageQuery],
    q: str = Query("", max_length=100, description="A part of the name or e-mail address."),
) -> list[PersonBrief]:
    """The people you may see: ids and names only. Each listed person gets an access-log entry."""
    actor = request.auth
    query = q.replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL; a search for it finds nothing anyway
    found = list(selectors.people_list(actor=actor, query=query)[page.offset : page.offset + page.limit])
    selectors.people_log_listing(actor=actor, people=found, purpose="people list (API)", route=request.path)
    return [PersonBrief(id=p.pk, full_name=p.full_name) for p in found]


@router.get("/{person_id}", response={200: PersonOut, **error_responses(401, 404, 422)}, url_name="person")
def person(
    request: ApiRequest, person_id: int = Path(..., ge=1, le=MAX_ID, description="The person's id.")
) -> PersonOut:
    """One person's basic data, if you may see it; 404 otherwise. A read of someone else is logged."""
    actor = request.auth
    found = selectors.person_get_for_view(
        actor=actor,
        person_id=person_id,
        purpose="person details (API)",
        route=request.path,
    )
    return _person_out(found, actor)
