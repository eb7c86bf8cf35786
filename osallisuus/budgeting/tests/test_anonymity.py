"""The secret ballot: the schema keeps the ballots apart from the list of who voted, no query or page
joins them, a staff member who helped cannot see the ballot afterwards, and neither the access log nor
the change events hold a choice."""

from __future__ import annotations

import re

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from osallisuus.budgeting import services
from osallisuus.budgeting.models import Ballot, BallotChoice, Participation, Process, Proposal, VotingCode
from osallisuus.core.models import AccessLogEntry, ChangeEvent

from .factories import build_world, publish

pytestmark = pytest.mark.django_db

BALLOT_TABLES = {Ballot._meta.db_table, BallotChoice._meta.db_table}
IDENTITY_TABLES = {Participation._meta.db_table, VotingCode._meta.db_table, "accounts_user", "core_changeevent"}
TABLE = re.compile(r'"?([a-z_]+)"?')


def test_schema__a_ballot_has_no_voter_no_time_no_method_and_a_random_id():
    allowed = {Ballot: {Process, BallotChoice}, BallotChoice: {Ballot, Proposal}}
    for model, related_models in allowed.items():
        related = {f.related_model for f in model._meta.get_fields() if f.is_relation}
        assert related == related_models, related
        assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in model._meta.concrete_fields)
        assert not {"method", "voter", "user", "code", "helped_by"} & {f.name for f in model._meta.get_fields()}
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    for model in (Participation, VotingCode):
        assert Ballot not in {f.related_model for f in model._meta.get_fields() if f.is_relation}
    assert not any(
        isinstance(f, models.DateTimeField) for f in VotingCode._meta.concrete_fields if f.name != "issued_at"
    )


def _tables(sql: str) -> set[str]:
    return {t for t in TABLE.findall(sql.lower()) if t in BALLOT_TABLES | IDENTITY_TABLES}


def test_no_query__joins_a_ballot_to_a_voter(personas, client, login):
    """Everything a process goes through, from votes of every kind to the published results and the
    Pabulib file, watched query by query: no statement reads a ballot together with a person."""
    world = build_world(personas)
    ids = [p.pk for p in world.proposals]
    code = services.codes_issue(actor=world.riikka, process=world.process, count=2)
    with CaptureQueriesContext(connection) as queries:
        services.ballot_cast(actor=world.aino, process=world.process, choices=ids[:1])
        services.ballot_cast(actor=world.aino, process=world.process, choices=ids[:2])
        services.ballot_cast_assisted(
            helper=world.riikka, process=world.process, person=personas.participant2, choices=ids[2:]
        )
        services.ballot_cast_with_code(process=world.process, code=code[0], choices=ids[1:])
        services.ballot_cast_with_code(process=world.process, code=code[1], choices=ids[:1], helper=world.riikka)
        login(world.aino)
        for url in (
            reverse("budgeting:process", args=[world.process.pk]),
            reverse("budgeting:ballot", args=[world.process.pk]),
            f"/api/v1/budgeting/processes/{world.process.pk}/ballot",
        ):
            assert client.get(url).status_code == 200, url
        login(world.riikka)
        for url in (
            reverse("budgeting:process", args=[world.process.pk]),
            reverse("budgeting:voters", args=[world.process.pk]),
            reverse("budgeting:assist", args=[world.process.pk]),
        ):
            assert client.get(url).status_code == 200, url
        publish(world)
        for url in (
            reverse("budgeting:results", args=[world.process.pk]),
            reverse("budgeting:pabulib", args=[world.process.pk]),
            f"/api/v1/budgeting/processes/{world.process.pk}/results",
        ):
            assert client.get(url).status_code == 200, url
    joined = [
        q["sql"]
        for q in queries.captured_queries
        if _tables(q["sql"]) & BALLOT_TABLES and _tables(q["sql"]) & IDENTITY_TABLES
    ]
    assert not joined, joined
    ballots = [q for q in queries.captured_queries if _tables(q["sql"]) & BALLOT_TABLES]
    assert ballots, "the watch saw the ballots being written and read"


def test_keys__wiped_when_voting_closes(personas):
    world = build_world(personas)
    services.ballot_cast(actor=world.aino, process=world.process, choices=[world.proposals[0].pk])
    assert services.own_ballot_choices(actor=world.aino, process=world.process) == {world.proposals[0].pk}
    world.advance("results")
    assert not Ballot.objects.filter(voter_key__isnull=False).exists()
    assert services.own_ballot_choices(actor=world.aino, process=world.process) == set()
    assert BallotChoice.objects.filter(ballot__process=world.process).count() == 1  # still counted


def test_helper__cannot_see_the_assisted_ballot_afterwards(personas, client, login):
    world = build_world(personas)
    chosen = world.proposals[2]
    services.ballot_cast_assisted(helper=world.riikka, process=world.process, person=world.aino, choices=[chosen.pk])
    login(world.riikka)
    assist = client.get(reverse("budgeting:assist", args=[world.process.pk])).content.decode()
    assert " checked" not in assist  # the form never shows what the person voted before
    voters = client.get(reverse("budgeting:voters", args=[world.process.pk])).content.decode()
    assert "Aino Mäkinen" in voters
    assert chosen.title not in voters
    assert client.get(reverse("budgeting:ballot", args=[world.process.pk])).status_code == 403
    assert client.get(reverse("budgeting:results", args=[world.process.pk])).status_code == 403  # not while voting
    api = client.get(f"/api/v1/budgeting/processes/{world.process.pk}/ballot").json()
    assert api == {"choices": [], "voted": False}
    # Aino herself sees her ballot (she can change it).
    login(world.aino)
    own = client.get(reverse("budgeting:ballot", args=[world.process.pk])).content.decode()
    assert f'value="{chosen.pk}" id="id_choices_2" data-cost="900.00" checked' in own


def test_access_log_and_change_events__hold_no_choices(personas, client, login):
    world = build_world(personas)
    titles = [p.title for p in world.proposals]
    code = services.codes_issue(actor=world.riikka, process=world.process, count=1)[0]
    services.ballot_cast(actor=world.aino, process=world.process, choices=[world.proposals[0].pk])
    services.ballot_cast_assisted(
        helper=world.riikka, process=world.process, person=personas.participant2, choices=[world.proposals[1].pk]
    )
    services.ballot_cast_with_code(process=world.process, code=code, choices=[world.proposals[2].pk])
    login(world.riikka)
    client.get(reverse("budgeting:voters", args=[world.process.pk]))
    client.get(reverse("budgeting:assist", args=[world.process.pk]))
    login(world.aino)
    client.get(reverse("budgeting:ballot", args=[world.process.pk]))
    entries = list(AccessLogEntry.objects.all())
    assert entries, "the staff's list of voters is logged"
    for entry in entries:
        assert not entry.object_type.startswith("budgeting.ballot")
        text = " ".join([entry.purpose, entry.object_type, entry.object_id, entry.route])
        assert not any(title in text for title in titles)
        assert entry.object_id not in {str(p.pk) for p in world.proposals} or entry.object_type != "budgeting.proposal"
    for event in ChangeEvent.objects.filter(verb__startswith="budgeting.ballot"):
        assert event.target_type == "budgeting.process"
        assert event.data == {}
