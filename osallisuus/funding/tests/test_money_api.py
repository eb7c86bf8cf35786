"""The payment endpoints: the same request sent twice (the Idempotency-Key header, or the request's
own key) pays once; refusals answer with the field; others' decisions are 404."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from osallisuus.funding.models import Envelope, Payment

from . import money_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return money_world.build(personas)


def _post(client, url, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def test_payment_request_sent_twice_with_the_header__one_payment_one_answer(world, login):
    client = login(world.personas.applicant)
    url = f"/api/v1/funding/decisions/{world.ely_decision.pk}/payments"
    body = {"kind": "advance", "amount": "12000.00", "idempotency_key": "api-1"}
    first = _post(client, url, body, key="header-1")
    again = _post(client, url, body, key="header-1")
    assert first.status_code == 201, first.content
    assert again.status_code == 201
    assert first.json() == again.json()
    assert Payment.objects.count() == 1
    # The request's own key alone (a new header) also answers the first payment.
    third = _post(client, url, body, key="header-2")
    assert third.json()["id"] == first.json()["id"]
    assert Payment.objects.count() == 1


def test_advance_over_the_limit__400_with_the_field(world, login):
    client = login(world.personas.applicant)
    url = f"/api/v1/funding/decisions/{world.ely_decision.pk}/payments"
    answer = _post(client, url, {"kind": "advance", "amount": "12000.01", "idempotency_key": "api-2"})
    assert answer.status_code == 400
    assert answer.json()["field"] == "amount"
    assert not Payment.objects.exists()


def test_approve_twice__pays_once_and_others_get_404(world, login):
    tiina = login(world.personas.applicant)
    url = f"/api/v1/funding/decisions/{world.ely_decision.pk}/payments"
    made = _post(tiina, url, {"kind": "advance", "amount": "5000", "idempotency_key": "api-3"}).json()
    assert login(world.personas.coordinator).get(url).status_code == 404
    helena = login(world.personas.funder_officer)
    approve = f"/api/v1/funding/payments/{made['id']}/approve"
    assert _post(helena, approve, {}, key="pay-1").status_code == 200
    assert _post(helena, approve, {}, key="pay-2").json()["status"] == "paid"
    assert Envelope.objects.get(pk=world.ely_envelope.pk).paid == Decimal("5000.00")
    listed = helena.get(url).json()
    assert [p["status"] for p in listed] == ["paid"]
