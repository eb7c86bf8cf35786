"""The rules of a participatory budgeting process as the people in it meet them: phases, proposals and
their checks, ballots of the three styles, voting codes, assisted voting, the count, purchases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation

from osallisuus.budgeting import permissions, services
from osallisuus.budgeting.models import (
    Ballot,
    BallotChoice,
    Participation,
    Process,
    Proposal,
    ProposalEvent,
    Purchase,
    Result,
    VotingCode,
)
from osallisuus.core.errors import Conflict, Forbidden, Refusal
from osallisuus.core.models import Notification

from .factories import build_world, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are read in English here (the pages show them in the reader's language)."""
    with translation.override("en"):
        yield


def _ids(world, *indexes):
    return [world.proposals[i].pk for i in indexes]


# -- the process -----------------------------------------------------------------------------------
def test_rules__cannot_change_after_voting_started__name_and_dates_still_can(personas):
    world = build_world(personas)
    before = Process.objects.get(pk=world.process.pk)
    for field, value in [
        ("winner_rule", Process.WinnerRule.EQUAL_SHARES),
        ("budget", Decimal("9999")),
        ("ballot_style", Process.BallotStyle.KNAPSACK),
        ("third_sector_minimum", 2),
    ]:
        with pytest.raises(Refusal) as refused:
            services.process_update(actor=world.riikka, process=world.process, data={field: value})
        assert refused.value.code == "rules_locked"
        assert "cannot be changed after voting has started" in refused.value.message
    after = Process.objects.get(pk=world.process.pk)
    assert (after.winner_rule, after.budget, after.ballot_style, after.third_sector_minimum) == (
        before.winner_rule,
        before.budget,
        before.ballot_style,
        before.third_sector_minimum,
    )
    services.process_update(actor=world.riikka, process=world.process, data={"name": "Uusi nimi"})
    assert Process.objects.get(pk=world.process.pk).name == "Uusi nimi"


def test_rules__can_change_while_proposals_are_made(personas):
    world = build_world(personas, phase=Process.Phase.PROPOSALS)
    services.process_update(actor=world.riikka, process=world.process, data={"winner_rule": "equal_shares"})
    assert world.refresh().winner_rule == "equal_shares"


def test_process__only_its_own_staff_change_it(personas):
    world = build_world(personas, phase=Process.Phase.PROPOSALS)
    with pytest.raises(Forbidden):
        services.process_update(actor=personas.civic_unit, process=world.process, data={"name": "Kaappaus"})
    with pytest.raises(Forbidden):
        services.process_advance(actor=personas.participant, process=world.process, to="costing")
    assert world.refresh().name == "Pajan porukan yhteinen raha"


def test_process__phases_in_wrong_order_are_refused(personas):
    world = build_world(personas, phase=Process.Phase.DRAFT)
    data = {"voting_until": world.process.voting_from - dt.timedelta(days=1)}
    with pytest.raises(Refusal) as refused:
        services.process_update(actor=world.riikka, process=world.process, data=data)
    assert refused.value.field == "voting_until"
    assert world.refresh().voting_until > world.process.voting_from


def test_advance__a_second_click_does_not_skip_a_phase(personas):
    world = build_world(personas, phase=Process.Phase.DRAFT)
    world.advance("proposals")
    with pytest.raises(Conflict):
        services.process_advance(actor=world.riikka, process=world.process, to="proposals")
    assert world.refresh().phase == "proposals"


def test_voting_cannot_start_while_proposals_wait_for_the_check(personas):
    world = build_world(personas, phase=Process.Phase.PROPOSALS)
    world.advance("costing")
    with pytest.raises(Refusal) as refused:
        world.advance("voting")
    assert "3 proposals still wait for the check" in refused.value.message
    assert world.refresh().phase == "costing"


# -- who may vote ---------------------------------------------------------------------------------
def test_voters__the_activity_participants_and_nobody_else(personas):
    world = build_world(personas)
    assert permissions.is_eligible(personas.participant, world.process)
    assert permissions.is_eligible(personas.participant2, world.process)
    for outsider in ("own_worker", "civic_unit", "applicant", "activity_provider"):
        assert not permissions.is_eligible(personas[outsider], world.process)
    assert set(permissions.eligible_ids(world.process)) == {personas.participant.pk, personas.participant2.pk}


