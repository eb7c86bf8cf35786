"""The funding demo loads, and Helena, Pekka, Tiina and Olli each find their own work on the front page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from osallisuus.core.demo import DemoContext, load_all
from osallisuus.funding import selectors
from osallisuus.funding.models import Application, Envelope, Loan, Payment, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return load_all(DemoContext(), only={"accounts", "funding"})


def test_the_demo_has_the_three_calls_both_decisions_money_and_an_internal_call(demo):
    programme = Programme.objects.get(name="Järvilahden kumppanuusrahoitus 2027")
    assert programme.calls.count() == 3
    decided = Application.objects.filter(call__programme=programme, status="decided")
    assert decided.count() == 2
    assert all(a.decisions.count() == 2 for a in decided)
    assert Payment.objects.filter(kind="advance", status="paid").exists()
    assert Payment.objects.filter(kind="lump_sum", status="requested").exists()
    assert Loan.objects.get().instalments.count() == 3
    assert Programme.objects.filter(model="internal", parent=programme).exists()
    for envelope in Envelope.objects.all():
        assert envelope.decided == sum(d.amount for d in envelope.decisions.all())


def test_each_persona_sees_their_work(demo, client, login):
    users = demo.users
    assert selectors.to_review(users["funder_officer"]).count() == 3  # two in review, one internal call
    assert selectors.to_decide(users["funder_officer"]).count() >= 2
    assert selectors.to_review(users["civic_unit"]).count() == 1  # Pekka has reviewed one
    assert selectors.funded_projects(users["steering_group"]).count() == 2
    login(users["applicant"])
    page = client.get(reverse("core:home")).content.decode()
    assert "1 funding application is a draft" in page or "1 rahoitushakemus on luonnos" in page
    login(users["funder_officer"])
    page = client.get(reverse("core:home")).content.decode()
    assert "funding applications to review" in page or "rahoitushakemusta arvioitavana" in page
    assert client.get(reverse("funding:home")).status_code == 200
    login(users["steering_group"])
    assert client.get(reverse("funding:home")).status_code == 200
