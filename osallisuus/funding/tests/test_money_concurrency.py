"""Payments under concurrency on PostgreSQL: the same request sent twice at once pays once, and
parallel approvals never take an envelope's ``paid`` over its ``decided``."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.utils import translation

from osallisuus.funding.models import Envelope, Payment
from osallisuus.funding.services import payments as money

from . import money_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.usefixtures("migrated_data"),
]


def _run_parallel(calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        close_old_connections()
        try:
            barrier.wait()
            with translation.override("en"):
                results[i] = ("ok", call())
        except money.MoneyError as exc:
            results[i] = ("refused", exc.message)
        except Exception as exc:  # the test fails on any other error
            results[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_submissions_with_one_key_at_once__one_payment(personas):
    world = money_world.build(personas)
    tiina = personas.applicant

    def submit():
        return money.payment_request(
            actor=tiina, decision=world.ely_decision, kind="advance", amount=Decimal("5000"), idempotency_key="twice"
        ).pk

    results = _run_parallel([submit, submit])
    assert [r[0] for r in results] == ["ok", "ok"], results
    assert results[0][1] == results[1][1]
    assert Payment.objects.count() == 1


def test_parallel_approvals__paid_never_over_decided_and_each_paid_once(personas):
    world = money_world.build(personas, ely_amount=Decimal("40000.00"))
    tiina, helena = personas.applicant, personas.funder_officer
    payment = money.payment_request(
        actor=tiina, decision=world.ely_decision, kind="advance", amount=Decimal("12000"), idempotency_key="one"
    )
    results = _run_parallel([lambda: money.payment_approve(actor=helena, payment=payment).status] * 10)
    assert all(r == ("ok", Payment.Status.PAID) for r in results), results
    envelope = Envelope.objects.get(pk=world.ely_envelope.pk)
    assert envelope.paid == Decimal("12000.00")
    assert envelope.paid <= envelope.decided


def test_twenty_parallel_advances__never_over_the_limit_and_the_sums_agree(personas):
    world = money_world.build(personas, ely_amount=Decimal("40000.00"))  # 30 %: 12 000 €
    tiina, helena = personas.applicant, personas.funder_officer

    def ask(i):
        def call():
            payment = money.payment_request(
                actor=tiina,
                decision=world.ely_decision,
                kind="advance",
                amount=Decimal("1000"),
                idempotency_key=f"par-{i}",
            )
            return money.payment_approve(actor=helena, payment=payment).amount

        return call

    results = _run_parallel([ask(i) for i in range(20)])
    assert not [r for r in results if r[0] == "error"], results
    accepted = [r[1] for r in results if r[0] == "ok"]
    assert len(accepted) == 12
    envelope = Envelope.objects.get(pk=world.ely_envelope.pk)
    assert envelope.paid == sum(accepted, Decimal(0)) == Decimal("12000.00")
    assert envelope.paid <= envelope.decided
