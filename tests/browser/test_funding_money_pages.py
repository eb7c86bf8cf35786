"""The money pages of partnership funding in Chromium, Finnish UI, with the keyboard: Tiina asks for an
advance over 30 % and is told beside the amount (what she typed kept), then asks for the right
amount; Helena approves it on the same page. The payment list, the loan, the steering group and its
meeting, and the portfolio report are axe-clean and never wider than a 390 px phone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from .test_funding_journey import assert_accessible, follow, keyboard_log_in, open_page, shoot, type_into

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

__all__ = ["open_page"]


def test_money_pages__advance_refused_then_sent_and_paid_every_page_accessible(open_page: Any, personas: Any) -> None:
    from django.utils import timezone

    from osallisuus.funding.models import Envelope, Payment
    from osallisuus.funding.services import groups
    from osallisuus.funding.services import payments as money
    from osallisuus.funding.tests import money_world

    world = money_world.build(personas)
    money.loan_grant(
        actor=personas.civic_unit,
        application=world.application,
        lender=personas.organisations["city"],
        amount=Decimal("6000"),
        granted_on=dt.date(2027, 2, 1),
        schedule=[(dt.date(2027, 6, 1), Decimal("3000")), (dt.date(2027, 12, 1), Decimal("3000"))],
    )
    steering = groups.steering_group_create(actor=personas.civic_unit, programme=world.programme, name="Ohjausryhmä")
    groups.member_add(
        actor=personas.civic_unit, group=steering, user=personas.funder_officer, organisation=world.ely.organisation
    )
    start = timezone.now() - dt.timedelta(days=1)
    meeting = groups.meeting_create(
        actor=personas.civic_unit, group=steering, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    money_url = f"/funding/decisions/{world.ely_decision.pk}/money/"

    tiina = open_page()
    keyboard_log_in(tiina, personas.applicant)
    tiina.goto(money_url)
    assert_accessible(tiina)
    type_into(tiina, "#id_amount", "12 000,01")
    follow(tiina, "form[action$='/payments/request/'] button[type=submit]")
    assert "30 %" in tiina.inner_text("main")
    assert tiina.input_value("#id_amount") == "12 000,01"
    shoot(tiina, "money-refused")
    type_into(tiina, "#id_amount", "12 000")
    follow(tiina, "form[action$='/payments/request/'] button[type=submit]")
    assert Payment.objects.get().amount == Decimal("12000.00")

    helena = open_page()
    keyboard_log_in(helena, personas.funder_officer)
    helena.goto(money_url)
    assert_accessible(helena)
    follow(helena, "form[action$='/approve/'] button[type=submit]")
    assert Envelope.objects.get(pk=world.ely_envelope.pk).paid == Decimal("12000.00")
    shoot(helena, "money-paid")
    for url, name in (
        ("/funding/payments/", "payments"),
        (f"/funding/groups/{steering.pk}/", "group"),
        (f"/funding/group-meetings/{meeting.pk}/", "meeting"),
        (f"/funding/portfolio/?funder={world.ely.pk}&year=2027", "portfolio"),
    ):
        helena.goto(url)
        assert_accessible(helena)
        shoot(helena, name)

    loan = world.application.loans.get()
    tiina.goto(f"/funding/loans/{loan.pk}/")
    assert_accessible(tiina)
    shoot(tiina, "loan")
