"""The admin site shows processes, proposals and purchases to look up, and never a ballot, a voting
code or the list of who voted; nothing can be changed there (changes go through the services)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from osallisuus.budgeting.models import Ballot, BallotChoice, EligibleVoter, Participation, VotingCode

from .factories import build_world

pytestmark = pytest.mark.django_db


def test_admin__lists_processes_and_proposals_read_only(personas, client, login):
    world = build_world(personas)
    login(personas.administrator)
    page = client.get(reverse("admin:budgeting_process_changelist"))
    assert page.status_code == 200
    assert world.process.name in page.content.decode()
    detail = client.get(reverse("admin:budgeting_process_change", args=[world.process.pk]))
    assert detail.status_code == 200
    assert client.post(reverse("admin:budgeting_process_change", args=[world.process.pk]), {}).status_code == 403
    assert client.get(reverse("admin:budgeting_process_add")).status_code == 403
    assert client.get(reverse("admin:budgeting_process_delete", args=[world.process.pk])).status_code == 403
    proposals = client.get(reverse("admin:budgeting_proposal_changelist"))
    assert proposals.status_code == 200
    assert world.proposals[0].title in proposals.content.decode()


def test_admin__has_no_ballots_codes_or_lists_of_voters():
    for model in (Ballot, BallotChoice, VotingCode, Participation, EligibleVoter):
        assert not admin.site.is_registered(model), model


def test_admin__is_closed_to_staff_who_are_not_administrators(personas, client, login):
    login(personas.coordinator)
    assert client.get(reverse("admin:budgeting_process_changelist")).status_code in {302, 403}
