"""After a check-in the participant gets a link "Back to your plan" on her answers page. The link
comes from measurement's registry asking the activation module, so it is given only to the
participant herself, logged in, about her own plan: never to a personal-link respondent who is
not logged in, and never to the own worker reading shared answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, override

from osallisuus.activation.demo import build_aino
from osallisuus.activation.selectors import plan_link
from osallisuus.measurement import services as measurement
from osallisuus.measurement.models import Instrument, Response

ANSWERS = {"goals": 4, "support": 5, "activities": 4, "stuck": 2, "next": ""}


def fi(message: str) -> str:
    with override("fi"):
        return escape(gettext(message))


@pytest.fixture
def aino_data(personas):
    return build_aino(personas.users, personas.organisations)


def test_checkin_sent__the_answers_page_links_back_to_her_plan(personas, login, aino_data):
    # Given Aino starts a check-in from her plan and sends it
    plan = aino_data["plan_of_aino"]
    client = login(personas.participant)
    form = client.post(reverse("activation:checkin_start", kwargs={"pk": plan.pk}))["Location"]
    response = Response.objects.get()
    sent = client.post(form, {"view": "all", "action": "submit", **ANSWERS})
    # When she sees the thank-you with her answers
    page = client.get(sent["Location"]).content.decode()
    # Then there is a clear way back to her plan, and it opens her plan with the check-in card
    plan_url = reverse("activation:plan", kwargs={"pk": plan.pk})
    assert fi("Back to your plan") in page
    assert f'href="{plan_url}"' in page
    back = client.get(plan_url).content.decode()
    assert fi("How is it going? (check-in)") in back
    # And after taking the answers back
    withdrawn = client.post(f"/measurement/r/{response.pk}/withdraw/").content.decode()
    assert fi("Back to your plan") in withdrawn
    assert f'href="{plan_url}"' in withdrawn


def test_checkin_link__only_the_participant_on_her_own_plan(personas, aino_data):
    plan = aino_data["plan_of_aino"]
    ref = f"plan:{plan.pk}"
    assert plan_link(ref, personas.participant) == (gettext("Back to your plan"), f"/plan/{plan.pk}/")
    # Ville may read the plan, but it is not his plan and he never answers its check-in
    for other in (personas.own_worker, personas.expert, personas.analyst):
        assert plan_link(ref, other) is None
    assert plan_link("plan:999999", personas.participant) is None
    assert plan_link(f"agreement:{plan.pk}", personas.participant) is None


def test_checkin_shared__the_own_worker_reading_it__gets_no_link_to_the_plan(personas, login, aino_data):
    from osallisuus.activation import services

    plan, aino, ville = aino_data["plan_of_aino"], personas.participant, personas.own_worker
    response = services.checkin_start(plan=plan, actor=aino)
    measurement.response_save(response=response, values={k: v for k, v in ANSWERS.items() if k != "next"})
    measurement.response_submit(response=response)
    measurement.response_share(response=response, respondent=aino, worker=ville)
    page = login(ville).get(f"/measurement/shared/{response.pk}/").content.decode()
    assert fi("Back to your plan") not in page
    assert f'href="/plan/{plan.pk}/"' not in page


def test_personal_link__not_logged_in__gets_no_link_back(personas, aino_data, login):
    # Given a round about Aino's plan answered from a personal link, without logging in
    plan, aino = aino_data["plan_of_aino"], personas.participant
    now = timezone.now()
    round_ = measurement.round_create(
        actor=personas.own_worker,
        instrument=Instrument.objects.filter(code="plan-checkin").order_by("-created_at").first(),
        organisation=plan.organisation,
        name="Kevään välikysely",
        group_key="spring",
        purpose="Kysymme, miten suunnitelma etenee.",
        context_module="activation",
        context_ref=f"plan:{plan.pk}",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
        retention_until=(now + dt.timedelta(days=365)).date(),
    )
    measurement.round_invite(actor=None, round=round_, people=[aino])
    token = measurement.invitation_issue_link(invitation=round_.invitations.get())
    anonymous = Client()
    form = f"/measurement/a/{token}/"
    sent = anonymous.post(form, {"view": "all", "action": "submit", **ANSWERS})
    response = Response.objects.get(round=round_)
    assert response.status == Response.Status.SUBMITTED
    # When she sees the thank-you of her link
    page = anonymous.get(sent["Location"])
    # Then she sees no link to a plan page she could not open without logging in
    body = page.content.decode()
    assert page.status_code == 200
    assert fi("Back to your plan") not in body
    assert f"/plan/{plan.pk}/" not in body
    assert anonymous.get(f"/plan/{plan.pk}/").status_code == 302  # the plan asks to log in
    # And a person logged in as someone else who opens the link sees no link either
    ville = login(personas.own_worker)
    session = ville.session
    session["measurement_link_responses"] = [response.pk]
    session.save()
    other = ville.get(f"/measurement/r/{response.pk}/answers/").content.decode()
    assert fi("Back to your plan") not in other
    assert f"/plan/{plan.pk}/" not in other