def test_voters__a_list_the_staff_keep(personas):
    world = build_world(personas, phase=Process.Phase.DRAFT)
    services.process_update(actor=world.riikka, process=world.process, data={"electorate": "list"})
    services.eligible_add(actor=world.riikka, process=world.process, email=personas.participant2.email)
    with pytest.raises(Refusal) as twice:
        services.eligible_add(actor=world.riikka, process=world.process, email=personas.participant2.email)
    assert twice.value.field == "email"
    with pytest.raises(Refusal) as unknown:
        services.eligible_add(actor=world.riikka, process=world.process, email="ei.ketaan@example.fi")
    assert "voting code" in unknown.value.message
    world.advance("proposals")
    assert permissions.is_eligible(personas.participant2, world.process)
    assert not permissions.is_eligible(personas.participant, world.process)


def test_voters__everyone_of_an_organisation_who_may_take_part(personas):
    world = build_world(personas, phase=Process.Phase.DRAFT)
    services.process_update(
        actor=world.riikka,
        process=world.process,
        data={"electorate": "organisation", "electorate_organisation": personas.organisations["county"]},
    )
    world.advance("proposals")
    assert permissions.is_eligible(personas.participant, world.process)
    assert not permissions.is_eligible(personas.own_worker, world.process)  # staff of the county, not a participant


# -- proposals -------------------------------------------------------------------------------------
def test_proposal__revised_keeps_history_and_is_checked_again(personas):
    world = build_world(personas, phase=Process.Phase.COSTING)
    proposal = world.proposals[0]
    services.proposal_revise(
        actor=personas.participant,
        proposal=proposal,
        data={"title": "Katos ja penkit skeittiparkkiin", "for_whom": "Nuorille.", "why": "Sateella."},
    )
    proposal.refresh_from_db()
    assert proposal.version == 2
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.cost is None
    kinds = list(proposal.history.values_list("kind", "version", "title"))
    assert kinds == [
        ("written", 1, "Katos skeittiparkkiin"),
        ("checked", 1, "Katos skeittiparkkiin"),
        ("revised", 2, "Katos ja penkit skeittiparkkiin"),
    ]


def test_proposal__negative_or_zero_cost_is_refused_and_nothing_changes(personas):
    world = build_world(personas, phase=Process.Phase.PROPOSALS)
    proposal = world.proposals[0]
    for cost in (Decimal("-650"), Decimal("0")):
        with pytest.raises(Refusal) as refused:
            services.proposal_decide(actor=world.riikka, proposal=proposal, feasible=True, cost=cost)
        assert refused.value.field == "cost"
        assert refused.value.message == "The cost must be more than 0 €."
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.cost is None
    assert not proposal.history.filter(kind=ProposalEvent.Kind.CHECKED).exists()


def test_proposal__not_feasible_needs_a_reason_the_proposers_see(personas):
    world = build_world(personas, phase=Process.Phase.PROPOSALS)
    proposal = world.proposals[2]
    with pytest.raises(Refusal) as refused:
        services.proposal_decide(actor=world.riikka, proposal=proposal, feasible=False)
    assert refused.value.field == "reason"
    services.proposal_decide(
        actor=world.riikka, proposal=proposal, feasible=False, reason="Kansallispuisto on liian kaukana."
    )
    notice = Notification.objects.filter(user=personas.participant, kind="budgeting.proposal_checked").latest("pk")
    assert "Kansallispuisto on liian kaukana." in notice.message
    assert "Kansallispuisto" not in notice.subject


def test_proposal__only_in_the_proposal_phase_and_only_by_the_group(personas):
    world = build_world(personas)
    with pytest.raises(Refusal):
        services.proposal_create(
            actor=personas.participant, process=world.process, data={"title": "X", "for_whom": "Y", "why": "Z"}
        )
    assert world.process.proposals.count() == 3


def test_proposal__made_together_with_the_link(personas):
    world = build_world(personas, phase=Process.Phase.PROPOSALS)
    proposal = world.proposals[0]
    with pytest.raises(Refusal):
        services.proposal_join(actor=personas.participant2, proposal=proposal, token="wrong")
    services.proposal_join(actor=personas.participant2, proposal=proposal, token=proposal.join_token)
    assert set(proposal.authors.values_list("person_id", flat=True)) == {
        personas.participant.pk,
        personas.participant2.pk,
    }
    assert permissions.can_revise(personas.participant2, proposal)


