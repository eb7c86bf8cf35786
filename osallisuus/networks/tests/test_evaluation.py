"""Evaluation of a network through the measurement engine: our own instrument, rounds sent to the
members, group results with small groups hidden, change between rounds, and the closing evaluation
of a project network before it is closed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from osallisuus.accounts import services as account_services
from osallisuus.accounts.models import User
from osallisuus.core.errors import Conflict, Forbidden, Refusal
from osallisuus.measurement import selectors as measurement_selectors
from osallisuus.measurement import services as measurement
from osallisuus.measurement.models import Instrument, Response
from osallisuus.networks import evaluation, services
from osallisuus.networks.apps import INSTRUMENT_FILE

from .factories import build_world

pytestmark = pytest.mark.django_db

IN_TWO_WEEKS = dt.timedelta(days=14)


@pytest.fixture
def world(personas):
    return build_world(personas)


def _add_members(world, personas, count: int) -> list[User]:
    made = []
    for i in range(count):
        user = User.objects.create_user(f"jasen{i}@example.invalid", "x", full_name=f"Jäsen {i}")
        account_services.membership_grant(
            user=user, organisation=personas.organisations["village"], roles=("participant",)
        )
        services.membership_add(
            actor=personas.network_coordinator,
            network=world.a,
            name=user.full_name,
            user=user,
            organisation=personas.organisations["village"],
            joined_on=timezone.localdate() - dt.timedelta(days=30),
        )
        made.append(user)
    return made


def _answer(person: User, value: int) -> Response:
    invitation = measurement_selectors.my_invitations(person=person).get()
    response = measurement.invitation_start(invitation=invitation, person=person)
    values = dict.fromkeys(("goal_reached", "trust_openness", "value_influence", "lead_open_will"), value)
    measurement.response_save(response=response, values=values, texts={"next": "Enemmän yhteisiä kokeiluja."})
    return measurement.response_submit(response=response)


def test_our_instrument_asks_the_seed_questions_in_three_languages():
    data = json.loads(INSTRUMENT_FILE.read_text(encoding="utf-8"))
    assert data["languages"] == ["fi", "sv", "en"]
    codes = {item["code"] for item in data["items"]}
    # the goal, results, effects and side effects, benefit, coordination, leadership and roles
    asked = {"goal_reached", "results", "effects", "side_effects", "benefit", "coordination", "leadership", "roles"}
    assert asked <= codes
    # trust, value and the four levels of leadership
    assert {"trust_openness", "trust_reliability", "trust_mission"} <= codes
    assert {"value_influence", "value_resources", "value_involvement"} <= codes
    assert {"lead_routine", "lead_open_mind", "lead_open_heart", "lead_open_will"} <= codes
    for item in data["items"]:
        assert set(item["text"]) == {"fi", "sv", "en"}
    # imported after migrate, through the measurement engine
    assert Instrument.objects.filter(code=evaluation.INSTRUMENT_CODE).exists()


def test_a_round_goes_to_the_members_with_an_account(world, personas):
    started = evaluation.evaluation_start(
        actor=personas.network_coordinator, network=world.a, closes_on=timezone.localdate() + IN_TWO_WEEKS
    )
    round_ = measurement_selectors.rounds_for_context(
        context_module="networks", context_ref=f"network:{world.a.pk}"
    ).get()
    assert round_.pk == started.round_id
    invited = set(round_.invitations.values_list("person_id", flat=True))
    # Leena, Matti and Eero; the resident without an account cannot be invited in the app
    assert invited == {personas.network_coordinator.pk, personas.network_member.pk, personas.expert.pk}
    assert measurement_selectors.my_invitations(person=personas.network_member).filter(round=round_).exists()


def test_only_a_coordinator_sends_a_round_and_a_wrong_date_is_refused_with_nothing_saved(world, personas):
    with pytest.raises(Forbidden):
        evaluation.evaluation_start(
            actor=personas.network_member, network=world.a, closes_on=timezone.localdate() + IN_TWO_WEEKS
        )
    for wrong in (None, timezone.localdate(), timezone.localdate() + dt.timedelta(days=200)):
        with pytest.raises(Refusal) as exc:
            evaluation.evaluation_start(actor=personas.network_coordinator, network=world.a, closes_on=wrong)
        assert exc.value.field == "closes_on"
    with pytest.raises(Refusal) as exc:
        evaluation.evaluation_start(
            actor=personas.network_coordinator,
            network=world.a,
            closes_on=timezone.localdate() + IN_TWO_WEEKS,
            closing=True,
        )
    assert exc.value.field == "closing"  # network A is not a project network
    assert not world.a.evaluations.exists()
    assert not measurement_selectors.rounds_for_context(context_module="networks", context_ref=f"network:{world.a.pk}")


def test_group_results_hide_small_groups_and_show_change_between_rounds(world, personas):
    others = _add_members(world, personas, 4)
    leena = personas.network_coordinator
    evaluation.evaluation_start(actor=leena, network=world.a, closes_on=timezone.localdate() + IN_TWO_WEEKS)
    for person in others[:3]:
        _answer(person, 3)
    [first] = evaluation.results(actor=personas.network_member, network=world.a)
    assert first.waiting_for_me  # Matti has not answered yet
    assert not first.report.shown  # three answers: under the smallest group of five
    assert first.report.mean is None
    assert not first.report.tables
    _answer(others[3], 3)
    _answer(personas.network_member, 3)
    [first] = evaluation.results(actor=personas.network_member, network=world.a)
    assert first.report.shown
    assert first.report.n == 5
    assert not first.waiting_for_me
    evaluation.evaluation_start(actor=leena, network=world.a, closes_on=timezone.localdate() + IN_TWO_WEEKS)
    for person in [*others, personas.network_member]:
        _answer(person, 5)
    first, second = evaluation.results(actor=leena, network=world.a)
    assert second.evaluation.phase == 1
    assert second.change.unpaired_difference == 2
    assert first.change is None


def test_a_project_network_closes_only_after_its_closing_evaluation(world, personas):
    leena = personas.network_coordinator
    services.network_update(
        actor=leena,
        network=world.a,
        data={"lifecycle": "project", "goal": "Kokousmalli vakiintuu", "ends_on": timezone.localdate() + IN_TWO_WEEKS},
    )
    with pytest.raises(Refusal) as exc:
        services.network_close(actor=leena, network=world.a)
    assert exc.value.code == "closing_evaluation_needed"
    world.a.refresh_from_db()
    assert world.a.closed_on is None

    evaluation.evaluation_start(
        actor=leena, network=world.a, closes_on=timezone.localdate() + IN_TWO_WEEKS, closing=True
    )
    with pytest.raises(Refusal) as exc:  # once
        evaluation.evaluation_start(
            actor=leena, network=world.a, closes_on=timezone.localdate() + IN_TWO_WEEKS, closing=True
        )
    assert exc.value.field == "closing"
    services.network_close(actor=leena, network=world.a)
    world.a.refresh_from_db()
    assert world.a.closed_on == timezone.localdate()
    # read only, history kept: no new rounds, the results still there
    with pytest.raises(Conflict):
        evaluation.evaluation_start(actor=leena, network=world.a, closes_on=timezone.localdate() + IN_TWO_WEEKS)
    [closing] = evaluation.results(actor=personas.network_member, network=world.a)
    assert closing.evaluation.closing


def test_evaluation_page_in_finnish_keeps_the_typed_date_and_is_404_outside_the_network(world, personas, login):
    client = login(personas.network_coordinator)
    url = reverse("networks:evaluation", args=[world.a.pk])
    page = client.post(url, {"closes_on": "2001-01-01"}, HTTP_ACCEPT_LANGUAGE="fi")
    assert page.status_code == 400
    text = page.content.decode()
    assert "Vastaamisen viimeisen päivän on oltava tämän päivän jälkeen." in text
    assert 'value="2001-01-01"' in text
    day = timezone.localdate() + IN_TWO_WEEKS
    sent = client.post(url, {"closes_on": day.isoformat()}, follow=True)
    assert "Arviointi on lähetetty jäsenille." in sent.content.decode()
    outsider = login(personas.participant)
    assert outsider.get(url).status_code == 404


def test_the_page_shows_the_group_results_once_five_have_answered_and_the_way_back(world, personas, login):
    others = _add_members(world, personas, 4)
    evaluation.evaluation_start(
        actor=personas.network_coordinator, network=world.a, closes_on=timezone.localdate() + IN_TWO_WEEKS
    )
    for person in [*others, personas.network_member]:
        _answer(person, 4)
    client = login(personas.expert)  # Eero, a member who has not answered
    page = client.get(reverse("networks:evaluation", args=[world.a.pk]), HTTP_ACCEPT_LANGUAGE="fi")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Vastaa arviointiin" in text  # his own invitation waits
    assert "5 / 7" in text  # answered of invited: Leena, Matti, Eero and four more
    assert "Verkosto pääsi sille asetettuun tavoitteeseen." in text  # an item's distribution
    assert "Enemmän yhteisiä kokeiluja" not in text  # nobody's open answer
    # measurement's way back from the answers to the network, for a member
    from osallisuus.networks.apps import network_link

    _label, url = network_link(f"network:{world.a.pk}", personas.network_member)
    assert url == reverse("networks:evaluation", args=[world.a.pk])
    assert network_link(f"network:{world.a.pk}", personas.participant) is None


def test_the_api_gives_the_rounds_with_small_groups_hidden(world, personas, login):
    evaluation.evaluation_start(
        actor=personas.network_coordinator, network=world.a, closes_on=timezone.localdate() + IN_TWO_WEEKS
    )
    _answer(personas.network_member, 5)
    client = login(personas.network_member)
    response = client.get(f"/api/v1/networks/{world.a.pk}/evaluation")
    assert response.status_code == 200, response.content
    [first] = response.json()
    assert first["invited"] == 3
    assert first["answered"] is None  # one answer: under the smallest group
    assert first["mean"] is None
    assert first["smallest_group"] == 5
    outsider = login(personas.participant)
    assert outsider.get(f"/api/v1/networks/{world.a.pk}/evaluation").status_code == 404
