"""``Idempotency-Key``: the same key twice gives the first answer again and writes nothing a
second time, also when the two requests arrive at once (PostgreSQL, threads)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.utils import timezone

from osallisuus.accounts.api_auth import token_issue
from osallisuus.activation import services as activation_services
from osallisuus.activation.models import SignUp
from osallisuus.core import schedule
from osallisuus.core.idempotency import idempotency_cleanup
from osallisuus.core.models import IdempotencyKey
from osallisuus.experts import services as experts_services
from osallisuus.experts.models import Agreement
from osallisuus.experts.tests.factories import build_world


def _activity(personas, capacity=5):
    data = {"title": "Paja", "summary": "s", "baskets": ["doing"], "area": "Keskusta", "schedule": "ti"}
    return activation_services.activity_create(
        provider=personas.organisations["ngo2"],
        actor=personas.activity_provider,
        data={**data, "capacity": capacity},
    )


def _bearer(user) -> dict[str, str]:
    _token, raw = token_issue(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _sign_up(client, activity, auth, key=None, query=""):
    headers = {**auth, **({"HTTP_IDEMPOTENCY_KEY": key} if key else {})}
    return client.post(f"/api/v1/activation/activities/{activity.pk}/sign-up{query}", **headers)


@pytest.mark.django_db
def test_same_key_twice__gives_the_first_answer_and_one_sign_up(personas):
    activity = _activity(personas)
    auth = _bearer(personas.participant)
    first = _sign_up(Client(), activity, auth, key="k-1")
    again = _sign_up(Client(), activity, auth, key="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert SignUp.objects.filter(activity=activity, participant=personas.participant).count() == 1
    record = IdempotencyKey.objects.get(user=personas.participant, key="k-1")
    assert record.status_code == 201
    assert record.response_body == first.json()
    assert len(record.response_hash) == 64


@pytest.mark.django_db
def test_without_a_key__a_second_sign_up_is_refused_as_before(personas):
    activity = _activity(personas)
    auth = _bearer(personas.participant)
    assert _sign_up(Client(), activity, auth).status_code == 201
    second = _sign_up(Client(), activity, auth)
    assert second.status_code in {400, 409}
    assert SignUp.objects.filter(activity=activity, participant=personas.participant).count() == 1
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_same_key_with_another_request__is_refused_422_and_writes_nothing(personas):
    activity = _activity(personas)
    auth = _bearer(personas.participant)
    assert _sign_up(Client(), activity, auth, key="k-2").status_code == 201
    other = _sign_up(Client(), activity, auth, key="k-2", query="?join_waiting_list=true")
    # The same path with another query is another request: a client bug, never a silent replay.
    assert other.status_code == 422
    assert other.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert SignUp.objects.filter(activity=activity).count() == 1


@pytest.mark.django_db
def test_the_key_belongs_to_its_user__another_person_with_the_same_key_signs_up_too(personas):
    activity = _activity(personas)
    one = _sign_up(Client(), activity, _bearer(personas.participant), key="same")
    two = _sign_up(Client(), activity, _bearer(personas.participant2), key="same")
    assert one.status_code == two.status_code == 201
    assert one.json()["id"] != two.json()["id"]
    assert SignUp.objects.filter(activity=activity).count() == 2


@pytest.mark.django_db
def test_a_refused_first_try__keeps_no_key__and_the_retry_runs_anew(personas):
    activity = _activity(personas, capacity=1)
    activation_services.signup_create(activity=activity, participant=personas.participant2)
    auth = _bearer(personas.participant)
    full = _sign_up(Client(), activity, auth, key="k-3")
    assert full.status_code == 409
    assert not IdempotencyKey.objects.filter(key="k-3").exists()
    waiting = _sign_up(Client(), activity, auth, key="k-3", query="?join_waiting_list=true")
    assert waiting.status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "has space", "x" * 201, "ääkkönen"])
def test_a_malformed_key__is_refused_422(personas, key):
    activity = _activity(personas)
    response = _sign_up(Client(), activity, _bearer(personas.participant), key=key or " ")
    assert response.status_code == 422
    assert not SignUp.objects.filter(activity=activity).exists()


@pytest.mark.django_db
def test_keys_older_than_a_day__are_removed_by_the_daily_job(personas):
    activity = _activity(personas)
    auth = _bearer(personas.participant)
    assert _sign_up(Client(), activity, auth, key="old").status_code == 201
    assert _sign_up(Client(), _activity(personas), auth, key="new").status_code == 201
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - dt.timedelta(days=2))
    assert idempotency_cleanup.call() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert {j.name for j in schedule.registered()} >= {"core.idempotency_cleanup"}


@pytest.mark.django_db
def test_experts_accept_twice_with_one_key__one_agreement_and_the_same_answer(personas):
    world = build_world(personas)
    request = world.request()
    offer = experts_services.offer_make(actor=personas.coordinator, request=request, experts=[world.eero])[0]
    auth = _bearer(personas.expert)
    url = f"/api/v1/experts/offers/{offer.pk}/accept"
    body = {"volunteer": False}
    first = Client().post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="acc-1", **auth)
    again = Client().post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="acc-1", **auth)
    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json()
    assert Agreement.objects.filter(request=request).count() == 1
    without_key = Client().post(url, body, content_type="application/json", **auth)
    assert without_key.status_code == 400  # the accept itself refuses a second agreement


# -- two at once (PostgreSQL) ---------------------------------------------------------------


@pytest.fixture
def tx_personas(transactional_db, migrated_data):
    from conftest import Personas
    from osallisuus.accounts import demo as accounts_demo
    from osallisuus.core.demo import DemoContext

    ctx = DemoContext()
    accounts_demo.load(ctx)
    return Personas(users=ctx.users, organisations=ctx.organisations)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once__one_write_and_the_same_answer(tx_personas, monkeypatch):
    personas = tx_personas
    activity = _activity(personas)
    auth = _bearer(personas.participant)
    real = activation_services.signup_create

    def slow(**kwargs):
        made = real(**kwargs)
        time.sleep(0.4)  # the first holds its transaction open while the second arrives
        return made

    monkeypatch.setattr(activation_services, "signup_create", slow)
    barrier = threading.Barrier(2)
    answers: list = [None, None]

    def send(i: int) -> None:
        close_old_connections()
        try:
            barrier.wait()
            answers[i] = _sign_up(Client(), activity, auth, key="together")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [201, 201], [a.content for a in answers]
    assert answers[0].json() == answers[1].json()
    assert SignUp.objects.filter(activity=activity, participant=personas.participant).count() == 1
    assert IdempotencyKey.objects.filter(key="together").count() == 1
