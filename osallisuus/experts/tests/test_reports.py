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
        assert found.fees_paid == agreement.fee and found.fees_paid.as_tuple().exponent == -2
        transaction.set_rollback(True)
