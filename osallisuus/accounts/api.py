"""People endpoints: the same gates as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from . import selectors

router = Router(tags=["people"])


class MembershipOut(Schema):
    organisation: str
    roles: list[str]


class PersonOut(Schema):
    id: int
    full_name: str
    email: str
    phone: str
    municipality: str
    memberships: list[MembershipOut]


class PersonBrief(Schema):
    id: int
    full_name: str


def _person_out(person) -> PersonOut:  # type: ignore[no-untyped-def]
    return PersonOut(
        id=person.pk,
        full_name=person.full_name,
        email=person.email,
        phone=person.phone,
        municipality=person.municipality,
        memberships=[
            MembershipOut(organisation=m.organisation.name, roles=sorted(r.code for r in m.roles.all()))
            for m in person.memberships.all()
        ],
    )


@router.get("/me", response=PersonOut, url_name="me")
def me(request: HttpRequest) -> PersonOut:
    person = selectors.person_get_for_view(actor=request.auth, person_id=request.auth.pk, purpose="own data")  # type: ignore[attr-defined]
    return _person_out(person)


@router.get("/", response=list[PersonBrief], url_name="people")
def people(request: HttpRequest, q: str = "", limit: int = 50, offset: int = 0) -> list[PersonBrief]:
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    page = list(selectors.people_list(actor=request.auth, query=q[:100])[offset : offset + limit])  # type: ignore[arg-type]
    selectors.people_log_listing(actor=request.auth, people=page, purpose="people list (API)", route=request.path)  # type: ignore[arg-type]
    return [PersonBrief(id=p.pk, full_name=p.full_name) for p in page]


@router.get("/{person_id}", response=PersonOut, url_name="person")
def person(request: HttpRequest, person_id: int) -> PersonOut:
    found = selectors.person_get_for_view(
        actor=request.auth,  # type: ignore[arg-type]
        person_id=person_id,
        purpose="person details (API)",
        route=request.path,
    )
    return _person_out(found)
