"""Data-subject request pages for administrators: find the person, dry run, export, erasure."""

from __future__ import annotations

import json

import pytest

from osallisuus.accounts.models import Membership, User
from osallisuus.core.models import AccessLogEntry

OTHER_ROLES = ["participant", "own_worker", "coordinator", "expert", "partner_worker", "analyst"]


def _detail(person):
    return f"/privacy/requests/{person.pk}/"


def _user_row(person):
    return User.objects.filter(pk=person.pk).values().get()


def test_requests__find_by_name__lists_the_person_and_logs_the_listing(personas, login):
    marjatta, aino = personas.administrator, personas.participant

    response = login(marjatta).get("/privacy/requests/", {"q": "Mäkinen"})

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [aino]
    entry = AccessLogEntry.objects.get(actor=marjatta, subject=aino)
    assert entry.action == "list"
    assert entry.purpose == "data-subject request search"


def test_requests__one_letter_query__gives_400_and_keeps_it(personas, login):
    response = login(personas.administrator).get("/privacy/requests/", {"q": "A"})

    assert response.status_code == 400
    assert response.context["form"].errors["q"]
    assert 'value="A"' in response.content.decode()


def test_request_detail__shows_the_dry_run_and_logs_one_view(personas, login, aino_everywhere):
    marjatta, aino = personas.administrator, aino_everywhere.aino
    before = _user_row(aino)

    response = login(marjatta).get(_detail(aino))

    assert response.status_code == 200
    html = response.content.decode()
    assert "core.accesslogentry" in html
    assert "703/2023" in html
    # Why rows are kept, in the page's language.
    assert "Muutoshistoria säilytetään yhdessä katselulokin kanssa (asiakastietolaki 703/2023)." in html
    assert "Audit trail kept with the access log" not in html
    assert AccessLogEntry.objects.filter(actor=marjatta, subject=aino, action="view").count() == 1
    assert _user_row(aino) == before


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_request_pages__other_roles__get_the_same_404_as_a_missing_person(personas, login, role):
    aino = personas.participant
    client = login(personas[role])
    before = AccessLogEntry.objects.count()
    aino_before = _user_row(aino)

    responses = [
        client.get("/privacy/requests/"),
        client.get(_detail(aino)),
        client.get("/privacy/requests/999999/"),
        client.post(f"/privacy/requests/{aino.pk}/erase/", {"confirm": "on"}),
        client.post(f"/privacy/requests/{aino.pk}/export/"),
    ]

    assert [r.status_code for r in responses] == [403, 404, 404, 404, 404]
    assert AccessLogEntry.objects.count() == before
    assert _user_row(aino) == aino_before


def test_request_detail__missing_person__gives_404(personas, login):
    assert login(personas.administrator).get("/privacy/requests/999999/").status_code == 404


def test_request_erase__without_confirmation__gives_400_and_changes_nothing(personas, login, aino_everywhere):
    aino = aino_everywhere.aino
    before = (_user_row(aino), Membership.objects.filter(user=aino).count())

    response = login(personas.administrator).post(f"/privacy/requests/{aino.pk}/erase/", {})

    assert response.status_code == 400
    assert response.context["form"].errors["confirm"]
    assert (_user_row(aino), Membership.objects.filter(user=aino).count()) == before


def test_request_erase__confirmed__erases_and_redirects(personas, login, aino_everywhere):
    aino = aino_everywhere.aino

    response = login(personas.administrator).post(f"/privacy/requests/{aino.pk}/erase/", {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == _detail(aino)
    aino.refresh_from_db()
    assert aino.erased_at is not None
    assert aino.full_name == ""
    assert not aino.is_active
    assert not Membership.objects.filter(user=aino).exists()


def test_request_erase__own_account__is_refused_with_400(personas, login):
    marjatta = personas.administrator
    client = login(marjatta)
    before = _user_row(marjatta)

    response = client.post(f"/privacy/requests/{marjatta.pk}/erase/", {"confirm": "on"})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert _user_row(marjatta) == before


def test_request_export__downloads_json_and_logs_one_export(personas, login, aino_everywhere):
    marjatta, aino = personas.administrator, aino_everywhere.aino
    before = AccessLogEntry.objects.count()

    response = login(marjatta).post(f"/privacy/requests/{aino.pk}/export/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["models"]["accounts.user"]["rows"][0]["email"] == aino.email
    new = list(AccessLogEntry.objects.order_by("id")[before:])
    assert [(e.actor_id, e.subject_id, e.action) for e in new] == [(marjatta.pk, aino.pk, "export")]


def test_request_export__get__is_not_allowed(personas, login):
    response = login(personas.administrator).get(f"/privacy/requests/{personas.participant.pk}/export/")

    assert response.status_code == 405
