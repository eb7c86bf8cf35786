"""Earnings limits recorded together with the expert: the coordinator's page goes through its
own gate and log entry; the expert is told and sees who recorded each limit; the orderer never
sees them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, override

from osallisuus.core.models import AccessLogEntry, ChangeEvent, Notification
from osallisuus.experts import earnings, services
from osallisuus.experts.models import EarningsLimit

from .factories import SECRET_DIAGNOSIS, SECRET_STORY, build_world
from .test_registry import LIMIT_KIND

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


# -- earnings limits recorded together with the expert ------------------------------------------------


def _limit_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": LIMIT_KIND,
        "amount": "50.00",
        "period": "month",
        "consecutive_months": "3",
        "valid_from": f"{timezone.localdate().year}-01-01",
        "valid_until": "",
        "source": "Eläkepäätös 2026",
    }
    data.update(overrides)
    return data


def test_limits__coordinator_records_a_limit__it_counts_in_the_experts_check_and_he_sees_who_recorded_it(
    world, client, login
):
    p = world.personas
    login(p.coordinator)
    url = reverse("experts:expert_limits", args=[world.eero.pk])
    assert (
        reverse("experts:expert_limits", args=[world.eero.pk])
        in client.get(reverse("experts:expert_detail", args=[world.eero.pk])).content.decode()
    )
    response = client.post(url, _limit_form())
    assert response.status_code == 302
    assert response["Location"] == url
    limit = EarningsLimit.objects.get(expert=world.eero)
    assert limit.recorded_by == p.coordinator
    assert limit.amount == Decimal("50.00")
    assert ChangeEvent.objects.filter(verb="experts.earnings_limit.added", subject=p.expert).exists()
    # The limit counts in Eero's earnings check: a 100 € fee crosses it
    check = earnings.check_for(expert=world.eero, adding=Decimal("100.00"), on=timezone.localdate())
    assert [r.flagged for r in check.results] == [True]
    # Eero is told (without the kind of the limit) and sees who recorded it on his own page
    note = Notification.objects.get(user=p.expert, url=reverse("experts:limits"))
    assert LIMIT_KIND not in note.message
    assert "Kaisa Lindström" in note.message
    login(p.expert)
    own = client.get(reverse("experts:limits")).content.decode()
    assert LIMIT_KIND in own
    with override("fi"):
        assert escape(gettext("recorded by %(name)s together with you") % {"name": "Kaisa Lindström"}) in own


def test_limits__every_read_by_the_coordinator__goes_through_the_gate_and_is_logged(world, client, login):
    p = world.personas
    services.earnings_limit_add(
        actor=p.expert,
        expert=world.eero,
        kind=LIMIT_KIND,
        amount=Decimal("900"),
        period="month",
        valid_from=dt.date(2026, 1, 1),
        source="Päätös",
    )
    login(p.coordinator)
    last = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    page = client.get(reverse("experts:expert_limits", args=[world.eero.pk]))
    assert page.status_code == 200
    assert LIMIT_KIND in page.content.decode()
    rows = list(AccessLogEntry.objects.filter(pk__gt=last))
    assert [(r.actor_id, r.subject_id, r.purpose) for r in rows] == [
        (p.coordinator.pk, p.expert.pk, "earnings limits (coordinator)")
    ]
    # A form with errors is a read too
    last = rows[-1].pk
    assert client.post(reverse("experts:expert_limits", args=[world.eero.pk]), {"amount": "x"}).status_code == 400
    assert AccessLogEntry.objects.filter(pk__gt=last, subject=p.expert).count() == 1
    # The profile page does not show the limits (and is logged as a profile read)
    profile = client.get(reverse("experts:expert_detail", args=[world.eero.pk])).content.decode()
    assert LIMIT_KIND not in profile


def test_limits__coordinator_removes_a_limit_the_expert_recorded(world, client, login):
    p = world.personas
    limit = services.earnings_limit_add(
        actor=p.expert,
        expert=world.eero,
        kind=LIMIT_KIND,
        amount=Decimal("900"),
        period="month",
        valid_from=dt.date(2026, 1, 1),
        source="Päätös",
    )
    assert limit.recorded_by == p.expert
    login(p.coordinator)
    response = client.post(reverse("experts:expert_limits", args=[world.eero.pk]), {"remove": str(limit.pk)})
    assert response.status_code == 302
    assert not EarningsLimit.objects.filter(pk=limit.pk).exists()
    assert ChangeEvent.objects.filter(verb="experts.earnings_limit.removed", actor=p.coordinator).exists()


def test_limits__bad_input__keeps_what_was_typed_and_saves_nothing(world, client, login):
    login(world.personas.coordinator)
    response = client.post(
        reverse("experts:expert_limits", args=[world.eero.pk]),
        _limit_form(amount="-5", valid_until="2020-01-01"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "amount" in form.errors
    assert LIMIT_KIND in response.content.decode()
    assert not EarningsLimit.objects.exists()


def test_limits__someone_elses_limit__cannot_be_removed_through_this_expert(world, client, login):
    p = world.personas
    paivi_limit = services.earnings_limit_add(
        actor=p.expert2,
        expert=world.paivi,
        kind=LIMIT_KIND,
        amount=Decimal("900"),
        period="month",
        valid_from=dt.date(2026, 1, 1),
        source="Päätös",
    )
    login(p.coordinator)
    response = client.post(reverse("experts:expert_limits", args=[world.eero.pk]), {"remove": str(paivi_limit.pk)})
    assert response.status_code == 404
    assert EarningsLimit.objects.filter(pk=paivi_limit.pk).exists()


def test_limit_services__coordinator_of_another_organisation_and_orderer__are_refused(world, other_coordinator):
    p = world.personas
    limit = services.earnings_limit_add(
        actor=p.expert,
        expert=world.eero,
        kind=LIMIT_KIND,
        amount=Decimal("900"),
        period="month",
        valid_from=dt.date(2026, 1, 1),
        source="Päätös",
    )
    for actor in (other_coordinator, p.orderer):
        with pytest.raises(services.ExpertsError):
            services.earnings_limit_add(
                actor=actor,
                expert=world.eero,
                kind="x",
                amount=Decimal("1"),
                period="month",
                valid_from=dt.date(2026, 1, 1),
                source="x",
            )
        with pytest.raises(services.ExpertsError):
            services.earnings_limit_remove(actor=actor, limit=limit)
    assert list(EarningsLimit.objects.values_list("pk", flat=True)) == [limit.pk]


def test_limits__the_orderer_never_sees_them(world, client, login):
    p = world.personas
    services.earnings_limit_add(
        actor=p.coordinator,
        expert=world.eero,
        kind=LIMIT_KIND,
        amount=Decimal("900"),
        period="month",
        valid_from=dt.date(2026, 1, 1),
        source="Päätös",
    )
    offer = services.offer_make(actor=p.coordinator, request=world.request(), experts=[world.eero])[0]
    agreement = services.offer_accept(actor=p.expert, offer=offer)
    login(p.orderer)
    assert client.get(reverse("experts:expert_limits", args=[world.eero.pk])).status_code == 403
    for url in (
        reverse("experts:agreement_detail", args=[agreement.pk]),
        reverse("experts:request_detail", args=[agreement.request_id]),
        f"/api/v1/experts/agreements/{agreement.pk}",
    ):
        body = client.get(url).content.decode()
        assert body
        assert LIMIT_KIND not in body
        assert SECRET_DIAGNOSIS not in body
        assert SECRET_STORY not in body
