"""Payments, reports, outputs and loans as the funders' officers and the auditors expect them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osallisuus.funding.models import Envelope, FundingRule, LoanInstalment, Output, Payment, Report
from osallisuus.funding.services import payments as money
from osallisuus.funding.services.payments import MoneyError, MoneyForbidden

from . import money_world

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def world(personas):
    with translation.override("en"):
        yield money_world.build(personas)


def _final_report(world, *, reached=True):
    tiina = world.personas.applicant
    figures = {o.pk: o.target for o in world.outputs} if reached else None
    return money.report_submit(
        actor=tiina, application=world.application, kind=Report.Kind.FINAL, text="Valmis.", reached=figures
    )


def _verify_all(world):
    for output in world.outputs:
        money.output_verify(actor=world.personas.funder_officer, output=output)


# -- advance ------------------------------------------------------------------------------------------


def test_advance__up_to_30_percent_of_the_support_is_accepted(world):
    tiina = world.personas.applicant
    payment = money.payment_request(
        actor=tiina, decision=world.ely_decision, kind="advance", amount=D("12000.00"), idempotency_key="a1"
    )
    assert payment.status == Payment.Status.REQUESTED
    assert money.advance_cap(world.ely_decision, timezone.localdate()) == D("12000.00")


def test_advance__over_30_percent_is_refused_with_the_most_that_can_be_asked(world):
    tiina = world.personas.applicant
    money.payment_request(
        actor=tiina, decision=world.ely_decision, kind="advance", amount=D("10000.00"), idempotency_key="a1"
    )
    with pytest.raises(MoneyError) as refused:
        money.payment_request(
            actor=tiina, decision=world.ely_decision, kind="advance", amount=D("2000.01"), idempotency_key="a2"
        )
    assert refused.value.field == "amount"
    assert "30 %" in refused.value.message
    assert "€2,000.00" in refused.value.message
    assert Payment.objects.count() == 1


def test_advance__the_share_comes_from_the_rule_in_force_on_the_day(world):
    FundingRule.objects.create(
        kind=FundingRule.Kind.ADVANCE_MAX_PERCENT, value=D("20"), valid_from=dt.date(2030, 1, 1), source="Uusi laki"
    )
    assert money.advance_cap(world.ely_decision, dt.date(2029, 12, 31)) == D("12000.00")
    assert money.advance_cap(world.ely_decision, dt.date(2030, 1, 1)) == D("8000.00")


def test_advance__a_rejected_advance_does_not_count(world):
    tiina, helena = world.personas.applicant, world.personas.funder_officer
    first = money.payment_request(
        actor=tiina, decision=world.ely_decision, kind="advance", amount=D("12000.00"), idempotency_key="a1"
    )
    money.payment_reject(actor=helena, payment=first, note="Väärä tili")
    again = money.payment_request(
        actor=tiina, decision=world.ely_decision, kind="advance", amount=D("12000.00"), idempotency_key="a2"
    )
    assert again.pk != first.pk


def test_request__only_the_project_may_ask_and_never_more_than_the_decision(world):
    with pytest.raises(MoneyForbidden):
        money.payment_request(
            actor=world.personas.analyst,
            decision=world.ely_decision,
            kind="advance",
            amount=D("100"),
            idempotency_key="x",
        )
    report = money.report_submit(
        actor=world.personas.applicant, application=world.application, kind=Report.Kind.INTERIM, text="Puolivälissä"
    )
    world.application.lump_sum = False
    world.application.save()
    with pytest.raises(MoneyError) as refused:
        money.payment_request(
            actor=world.personas.applicant,
            decision=world.ely_decision,
            kind="instalment",
            amount=D("40000.01"),
            idempotency_key="y",
            report=report,
        )
    assert refused.value.field == "amount"


def test_instalment__needs_a_report_and_a_project_without_lump_sum(world):
    tiina = world.personas.applicant
    with pytest.raises(MoneyError) as refused:
        money.payment_request(
            actor=tiina, decision=world.ely_decision, kind="instalment", amount=D("100"), idempotency_key="i1"
        )
    assert refused.value.field == "kind"
    world.application.lump_sum = False
    world.application.save()
    with pytest.raises(MoneyError) as refused:
        money.payment_request(
            actor=tiina, decision=world.ely_decision, kind="instalment", amount=D("100"), idempotency_key="i1"
        )
    assert refused.value.field == "report"
    report = money.report_submit(
        actor=tiina, application=world.application, kind=Report.Kind.INTERIM, text="Väliraportti"
    )
    payment = money.payment_request(
        actor=tiina,
        decision=world.ely_decision,
        kind="instalment",
        amount=D("100"),
        idempotency_key="i1",
        report=report,
    )
    assert payment.report == report


# -- lump sum on output ---------------------------------------------------------------------------------


def test_lump_sum__refused_before_every_output_is_verified(world):
    report = _final_report(world)
    money.output_verify(actor=world.personas.funder_officer, output=world.outputs[0])
    with pytest.raises(MoneyError) as refused:
        money.payment_request(
            actor=world.personas.applicant,
            decision=world.ely_decision,
            kind="lump_sum",
            amount=D("40000.00"),
            idempotency_key="l1",
            report=report,
        )
    assert "Pajailtoja" in refused.value.message
    assert not Payment.objects.exists()


def test_lump_sum__refused_before_the_project_has_ended(personas):
    with translation.override("en"):
        world = money_world.build(personas, ends_on=timezone.localdate() + dt.timedelta(days=30))
        report = _final_report(world)
        _verify_all(world)
        with pytest.raises(MoneyError) as refused:
            money.payment_request(
                actor=personas.applicant,
                decision=world.ely_decision,
                kind="lump_sum",
                amount=D("40000.00"),
                idempotency_key="l1",
                report=report,
            )
    assert "after the project has ended" in refused.value.message


def test_lump_sum__needs_the_final_report(world):
    _final_report(world)
    _verify_all(world)
    with pytest.raises(MoneyError) as refused:
        money.payment_request(
            actor=world.personas.applicant,
            decision=world.ely_decision,
            kind="lump_sum",
            amount=D("40000.00"),
            idempotency_key="l1",
        )
    assert refused.value.field == "report"


def test_lump_sum__paid_on_verified_outputs_after_the_end_and_the_envelope_shows_it(world):
    report = _final_report(world)
    _verify_all(world)
    payment = money.payment_request(
        actor=world.personas.applicant,
        decision=world.ely_decision,
        kind="lump_sum",
        amount=D("40000.00"),
        idempotency_key="l1",
        report=report,
    )
    money.payment_approve(actor=world.personas.funder_officer, payment=payment)
    envelope = Envelope.objects.get(pk=world.ely_envelope.pk)
    assert envelope.paid == D("40000.00")
    assert envelope.paid <= envelope.decided
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert payment.paid_by == world.personas.funder_officer


def test_output__a_changed_figure_needs_verifying_again(world):
    _final_report(world)
    _verify_all(world)
    money.report_submit(
        actor=world.personas.applicant,
        application=world.application,
        kind=Report.Kind.FINAL,
        text="Korjattu",
        reached={world.outputs[0].pk: D("13")},
    )
    changed = Output.objects.get(pk=world.outputs[0].pk)
    assert changed.verified_at is None
    assert Output.objects.get(pk=world.outputs[1].pk).verified_at is not None


def test_output__below_target_is_not_verified_and_only_a_funders_payer_verifies(world):
    money.report_submit(
        actor=world.personas.applicant,
        application=world.application,
        kind=Report.Kind.FINAL,
        text="Vajaa",
        reached={world.outputs[0].pk: D("11")},
    )
    with pytest.raises(MoneyForbidden):
        money.output_verify(actor=world.personas.analyst, output=world.outputs[0])
    with pytest.raises(MoneyError) as refused:
        money.output_verify(actor=world.personas.funder_officer, output=world.outputs[0])
    assert "below the target" in refused.value.message
    with pytest.raises(MoneyError):
        money.output_verify(actor=world.personas.funder_officer, output=world.outputs[1])


# -- paying and idempotency ------------------------------------------------------------------------------


def test_same_idempotency_key__pays_once(world):
    tiina, helena = world.personas.applicant, world.personas.funder_officer
    first = money.payment_request(
        actor=tiina, decision=world.ely_decision, kind="advance", amount=D("5000"), idempotency_key="same"
    )
    again = money.payment_request(
        actor=tiina, decision=world.ely_decision, kind="advance", amount=D("5000"), idempotency_key="same"
    )
    assert again.pk == first.pk
    money.payment_approve(actor=helena, payment=first)
    money.payment_approve(actor=helena, payment=again)
    assert Payment.objects.count() == 1
    assert Envelope.objects.get(pk=world.ely_envelope.pk).paid == D("5000.00")


def test_same_key_for_another_decision__is_refused(world):
    tiina = world.personas.applicant
    money.payment_request(
        actor=tiina, decision=world.ely_decision, kind="advance", amount=D("5000"), idempotency_key="same"
    )
    with pytest.raises(MoneyError):
        money.payment_request(
            actor=tiina, decision=world.city_decision, kind="advance", amount=D("500"), idempotency_key="same"
        )


def test_approve__only_the_funders_own_payer(world):
    payment = money.payment_request(
        actor=world.personas.applicant,
        decision=world.ely_decision,
        kind="advance",
        amount=D("5000"),
        idempotency_key="k",
    )
    with pytest.raises(MoneyForbidden):
        money.payment_approve(actor=world.personas.civic_unit, payment=payment)  # the city pays its own share only
    assert Envelope.objects.get(pk=world.ely_envelope.pk).paid == 0


def test_database__refuses_paid_over_decided(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Envelope.objects.filter(pk=world.ely_envelope.pk).update(paid=world.ely_envelope.decided + 1)


# -- the loan ---------------------------------------------------------------------------------------------


def test_loan__schedule_must_add_up_and_balance_falls_with_repayments(world):
    pekka = world.personas.civic_unit
    city = world.personas.organisations["city"]
    with pytest.raises(MoneyError) as refused:
        money.loan_grant(
            actor=pekka,
            application=world.application,
            lender=city,
            amount=D("6000"),
            granted_on=dt.date(2027, 2, 1),
            schedule=[(dt.date(2027, 6, 1), D("3000")), (dt.date(2027, 12, 1), D("2999.99"))],
        )
    assert refused.value.field == "schedule"
    loan = money.loan_grant(
        actor=pekka,
        application=world.application,
        lender=city,
        amount=D("6000"),
        granted_on=dt.date(2027, 2, 1),
        schedule=[(dt.date(2027, 6, 1), D("3000")), (dt.date(2027, 12, 1), D("3000"))],
    )
    assert money.loan_balance(loan) == D("6000")
    first = loan.instalments.order_by("due_on").first()
    assert first is not None
    money.instalment_repaid(actor=pekka, instalment=first, repaid_on=dt.date(2027, 6, 1))
    assert money.loan_balance(loan) == D("3000")
    with pytest.raises(MoneyError):
        money.instalment_repaid(actor=pekka, instalment=first, repaid_on=dt.date(2027, 6, 2))


def test_loan__only_the_lenders_payer_grants(world):
    with pytest.raises(MoneyForbidden):
        money.loan_grant(
            actor=world.personas.funder_officer,
            application=world.application,
            lender=world.personas.organisations["city"],
            amount=D("100"),
            granted_on=dt.date(2027, 2, 1),
            schedule=[(dt.date(2027, 3, 1), D("100"))],
        )


# -- properties -----------------------------------------------------------------------------------------

cents = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c) / 100)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["advance", "pay"]), cents), min_size=1, max_size=8))
def test_property__envelope_arithmetic_and_advance_limit_hold_for_any_sequence(world, steps):
    tiina, helena = world.personas.applicant, world.personas.funder_officer
    today = timezone.localdate()
    with transaction.atomic():
        for i, (step, amount) in enumerate(steps):
            try:
                payment = money.payment_request(
                    actor=tiina, decision=world.ely_decision, kind="advance", amount=amount, idempotency_key=f"p{i}"
                )
                if step == "pay":
                    money.payment_approve(actor=helena, payment=payment)
            except MoneyError:
                pass
            envelope = Envelope.objects.get(pk=world.ely_envelope.pk)
            assert envelope.decided + envelope.remaining == envelope.cap
            assert D(0) <= envelope.paid <= envelope.decided
            advances = sum(
                (p.amount for p in Payment.objects.filter(decision=world.ely_decision).exclude(status="rejected")),
                D(0),
            )
            assert advances <= money.advance_cap(world.ely_decision, today)
        transaction.set_rollback(True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(cents, min_size=1, max_size=6), st.lists(st.booleans(), min_size=6, max_size=6))
def test_property__loan_balance_is_amount_less_repaid(world, parts, repaid):
    pekka = world.personas.civic_unit
    with transaction.atomic():
        loan = money.loan_grant(
            actor=pekka,
            application=world.application,
            lender=world.personas.organisations["city"],
            amount=sum(parts, D(0)),
            granted_on=dt.date(2027, 1, 1),
            schedule=[(dt.date(2027, 1 + i, 1), part) for i, part in enumerate(parts)],
        )
        rows = list(LoanInstalment.objects.filter(loan=loan).order_by("due_on"))
        assert sum((r.amount for r in rows), D(0)) == loan.amount
        for row, flag in zip(rows, repaid, strict=False):
            if flag:
                money.instalment_repaid(actor=pekka, instalment=row, repaid_on=row.due_on)
        expected = loan.amount - sum((r.amount for r, f in zip(rows, repaid, strict=False) if f), D(0))
        assert money.loan_balance(loan) == expected
        assert D(0) <= money.loan_balance(loan) <= loan.amount
        transaction.set_rollback(True)
