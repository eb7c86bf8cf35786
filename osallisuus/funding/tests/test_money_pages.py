"""The money pages as Tiina (the project), Helena (ELY's payer) and Pekka (the city) use them."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from osallisuus.funding.models import Envelope, Loan, Payment, Report
from osallisuus.funding.services import payments as money

from . import money_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return money_world.build(personas)


def _decision_url(decision):
    return reverse("funding:decision_money", args=[decision.pk])


def test_tiina_asks_for_an_advance_over_30_percent__message_beside_the_field_and_typed_amount_kept(world, login):
    client = login(world.personas.applicant)
    page = client.get(_decision_url(world.ely_decision))
    assert page.status_code == 200
    key = page.context["request_form"].initial["idempotency_key"]
    answer = client.post(
        reverse("funding:payment_request", args=[world.ely_decision.pk]),
        {"kind": "advance", "amount": "12 000,01", "idempotency_key": key},
    )
    assert answer.status_code == 400
    form = answer.context["request_form"]
    assert "30 %" in form.errors["amount"][0]
    assert 'value="12 000,01"' in answer.content.decode()
    assert not Payment.objects.exists()


def test_the_same_form_sent_twice__pays_once(world, login):
    client = login(world.personas.applicant)
    data = {"kind": "advance", "amount": "12 000,00", "idempotency_key": "form-key-1"}
    url = reverse("funding:payment_request", args=[world.ely_decision.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Payment.objects.count() == 1
    helena = login(world.personas.funder_officer)
    payment = Payment.objects.get()
    helena.post(reverse("funding:payment_approve", args=[payment.pk]))
    helena.post(reverse("funding:payment_approve", args=[payment.pk]))
    assert Envelope.objects.get(pk=world.ely_envelope.pk).paid == Decimal("12000.00")


def test_lump_sum_journey__report_verify_request_pay(world, login):
    tiina = login(world.personas.applicant)
    data = {"kind": "final", "text": "Hanke on valmis."}
    data.update({f"reached_{o.pk}": str(o.target).replace(".", ",") for o in world.outputs})
    assert tiina.post(reverse("funding:report_submit", args=[world.ely_decision.pk]), data).status_code == 302
    report = Report.objects.get()
    refused = tiina.post(
        reverse("funding:payment_request", args=[world.ely_decision.pk]),
        {"kind": "lump_sum", "amount": "40000", "idempotency_key": "lump-1", "report": report.pk},
    )
    assert refused.status_code == 400
    assert "todennetuista tuotoksista" in refused.context["request_form"].errors["kind"][0]
    helena = login(world.personas.funder_officer)
    for output in world.outputs:
        helena.post(reverse("funding:output_verify", args=[output.pk]), {"decision": world.ely_decision.pk})
    tiina = login(world.personas.applicant)
    sent = tiina.post(
        reverse("funding:payment_request", args=[world.ely_decision.pk]),
        {"kind": "lump_sum", "amount": "40000", "idempotency_key": "lump-2", "report": report.pk},
    )
    assert sent.status_code == 302
    helena = login(world.personas.funder_officer)
    helena.post(reverse("funding:payment_approve", args=[Payment.objects.get().pk]))
    assert Payment.objects.get().status == Payment.Status.PAID


def test_another_ngo_and_the_analyst_get_404_for_the_decisions_money(world, login):
    for persona in ("analyst", "coordinator", "participant"):
        client = login(world.personas[persona])
        assert client.get(_decision_url(world.ely_decision)).status_code == 404


def test_payment_list_exports_xlsx_with_money_format(world, login):
    money.payment_request(
        actor=world.personas.applicant,
        decision=world.ely_decision,
        kind="advance",
        amount=Decimal("1234.56"),
        idempotency_key="x1",
    )
    client = login(world.personas.funder_officer)
    page = client.get(reverse("funding:payments"))
    assert page.status_code == 200
    assert "Pajalta töihin" in page.content.decode()
    other = client.get(reverse("funding:payments") + "?programme=999999")  # not one of hers: the filter is left out
    assert "Pajalta töihin" in other.content.decode()
    mine = client.get(reverse("funding:payments") + f"?programme={world.programme.pk}&status=paid")
    assert "Pajalta töihin" not in mine.content.decode()  # requested, not paid
    answer = client.get(reverse("funding:payments_xlsx") + f"?programme={world.programme.pk}")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    row = [c.value for c in sheet[2]]
    assert row[2] == "Pajalta töihin"
    assert Decimal(str(row[9])) == Decimal("1234.56")
    assert "€" in sheet.cell(row=2, column=10).number_format
    assert (
        "# ##0" in sheet.cell(row=2, column=10).number_format or "#,##0" in sheet.cell(row=2, column=10).number_format
    )


def test_loan__pekka_lends_with_a_schedule_tiina_reads_it(world, login):
    pekka = login(world.personas.civic_unit)
    url = reverse("funding:loan_create", args=[world.city_decision.pk])
    wrong = pekka.post(
        url, {"amount": "6 000", "granted_on": "2027-02-01", "schedule": "1.6.2027 3 000\n1.12.2027 2 000"}
    )
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["schedule"]
    assert not Loan.objects.exists()
    ok = pekka.post(url, {"amount": "6 000", "granted_on": "2027-02-01", "schedule": "1.6.2027 3 000\n1.12.2027 3 000"})
    assert ok.status_code == 302
    loan = Loan.objects.get()
    first = loan.instalments.order_by("due_on").first()
    assert first is not None
    pekka.post(reverse("funding:instalment_repaid", args=[first.pk]), {"repaid_on": "2027-06-01"})
    assert money.loan_balance(loan) == Decimal("3000")
    tiina = login(world.personas.applicant)
    page = tiina.get(reverse("funding:loan", args=[loan.pk]))
    assert page.status_code == 200
    assert "/repaid/" not in page.content.decode()  # read only for the borrower
    second = loan.instalments.order_by("due_on").last()
    assert (
        tiina.post(reverse("funding:instalment_repaid", args=[second.pk]), {"repaid_on": "2027-12-01"}).status_code
        == 302
    )
    assert money.loan_balance(loan) == Decimal("3000")  # only the lender records repayments
    helena = login(world.personas.funder_officer)
    assert helena.get(reverse("funding:loan", args=[loan.pk])).status_code == 404
    assert helena.get(reverse("funding:loan_create", args=[world.ely_decision.pk])).status_code == 404
