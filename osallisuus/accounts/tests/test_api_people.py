"""People endpoints: the same gates, the same 404 and the same access log as the pages."""

from __future__ import annotations

from osallisuus.core.models import AccessLogEntry


def person_url(pk: object) -> str:
    return f"/api/v1/people/{pk}"


def test_api_person__own_client__is_shown_and_logged_once(client, personas, login):
    # Given Ville is Aino's own worker
    login(personas.own_worker)
    # When he reads Aino through the API
    response = client.get(person_url(personas.participant.pk))
    # Then he gets her basic data and exactly one complete access-log row is written
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == personas.participant.pk
    assert body["full_name"] == personas.participant.full_name
    entry = AccessLogEntry.objects.get()
    assert entry.actor_id == personas.own_worker.pk
    assert entry.subject_id == personas.participant.pk
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(personas.participant.pk)
    assert entry.action == AccessLogEntry.Action.VIEW
    assert entry.purpose
    assert entry.route == person_url(personas.participant.pk)
    # And the row never holds the data itself
    row_text = " ".join(str(v) for v in AccessLogEntry.objects.values().get().values())
    assert personas.participant.email not in row_text
    assert personas.participant.phone not in row_text


def test_api_person__forbidden_and_missing__give_the_same_404_and_no_log(client, personas, login):
    # Given Ville, who is not Kaisa's worker
    login(personas.own_worker)
    # When he asks for Kaisa (exists, forbidden) and for an id that does not exist
    forbidden = client.get(person_url(personas.coordinator.pk))
    missing = client.get(person_url(999_999))
    # Then both answers are the same 404 and nothing is logged
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert forbidden.json()["detail"]
    assert not AccessLogEntry.objects.exists()


def test_api_person__participant_asking_for_another_person__is_404(client, personas, login):
    login(personas.participant)
    response = client.get(person_url(personas.participant2.pk))
    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_api_person__own_data_by_id__is_shown_and_not_logged(client, personas, login):
    login(personas.participant)
    response = client.get(person_url(personas.participant.pk))
    assert response.status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_api_me__returns_own_data_with_roles_and_writes_no_log(client, personas, login):
    # Given Kaisa the coordinator
    login(personas.coordinator)
    # When she asks for herself
    response = client.get("/api/v1/people/me")
    # Then she gets her own data and roles, and reading one's own data is not logged
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == personas.coordinator.pk
    assert body["email"] == personas.coordinator.email
    assert any("coordinator" in m["roles"] for m in body["memberships"])
    assert not AccessLogEntry.objects.exists()


def test_api_people__list__returns_only_ids_and_names(client, personas, login):
    # Given Kaisa, who sees the experts of her organisation
    login(personas.coordinator)
    # When she lists people
    response = client.get("/api/v1/people/")
    # Then each row holds the id and the name and nothing else
    assert response.status_code == 200
    rows = response.json()
    assert rows
    assert all(set(row) == {"id", "full_name"} for row in rows)
    assert personas.expert.email not in response.content.decode()


def test_api_people__list__logs_each_listed_person_once(client, personas, login):
    login(personas.coordinator)
    response = client.get("/api/v1/people/")
    listed = {row["id"] for row in response.json()}
    entries = list(AccessLogEntry.objects.all())
    assert sorted(e.subject_id for e in entries) == sorted(listed)
    assert all(e.action == AccessLogEntry.Action.LIST and e.actor_id == personas.coordinator.pk for e in entries)


def test_api_people__list_paging__logs_only_the_page(client, personas, login):
    login(personas.coordinator)
    response = client.get("/api/v1/people/?limit=1&offset=1")
    rows = response.json()
    assert len(rows) == 1
    assert list(AccessLogEntry.objects.values_list("subject_id", flat=True)) == [rows[0]["id"]]


def test_api_people__search__filters_by_name(client, personas, login):
    login(personas.coordinator)
    response = client.get("/api/v1/people/", {"q": "Törmä"})
    assert [row["id"] for row in response.json()] == [personas.expert2.pk]


def test_api_people__participant__sees_nobody_and_nothing_is_logged(client, personas, login):
    login(personas.participant)
    response = client.get("/api/v1/people/")
    assert response.status_code == 200
    assert response.json() == []
    assert not AccessLogEntry.objects.exists()
