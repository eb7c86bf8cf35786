"""Tax-free volunteer caps (20 days of daily allowances, 3,000 € of kilometre allowances a year
from one paying organisation): they count every task for which no fee is actually paid —
expenses only, volunteer mode, a no-show without a fee due — and the warning comes before the
expenses are sent, in the API answer and on the coordinator's payments page (issue 9, item 4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from hypothesis import given, settings
from hypothesis import strategies as st

from osallisuus.experts import earnings, fees, services
from osallisuus.experts.models import Agreement, ExpenseItem, ExpenseReport, Offer, TaskRequest

from .factories import build_world

DAYS_CAP = Decimal("20")
KM_CAP = Decimal("3000.00")
money = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)


# -- the rule, as pure functions ----------------------------------------------------------------------------


@given(
    days_used=st.integers(0, 40),
    adding_days=st.integers(0, 5),
    km_used=money,
    adding_km=money,
    caps=st.booleans(),
)
def test_caps__warn_exactly_when_the_year_would_go_over(days_used, adding_days, km_used, adding_km, caps):
    result = earnings.VolunteerCaps(
        year=2026,
        days_used=days_used,
        days_cap=DAYS_CAP if caps else None,
        km_used=km_used,
        km_cap=KM_CAP if caps else None,
        adding_days=adding_days,
        adding_km=adding_km,
    )
    assert result.days_exceeded == (caps and days_used + adding_days > DAYS_CAP)
    assert result.km_exceeded == (caps and km_used + adding_km > KM_CAP)
    assert len(result.warnings) == result.days_exceeded + result.km_exceeded
    assert result.exceeded == bool(result.warnings)


KINDS = st.sampled_from([k for k, _label in ExpenseItem.Kind.choices])


@given(st.lists(st.tuples(KINDS, money), max_size=30))
def test_allowance_totals__count_daily_allowance_days_and_kilometre_euros_only(lines):
    days, km = earnings.allowance_totals(lines)
    assert days == sum(1 for kind, _a in lines if kind == ExpenseItem.Kind.DAILY_ALLOWANCE)
    assert km == sum((a for kind, a in lines if kind == ExpenseItem.Kind.KILOMETRES), Decimal("0"))


@given(fee=money, fee_due=st.booleans(), volunteer=st.booleans(), lines=st.lists(st.tuples(KINDS, money), max_size=10))
def test_allowances__add_to_the_caps_only_when_no_fee_is_paid(fee, fee_due, volunteer, lines):
    agreement = Agreement(fee=fee, fee_due=fee_due, volunteer=volunteer)
    paid = fee_due and fee > 0 and not volunteer
    assert agreement.fee_paid == paid
    added = earnings.adding_for(agreement=agreement, lines=lines)
    assert added == ((0, Decimal("0")) if paid else earnings.allowance_totals(lines))
    totals = fees.expense_totals([fees.ExpenseLine(kind=k, amount=a) for k, a in lines], fee_paid=agreement.fee_paid)
    allowances = sum((a for k, a in lines if k in ("km", "daily_allowance")), Decimal("0"))
    assert totals.taxable == (fees.money(allowances) if paid else Decimal("0"))


# -- in the database and on the pages ----------------------------------------------------------------------


@pytest.fixture
def world(personas):
    return build_world(personas)


def _tasks(
    world: Any, n: int, *, compensation: str, status: str = Agreement.Status.DONE, **agreement: Any
) -> list[Agreement]:
    """``n`` past tasks of Eero this year, with the given compensation."""
    base = world.request(starts_in=dt.timedelta(days=2))
    start = timezone.now().replace(month=1, day=3, hour=9, minute=0, second=0, microsecond=0)
    requests = TaskRequest.objects.bulk_create(
        [
            TaskRequest(
                organisation=base.organisation,
                broker=base.broker,
                created_by=base.created_by,
                task_type=base.task_type,
                title=f"Kulukorvaustehtävä {i}",
                description="-",
                starts_at=start + dt.timedelta(days=i),
                duration_minutes=60,
                remote=True,
                compensation=compensation,
                status=TaskRequest.Status.DONE,
            )
            for i in range(n)
        ]
    )
    offers = Offer.objects.bulk_create(
        [Offer(request=r, expert=world.eero, offered_by=world.personas.coordinator) for r in requests]
    )
    fields = {"fee": Decimal("0.00"), "fee_due": False, "travel_per_km": Decimal("0.57"), **agreement}
    return Agreement.objects.bulk_create(
        [
            Agreement(
                request=r,
                offer=o,
                expert=world.eero,
                status=status,
                starts_at=r.starts_at,
                ends_at=r.starts_at + dt.timedelta(hours=1),
                terms="-",
                **fields,
            )
            for r, o in zip(requests, offers, strict=True)
        ]
    )


def _report_days(agreements: list[Agreement], *, status: str = ExpenseReport.Status.APPROVED) -> None:
    reports = ExpenseReport.objects.bulk_create([ExpenseReport(agreement=a, status=status) for a in agreements])
    ExpenseItem.objects.bulk_create(
        [ExpenseItem(report=r, kind="daily_allowance", amount=Decimal("51.00")) for r in reports]
    )


def _fi(client: Any, method: str, url: str, **kwargs: Any) -> Any:
    with override("fi"):
        return getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE="fi", **kwargs)


pytestmark = pytest.mark.django_db


def test_twenty_expenses_only_days_and_a_21st__warn_on_the_form_before_sending(world, client, login):
    p = world.personas
    _report_days(_tasks(world, 20, compensation=TaskRequest.Compensation.EXPENSES))
    day21 = _tasks(world, 1, compensation=TaskRequest.Compensation.EXPENSES)[0]
    login(p.expert)
    url = reverse("experts:expenses", args=[day21.pk])

    page = _fi(client, "get", url)
    assert page.context["caps"].days_used == 20
    assert not page.context["caps"].warnings  # 20 of 20: still within the cap

    checked = _fi(client, "post", url, data={"daily_allowance": "51", "check": "1"})
    assert checked.status_code == 200
    assert checked.context["caps"].days_after == 21
    assert checked.context["caps"].days_exceeded
    assert not ExpenseReport.objects.filter(agreement=day21).exists()  # checking saves nothing

    live = _fi(client, "post", url, data={"daily_allowance": "51", "check": "1"}, HTTP_HX_REQUEST="true")
    body = live.content.decode()
    assert 'id="caps"' in body
    assert "earnings-warning" in body
    assert "<h1>" not in body


def test_the_21st_day__sent__keeps_the_warning_and_the_allowance_is_tax_free(world, client, login):
    _report_days(_tasks(world, 20, compensation=TaskRequest.Compensation.EXPENSES))
    day21 = _tasks(world, 1, compensation=TaskRequest.Compensation.EXPENSES)[0]
    login(world.personas.expert)
    sent = _fi(
        client, "post", reverse("experts:expenses", args=[day21.pk]), data={"daily_allowance": "51"}, follow=True
    )
    warnings = [str(m) for m in sent.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    item = ExpenseItem.objects.get(report__agreement=day21)
    assert item.taxable is False  # no fee is paid for the task


def test_api_answer__names_the_cap_the_report_goes_over(world, client, login):
    _report_days(_tasks(world, 20, compensation=TaskRequest.Compensation.EXPENSES))
    day21 = _tasks(world, 1, compensation=TaskRequest.Compensation.EXPENSES)[0]
    login(world.personas.expert)
    response = client.post(
        f"/api/v1/experts/agreements/{day21.pk}/expenses",
        {"lines": [{"kind": "daily_allowance", "amount": "51.00"}, {"kind": "km", "kilometres": "10"}]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["warnings"]) == 1
    assert Decimal(body["taxable"]) == 0


def test_payments_page__warns_the_coordinator_about_the_report_that_goes_over(world, client, login):
    _report_days(_tasks(world, 20, compensation=TaskRequest.Compensation.EXPENSES))
    day21 = _tasks(world, 1, compensation=TaskRequest.Compensation.EXPENSES)
    _report_days(day21, status=ExpenseReport.Status.SUBMITTED)
    login(world.personas.coordinator)
    page = _fi(client, "get", reverse("experts:payments"))
    (waiting,) = list(page.context["waiting"])
    assert waiting.tax_free_caps.days_used == 20
    assert waiting.tax_free_caps.days_exceeded
    assert "earnings-warning" in page.content.decode()


def test_kilometre_cap__counts_volunteer_and_expenses_only_tasks_together(world):
    volunteer = _tasks(world, 1, compensation=TaskRequest.Compensation.FEE, volunteer=True)
    expenses_only = _tasks(world, 1, compensation=TaskRequest.Compensation.EXPENSES)
    paid = _tasks(world, 1, compensation=TaskRequest.Compensation.FEE, fee=Decimal("100.00"), fee_due=True)
    for agreements, amount in ((volunteer, "1600.00"), (expenses_only, "1500.00"), (paid, "900.00")):
        report = ExpenseReport.objects.create(agreement=agreements[0], status=ExpenseReport.Status.APPROVED)
        ExpenseItem.objects.create(report=report, kind="km", kilometres=Decimal("1000"), amount=Decimal(amount))
    caps = earnings.volunteer_caps(expert=world.eero, year=timezone.localdate().year)
    assert caps.km_used == Decimal("3100.00")  # the paid task's kilometres are taxable and do not count
    assert caps.km_exceeded


@pytest.mark.parametrize(("fee_due_on_no_show", "tax_free"), [(False, True), (True, False)])
def test_no_show__allowances_follow_whether_the_fee_is_actually_paid(world, fee_due_on_no_show, tax_free):
    p = world.personas
    req = world.request()
    offer = services.offer_make(actor=p.coordinator, request=req, experts=[world.eero])[0]
    agreement = services.offer_accept(actor=p.expert, offer=offer)
    assert agreement.fee > 0
    Agreement.objects.filter(pk=agreement.pk).update(
        fee_due_on_no_show=fee_due_on_no_show,
        starts_at=timezone.now() - dt.timedelta(hours=2),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    services.agreement_confirm(actor=p.orderer, agreement=agreement, took_place=False)
    agreement.refresh_from_db()
    assert agreement.fee_due == fee_due_on_no_show
    report = services.expenses_submit(
        actor=p.expert, agreement=agreement, lines=[services.ExpenseInput(kind="km", kilometres=Decimal("40"))]
    )
    assert report.items.get().taxable is not tax_free
    caps = earnings.volunteer_caps(expert=world.eero, year=timezone.localtime(agreement.starts_at).year)
    assert (caps.km_used > 0) == tax_free


def test_paid_task__shows_no_caps_and_keeps_allowances_taxable(world, client, login):
    paid = _tasks(world, 1, compensation=TaskRequest.Compensation.FEE, fee=Decimal("100.00"), fee_due=True)[0]
    login(world.personas.expert)
    page = client.get(reverse("experts:expenses", args=[paid.pk]))
    assert page.context["caps"] is None


@settings(max_examples=60)
@given(
    fee=money,
    volunteer=st.booleans(),
    outcome=st.sampled_from(fees.OUTCOMES),
    hours_before=st.integers(-48, 96),
    free_hours=st.integers(0, 72),
    due_on_no_show=st.booleans(),
    by_expert=st.booleans(),
)
def test_cancellation_fee_rule__one_function_for_terms_cancel_and_confirm(
    fee, volunteer, outcome, hours_before, free_hours, due_on_no_show, by_expert
):
    starts = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    at = starts - dt.timedelta(hours=hours_before)
    due = fees.fee_due(
        fee=fee,
        volunteer=volunteer,
        outcome=outcome,
        starts_at=starts,
        free_cancellation_hours=free_hours,
        fee_due_on_no_show=due_on_no_show,
        at=at,
        cancelled_by_expert=by_expert,
    )
    if fee == 0 or volunteer:
        assert not due
    elif outcome == fees.DONE:
        assert due
    elif outcome == fees.NO_SHOW:
        assert due == due_on_no_show
    else:
        assert due == (hours_before < free_hours and not by_expert)