# -- ballots -----------------------------------------------------------------------------------------
def test_ballot__one_per_voter_changeable_until_voting_closes(personas):
    world = build_world(personas)
    services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 0))
    services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 1, 2))
    assert Ballot.objects.filter(process=world.process).count() == 1
    assert services.own_ballot_choices(actor=world.aino, process=world.process) == set(_ids(world, 1, 2))
    assert Participation.objects.get(process=world.process, voter=world.aino).method == "online"


def test_ballot__outside_the_voting_phase_is_refused(personas):
    world = build_world(personas, phase=Process.Phase.COSTING)
    with pytest.raises(Refusal) as refused:
        services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 0))
    assert refused.value.code == "voting_closed"
    assert "Voting is not open yet" in refused.value.message
    assert not Ballot.objects.exists()
    assert not Participation.objects.exists()


def test_ballot__after_the_last_voting_day_is_refused(personas):
    world = build_world(personas)
    Process.objects.filter(pk=world.process.pk).update(voting_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(Refusal) as refused:
        services.ballot_cast(actor=world.aino, process=world.refresh(), choices=_ids(world, 0))
    assert "Voting has closed" in refused.value.message
    assert not Ballot.objects.exists()


def test_ballot__knapsack_over_the_budget_is_refused_with_what_to_leave_out(personas):
    world = build_world(personas, ballot_style=Process.BallotStyle.KNAPSACK)  # budget 1 500 €
    with pytest.raises(Refusal) as refused:
        services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 0, 1, 2))
    assert refused.value.field == "choices"
    assert refused.value.code == "over_budget"
    assert refused.value.message == (
        "Your choices cost €1,950.00 together, but the budget is €1,500.00. Leave out proposals worth at least €450.00."
    )
    assert not Ballot.objects.exists()
    assert not Participation.objects.exists()
    services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 0, 1))
    assert BallotChoice.objects.count() == 2


def test_ballot__knapsack_minimum_share(personas):
    world = build_world(personas, ballot_style=Process.BallotStyle.KNAPSACK, min_share_percent=50)
    with pytest.raises(Refusal) as refused:
        services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 1))  # 400 € < 750 €
    assert refused.value.code == "under_minimum"
    services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 2))  # 900 €


def test_ballot__limited_number_of_votes(personas):
    world = build_world(personas, ballot_style=Process.BallotStyle.LIMITED, max_choices=2)
    with pytest.raises(Refusal) as refused:
        services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 0, 1, 2))
    assert refused.value.code == "too_many"
    services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 0, 1))


def test_ballot__only_proposals_on_the_ballot(personas):
    world = build_world(personas)
    with pytest.raises(Refusal):
        services.ballot_cast(actor=world.aino, process=world.process, choices=[999999])
    with pytest.raises(Refusal):
        services.ballot_cast(actor=world.aino, process=world.process, choices=[])
    assert not Ballot.objects.exists()


# -- voting codes -----------------------------------------------------------------------------------
def test_codes__kept_only_as_hashes_and_vote_once(personas):
    world = build_world(personas)
    codes = services.codes_issue(actor=world.riikka, process=world.process, count=3)
    assert len(set(codes)) == 3
    stored = list(VotingCode.objects.values_list("code_hash", flat=True))
    for code in codes:
        assert code not in stored
        assert services.normalise_code(code) not in stored
        assert services.code_hash(code) in stored
    services.ballot_cast_with_code(process=world.process, code=codes[0].lower(), choices=_ids(world, 0))
    with pytest.raises(Refusal) as again:
        services.ballot_cast_with_code(process=world.process, code=codes[0], choices=_ids(world, 1))
    assert again.value.code == "code_used"
    assert Ballot.objects.count() == 1
    assert Participation.objects.get(process=world.process).method == "code"


