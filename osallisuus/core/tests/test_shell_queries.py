"""Every page of the shell issues the same number of queries with 10 and with 1,000 rows."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

_serial = itertools.count()


def _add_rows(personas, n):
    """n more people in Kaisa's organisation, n views of Kaisa's data, n feedback messages."""
    from osallisuus.accounts.models import Membership, Role, User
    from osallisuus.core.models import AccessLogEntry, Feedback

    ngo = personas.organisations["ngo"]
    kaisa = personas.coordinator
    expert = Role.objects.get(code="expert")
    batch = [next(_serial) for _ in range(n)]
    users = User.objects.bulk_create(
        [User(email=f"henkilo{i}@example.fi", full_name=f"Henkilö Järvinen {i:05d}", password="!") for i in batch]
    )
    memberships = Membership.objects.bulk_create([Membership(user=u, organisation=ngo) for u in users])
    Membership.roles.through.objects.bulk_create(
        [Membership.roles.through(membership_id=m.pk, role_id=expert.pk) for m in memberships]
    )
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                actor=u,
                actor_label=u.full_name,
                actor_organisation=ngo.name,
                subject=kaisa,
                object_type="accounts.user",
                object_id=str(kaisa.pk),
                action="view",
                purpose="person details",
            )
            for u in users
        ]
    )
    Feedback.objects.bulk_create(
        [
            Feedback(topic="service", message=f"Palaute {i}", sender=u if i % 2 else None)
            for i, u in zip(batch, users, strict=True)
        ]
    )


PAGES = {
    "home": ("coordinator", "/"),
    "profile": ("coordinator", "/account/"),
    "people list": ("coordinator", "/account/people/"),
    "people list, search": ("coordinator", "/account/people/?q=J%C3%A4rvinen"),
    "people list, last page": ("coordinator", "/account/people/?page=last"),
    "who has seen my data": ("coordinator", "/privacy/who-has-seen-my-data/"),
    "feedback admin": ("administrator", "/manage/feedback/"),
    "feedback admin, all": ("administrator", "/manage/feedback/?show=all"),
}


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_shell_page__same_number_of_queries_with_10_and_1000_rows(client, personas, login, page):
    persona, url = PAGES[page]
    login(personas[persona])
    _add_rows(personas, 10)
    _queries(client, url)  # warm up caches (content types, sessions)

    with_10 = _queries(client, url)
    _add_rows(personas, 990)
    with_1000 = _queries(client, url)

    assert len(with_1000) == len(with_10), "\n".join(with_1000)
