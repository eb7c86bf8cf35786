"""After giving task feedback in the measurement engine, the expert and the orderer get a link
"Back to the task" on their answers page. The link is measurement's registry asking the experts
module, so it appears only for a person who may still open the task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, override

from osallisuus.experts import services
from osallisuus.experts.feedback import task_link
from osallisuus.experts.models import Agreement
from osallisuus.measurement import services as measurement
from osallisuus.measurement.models import Response

from .factories import build_world


@pytest.fixture
def world(personas):
    return build_world(personas)


def fi(message: str) -> str:
    with override("fi"):
        return escape(gettext(message))


def _done_agreement(world) -> Agreement:
    req = world.request(starts_in=dt.timedelta(days=1))
    offer = services.offer_make(actor=world.personas.coordinator, request=req, experts=[world.eero])[0]
    agreement = services.offer_accept(actor=world.personas.expert, offer=offer)
    Agreement.objects.filter(pk=agreement.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3))
    services.agreement_confirm(actor=world.personas.orderer, agreement=agreement, took_place=True)
    agreement.refresh_from_db()
    return agreement


def _send(client, agreement: Agreement) -> Response:
    """Start the feedback from the task page and send it through measurement's answer form."""
    form = client.post(reverse("experts:agreement_feedback", args=[agreement.pk]))["Location"]
    response = Response.objects.get(respondent_id=int(client.session["_auth_user_id"]))
    answers = {i.code: 4 for i in response.instrument.items.all() if i.kind == "choice"}
    sent = client.post(form, {"view": "all", "action": "submit", **answers})
    assert sent.status_code == 302
    assert sent["Location"] == f"/measurement/r/{response.pk}/answers/"
    return response


@pytest.mark.parametrize("persona", ["expert", "orderer"])
def test_feedback_sent__the_answers_page_links_back_to_the_task(world, login, persona):
    # Given a task that took place, and the expert (or the orderer) who sends feedback on it
    agreement = _done_agreement(world)
    client = login(world.personas[persona])
    response = _send(client, agreement)
    # When they see the thank-you and their own answers
    page = client.get(f"/measurement/r/{response.pk}/answers/").content.decode()
    # Then there is a clear link back to the task, and it opens
    task_url = reverse("experts:agreement_detail", args=[agreement.pk])
    assert fi("Back to the task") in page
    assert f'href="{task_url}"' in page
    assert client.get(task_url).status_code == 200
    # And the same link after taking the answers back
    withdrawn = client.post(f"/measurement/r/{response.pk}/withdraw/").content.decode()
    assert fi("Back to the task") in withdrawn
    assert f'href="{task_url}"' in withdrawn


def test_feedback_link__for_a_person_who_cannot_open_the_task__is_not_given(world, personas):
    agreement = _done_agreement(world)
    ref = services.feedback_ref(agreement)
    # The two sides and the coordinator may open the task; the link is only ever shown to the
    # respondent, but the resolver itself also refuses everyone who could not open the task
    assert task_link(ref, personas.orderer) == (gettext("Back to the task"), f"/experts/agreements/{agreement.pk}/")
    assert task_link(ref, personas.expert) is not None
    for outsider in (personas.participant, personas.own_worker, personas.analyst):
        assert task_link(ref, outsider) is None
    # References that are not a task of this module give nothing
    assert task_link("agreement:999999", personas.orderer) is None
    assert task_link("plan:1", personas.orderer) is None
    assert task_link("agreement:", personas.orderer) is None


def test_feedback_link__orderer_who_left_the_organisation__gets_no_link(world, login):
    # Given the orderer sent feedback and then left the ordering organisation
    from osallisuus.accounts.models import Membership

    agreement = _done_agreement(world)
    orderer = world.personas.orderer
    client = login(orderer)
    response = _send(client, agreement)
    Membership.objects.filter(user=orderer).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    # When they look at their own answers
    page = client.get(f"/measurement/r/{response.pk}/answers/").content.decode()
    # Then the answers are theirs to see, but there is no link to a task they can no longer open
    assert page
    assert fi("Back to the task") not in page
    assert reverse("experts:agreement_detail", args=[agreement.pk]) not in page
    assert client.get(reverse("experts:agreement_detail", args=[agreement.pk])).status_code == 404


def test_feedback_started_in_code__measurement_knows_the_module_only_through_the_registry(world):
    from osallisuus.measurement import context_links

    agreement = _done_agreement(world)
    response = services.feedback_start(actor=world.personas.expert, agreement=agreement)
    assert context_links.registered()["experts"] is task_link
    link = context_links.link_for(response=response, viewer=world.personas.expert)
    assert link is not None
    assert link.url == f"/experts/agreements/{agreement.pk}/"
    # Nobody else gets it, not even the orderer who may open the task: it is not their answer
    assert context_links.link_for(response=response, viewer=world.personas.orderer) is None
    assert measurement.response_url(response) == f"/measurement/r/{response.pk}/"