def test_codes__a_code_from_another_process_is_refused(personas):
    world = build_world(personas)
    other = build_world(personas, name="Toinen äänestys")
    code = services.codes_issue(actor=world.riikka, process=other.process, count=1)[0]
    with pytest.raises(Refusal) as refused:
        services.ballot_cast_with_code(process=world.process, code=code, choices=_ids(world, 0))
    assert refused.value.code == "code_other_process"
    assert refused.value.field == "code"
    assert not Ballot.objects.exists()
    assert not VotingCode.objects.get(process=other.process).used


def test_codes__a_wrong_code_is_refused(personas):
    world = build_world(personas)
    with pytest.raises(Refusal) as refused:
        services.ballot_cast_with_code(process=world.process, code="AAAA-BBBB-CCCC", choices=_ids(world, 0))
    assert refused.value.code == "code_invalid"


def test_codes__a_member_who_used_a_code_cannot_vote_again_with_the_account(personas):
    world = build_world(personas)
    code = services.codes_issue(actor=world.riikka, process=world.process, count=1)[0]
    services.ballot_cast_with_code(process=world.process, code=code, choices=_ids(world, 0), actor=world.aino)
    with pytest.raises(Refusal) as refused:
        services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 1))
    assert refused.value.code == "voted_with_code"
    assert Ballot.objects.count() == 1


# -- assisted voting ---------------------------------------------------------------------------------
def test_assisted__logged_with_the_helper_and_the_person_is_told(personas):
    world = build_world(personas)
    services.ballot_cast_assisted(helper=world.riikka, process=world.process, person=world.aino, choices=_ids(world, 2))
    participation = Participation.objects.get(process=world.process, voter=world.aino)
    assert participation.method == "assisted"
    assert participation.helped_by == world.riikka
    assert services.own_ballot_choices(actor=world.aino, process=world.process) == set(_ids(world, 2))
    assert services.own_ballot_choices(actor=world.riikka, process=world.process) == set()
    notice = Notification.objects.get(user=world.aino, kind="budgeting.assisted")
    assert world.proposals[2].title not in notice.message


def test_assisted__only_for_the_group_and_only_by_the_staff(personas):
    world = build_world(personas)
    with pytest.raises(Refusal):
        services.ballot_cast_assisted(
            helper=world.riikka, process=world.process, person=personas.own_worker, choices=_ids(world, 0)
        )
    with pytest.raises(Forbidden):
        services.ballot_cast_assisted(
            helper=personas.civic_unit, process=world.process, person=world.aino, choices=_ids(world, 0)
        )
    assert not Ballot.objects.exists()


# -- the count, the results, the purchases -------------------------------------------------------------
def test_count__closing_the_voting_counts_and_wipes_the_keys(personas):
    world = build_world(personas)
    services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 0, 1))
    services.ballot_cast(actor=personas.participant2, process=world.process, choices=_ids(world, 0))
    assert Ballot.objects.filter(voter_key__isnull=False).count() == 2
    world.advance("results")
    assert not Ballot.objects.filter(voter_key__isnull=False).exists()
    result = Result.objects.get(process=world.process)
    assert result.explanation["winners"] == _ids(world, 0, 1)  # 650 + 400 of 1 500 €; 900 € did not fit
    assert result.spent == Decimal("1050.00")
    with pytest.raises(Refusal):
        services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 2))


def test_results__published_to_the_group(personas):
    world = build_world(personas)
    services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 0))
    mail.outbox.clear()
    publish(world)
    assert Notification.objects.filter(user=world.aino, kind="budgeting.results").exists()
    with pytest.raises(Conflict):
        services.results_publish(actor=world.riikka, process=world.process)


