"""Actions that fit the state (issue 14 item 5): no cancelling a task that has started (the
orderer confirms it instead); the fee choice starts from what the orderer asked for; a task
that starts within a day warns the orderer before the request is sent; the PDF and the
calendar file are separate buttons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from osallisuus.experts import services
from osallisuus.experts.models import Agreement, TaskRequest
from osallisuus.experts.permissions import can_cancel_agreement

from .factories import build_world
from .test_journey_pages import _request_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def _agreement(world) -> Agreement:
    req = world.request()
    offer = services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.eero])[0]
    return services.offer_accept(actor=world.personas.expert, offer=offer)


def test_after_the_start__no_cancel_and_no_late_cancellation_warning(world, client, login):
    agreement = _agreement(world)
    assert can_cancel_agreement(world.personas.orderer, agreement)
    Agreement.objects.filter(pk=agreement.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3), ends_at=timezone.now() - dt.timedelta(hours=2)
    )
    agreement.refresh_from_db()
    assert not can_cancel_agreement(world.personas.orderer, agreement)
    login(world.personas.orderer)
    page = client.get(reverse("experts:agreement_detail", args=[agreement.pk]))
    assert "cancel_form" not in page.context
    assert "confirm_form" in page.context
    refused = client.post(reverse("experts:agreement_cancel", args=[agreement.pk]), {"reason": "Myöhässä"})
    assert refused.status_code in (400, 403)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE


def test_review__fee_choice_starts_from_what_the_orderer_asked(world, client, login):
    login(world.personas.orderer)
    client.post(reverse("experts:request_new"), _request_form(world, title="Palkkiolla"))
    client.post(reverse("experts:request_new"), _request_form(world, title="Kuluilla", compensation="expenses"))
    login(world.personas.coordinator)
    with_fee = TaskRequest.objects.get(title="Palkkiolla")
    form = client.get(reverse("experts:request_detail", args=[with_fee.pk])).context["review_form"]
    assert form.initial["fee_item_code"]  # a fee item of the schedule, not "no fee"
    expenses_only = TaskRequest.objects.get(title="Kuluilla")
    form = client.get(reverse("experts:request_detail", args=[expenses_only.pk])).context["review_form"]
    assert form.initial["fee_item_code"] == ""


def test_request_starting_within_a_day__warns_before_sending_and_sends_when_ticked(world, client, login):
    login(world.personas.orderer)
    soon = (timezone.localtime() + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    first = client.post(reverse("experts:request_new"), _request_form(world, starts_at=soon))
    assert first.status_code == 400
    assert not TaskRequest.objects.exists()  # nothing sent yet
    assert "soon_ok" in first.context["form"].errors
    assert 'type="checkbox" name="soon_ok"' in first.content.decode()
    assert 'value="Luento opiskelijoille"' in first.content.decode()  # what was typed is kept
    second = client.post(reverse("experts:request_new"), _request_form(world, starts_at=soon, soon_ok="on"))
    assert second.status_code == 302
    assert TaskRequest.objects.count() == 1


def test_agreement_page__pdf_and_calendar_are_separate_buttons(world, client, login):
    agreement = _agreement(world)
    login(world.personas.expert)
    body = client.get(reverse("experts:agreement_detail", args=[agreement.pk])).content.decode()
    pdf = reverse("experts:agreement_pdf", args=[agreement.pk])
    ics = reverse("experts:agreement_ics", args=[agreement.pk])
    assert f'class="hds-button hds-button--secondary" href="{pdf}"' in body
    assert f'class="hds-button hds-button--secondary" href="{ics}"' in body
