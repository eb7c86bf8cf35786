"""The coordinator's report: money adds up to the cent, whatever the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osallisuus.experts import selectors, services
from osallisuus.experts.models import Agreement, ExpenseItem, ExpenseReport

from .factories import build_world

pytestmark = pytest.mark.django_db

cents = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)


@pytest.fixture
def world(personas):
    return build_world(personas)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(cents, min_size=1, max_size=12))
def test_report__approved_expenses_and_fees__are_the_exact_sums_in_cents(world, amounts):
    with transaction.atomic():
        request = world.request(starts_in=dt.timedelta(days=2))
        offer = services.offer_make(actor=world.personas.coordinator, request=request, experts=[world.eero])[0]
        agreement = services.offer_accept(actor=world.personas.expert, offer=offer)
        Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.DONE)
        report = ExpenseReport.objects.create(agreement=agreement, status=ExpenseReport.Status.APPROVED)
        ExpenseItem.objects.bulk_create([ExpenseItem(report=report, kind="ticket", amount=a) for a in amounts])

        found = selectors.coordinator_report(
            actor=world.personas.coordinator, year=timezone.localtime(agreement.starts_at).year
        )

        assert found.expenses_paid == sum(amounts)
        assert found.expenses_paid.as_tuple().exponent == -2
        assert found.fees_paid == agreement.fee
        assert found.fees_paid.as_tuple().exponent == -2
        transaction.set_rollback(True)


def test_payments_page__shows_the_queue_a_page_at_a_time_and_the_total_of_the_whole_year(world, login):
    from django.urls import reverse

    from osallisuus.experts.models import Offer, TaskRequest

    base = world.request(starts_in=dt.timedelta(days=2))
    now = timezone.now()
    requests = TaskRequest.objects.bulk_create(
        [
            TaskRequest(
                organisation=base.organisation,
                broker=base.broker,
                created_by=base.created_by,
                task_type=base.task_type,
                title=f"Tehtävä {i}",
                description="-",
                starts_at=now.replace(month=1, day=2, hour=12) + dt.timedelta(hours=i),
                duration_minutes=60,
                remote=True,
                status=TaskRequest.Status.DONE,
            )
            for i in range(30)
        ]
    )
    offers = Offer.objects.bulk_create(
        [Offer(request=r, expert=world.eero, offered_by=world.personas.coordinator) for r in requests]
    )
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                request=r,
                offer=o,
                expert=world.eero,
                status=Agreement.Status.DONE,
                starts_at=r.starts_at,
                ends_at=r.starts_at + dt.timedelta(hours=1),
                fee=Decimal("100.00"),
                terms="-",
            )
            for r, o in zip(requests, offers, strict=True)
        ]
    )
    reports = ExpenseReport.objects.bulk_create([ExpenseReport(agreement=a) for a in agreements])
    ExpenseItem.objects.bulk_create([ExpenseItem(report=r, kind="ticket", amount=Decimal("2.10")) for r in reports])
    client = login(world.personas.coordinator)

    first = client.get(reverse("experts:payments"))
    second = client.get(reverse("experts:payments") + "?waiting=2")
    year_second = client.get(reverse("experts:payments") + "?page=2")

    assert len(first.context["waiting"].object_list) == 25
    assert len(second.context["waiting"].object_list) == 5
    assert len(first.context["rows"]) == 25
    assert len(year_second.context["rows"]) == 5  # the year's payments are paged apart from the queue
    assert year_second.context["total"] == first.context["total"]  # the total is of every page
    assert first.context["waiting"][0].agreement.request.title == "Tehtävä 0"  # oldest first
    assert first.context["total"] == Decimal("30") * (Decimal("100.00") + Decimal("2.10"))


def test_monthly_earnings__are_exact_cents_for_the_limit_check(world):
    from osallisuus.experts import earnings

    agreed = []
    for hours in (0, 3):
        request = world.request(starts_in=dt.timedelta(days=2, hours=hours))
        offer = services.offer_make(actor=world.personas.coordinator, request=request, experts=[world.eero])[0]
        agreed.append(services.offer_accept(actor=world.personas.expert, offer=offer))
    Agreement.objects.filter(pk=agreed[0].pk).update(fee=Decimal("0.10"))
    Agreement.objects.filter(pk=agreed[1].pk).update(fee=Decimal("0.20"))
    start = timezone.localtime(agreed[0].starts_at)
    months = earnings.monthly_earnings(expert=world.eero, year=start.year)
    total = sum(months.values())
    assert total == Decimal("0.30")
    assert all(v.as_tuple().exponent == -2 for v in months.values())