def test_purchase__only_a_winner_within_the_budget(personas):
    world = build_world(personas)
    services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 0, 1))
    publish(world)
    winner, loser = world.proposals[1], world.proposals[2]
    today = timezone.localdate()
    with pytest.raises(Refusal):
        services.purchase_record(
            actor=world.riikka,
            proposal=loser,
            kind="purchase",
            amount=Decimal("900"),
            agreed_on=today,
            provider_name="Joku",
        )
    with pytest.raises(Refusal) as over:
        services.purchase_record(
            actor=world.riikka,
            proposal=winner,
            kind="grant",
            amount=Decimal("1600"),
            agreed_on=today,
            provider=personas.organisations["ngo2"],
        )
    assert over.value.code == "over_budget"
    with pytest.raises(Refusal) as negative:
        services.purchase_record(
            actor=world.riikka,
            proposal=winner,
            kind="grant",
            amount=Decimal("-1"),
            agreed_on=today,
            provider=personas.organisations["ngo2"],
        )
    assert negative.value.field == "amount"
    assert not Purchase.objects.exists()
    purchase = services.purchase_record(
        actor=world.riikka,
        proposal=winner,
        kind="grant",
        amount=Decimal("400"),
        agreed_on=today,
        provider=personas.organisations["ngo2"],
    )
    use = services.budget_use(world.process)
    assert use == {
        "budget": Decimal("1500.00"),
        "committed": Decimal("400.00"),
        "delivered": Decimal("0.00"),
        "left": Decimal("1100.00"),
    }
    services.purchase_deliver(actor=personas.applicant, purchase=purchase, delivered_on=today, note="Höylä ostettu.")
    use = services.budget_use(world.process)
    assert (use["committed"], use["delivered"], use["left"]) == (Decimal("0.00"), Decimal("400.00"), Decimal("1100.00"))
    assert Notification.objects.filter(user=world.aino, kind="budgeting.delivered").exists()


def test_feedback__through_the_measurement_engine_once(personas):
    from osallisuus.measurement import services as measurement

    world = build_world(personas)
    services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 1))
    publish(world)
    purchase = services.purchase_record(
        actor=world.riikka,
        proposal=world.proposals[1],
        kind="grant",
        amount=Decimal("400"),
        agreed_on=timezone.localdate(),
        provider=personas.organisations["ngo2"],
    )
    with pytest.raises(Refusal):
        services.feedback_start(actor=world.aino, purchase=purchase)  # not delivered yet
    purchase = services.purchase_deliver(
        actor=world.riikka, purchase=purchase, delivered_on=timezone.localdate(), note="Tehty."
    )
    response = services.feedback_start(actor=world.aino, purchase=purchase)
    assert response.instrument.code == "budgeting-delivery-feedback"
    assert (response.context_module, response.context_ref) == ("budgeting", f"purchase:{purchase.pk}")
    measurement.response_save(response=response, values={"as_proposed": 5, "useful": 4, "heard": 5, "again": 5})
    measurement.response_submit(response=response)
    with pytest.raises(Refusal):
        services.feedback_start(actor=world.aino, purchase=purchase)
    with pytest.raises(Forbidden):
        services.feedback_start(actor=personas.own_worker, purchase=purchase)


def test_feedback__measurement_leads_back_to_the_process_for_the_group_only(personas):
    from osallisuus.budgeting.apps import process_link

    world = build_world(personas)
    services.ballot_cast(actor=world.aino, process=world.process, choices=_ids(world, 1))
    publish(world)
    purchase = services.purchase_record(
        actor=world.riikka,
        proposal=world.proposals[1],
        kind="grant",
        amount=Decimal("400"),
        agreed_on=timezone.localdate(),
        provider=personas.organisations["ngo2"],
    )
    label, url = process_link(f"purchase:{purchase.pk}", world.aino)
    assert (label, url) == ("Back to participatory budgeting", f"/budgeting/{world.process.pk}/")
    assert process_link(f"purchase:{purchase.pk}", personas.own_worker) is None
    assert process_link("agreement:1", world.aino) is None


def test_proposers__a_co_proposer_sees_the_others_names_and_each_read_is_logged(personas, client, login):
    from django.urls import reverse

    from osallisuus.core.models import AccessLogEntry

    world = build_world(personas, phase=Process.Phase.PROPOSALS)
    proposal = world.proposals[0]
    services.proposal_join(actor=personas.participant2, proposal=proposal, token=proposal.join_token)
    login(personas.participant2)
    page = client.get(reverse("budgeting:proposal", args=[proposal.pk])).content.decode()
    assert "Aino Mäkinen" in page
    entry = AccessLogEntry.objects.get(actor=personas.participant2)
    assert (entry.subject_id, entry.purpose) == (world.aino.pk, "budgeting proposers")
    login(personas.activity_provider)
    staff_page = client.get(reverse("budgeting:proposal", args=[proposal.pk])).content.decode()
    assert "Aino Mäkinen" not in staff_page
    assert "Jari Kööpikkä" not in staff_page
