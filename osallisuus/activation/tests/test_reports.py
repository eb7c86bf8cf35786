"""The activation report: no hidden figure can be worked out from the totals it publishes.

The small-cell rule is ``core.suppression`` (complementary suppression, floor from settings);
these tests run the real report functions on generated data and check what a reader of the
page could compute from it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osallisuus.accounts.models import Organisation, User
from osallisuus.activation import reports
from osallisuus.activation.models import Activity, Basket, Goal, Outcome, Plan, SignUp

BASKETS = [b for b, _label in Basket.choices]
STATUSES = [s for s, _label in Goal.Lifecycle.choices]
ACHIEVEMENTS = [a for a, _label in Goal.Achievement.choices]
PLAN_STATUSES = [s for s, _label in Plan.Status.choices]
KINDS = [k for k, _label in Outcome.Kind.choices]
# A person with several goals in one area of life is counted once there, by the goal that is
# most current (going on, then on a break, proposed, done, dropped).
PRECEDENCE = ["active", "on-hold", "proposed", "completed", "cancelled"]


@dataclass
class Person:
    plan_status: str
    goals: list[tuple[str, str, str]]
    """(basket, lifecycle status, achievement status)"""
    outcomes: list[str]
    places: list[str]
    """Baskets of the activities the person has a place in."""


people_strategy = st.lists(
    st.builds(
        Person,
        plan_status=st.sampled_from(PLAN_STATUSES),
        goals=st.lists(
            st.tuples(st.sampled_from(BASKETS), st.sampled_from(STATUSES), st.sampled_from(ACHIEVEMENTS)), max_size=4
        ),
        outcomes=st.lists(st.sampled_from(KINDS), max_size=2),
        places=st.lists(st.sampled_from(BASKETS), max_size=2, unique=True),
    ),
    max_size=45,
)


def _build(people: list[Person], org: Organisation) -> None:
    """The people's plans, goals, outcomes and places, written straight to the tables."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        [User(email=f"rep{start + i}@example.test", full_name=f"R {i}", password="!") for i in range(len(people))]
    )
    plans = Plan.objects.bulk_create(
        [Plan(participant=u, organisation=org, status=p.plan_status) for u, p in zip(users, people, strict=True)]
    )
    today = timezone.localdate()
    Goal.objects.bulk_create(
        [
            Goal(plan=plan, title="T", basket=b, lifecycle_status=s, achievement_status=a, start_on=today)
            for plan, p in zip(plans, people, strict=True)
            for b, s, a in p.goals
        ]
    )
    Outcome.objects.bulk_create(
        [
            Outcome(plan=plan, kind=k, achieved_on=today)
            for plan, p in zip(plans, people, strict=True)
            for k in p.outcomes
        ]
    )
    activities = {
        b: Activity.objects.create(
            provider=org, title=b, summary="s", baskets=f",{b},", area="A", schedule="ti", capacity=100
        )
        for b in BASKETS
    }
    SignUp.objects.bulk_create(
        [
            SignUp(activity=activities[b], participant=u, status=SignUp.Status.SIGNED_UP)
            for u, p in zip(users, people, strict=True)
            for b in p.places
        ]
    )


def _true_table(people: list[Person]) -> list[list[int]]:
    counts: Counter[tuple[str, str]] = Counter()
    for p in people:
        for basket in {b for b, _s, _a in p.goals}:
            status = min((s for b, s, _a in p.goals if b == basket), key=PRECEDENCE.index)
            counts[(basket, status)] += 1
    return [[counts[(b, s)] for s in STATUSES] for b in BASKETS]


def _check_vector(published: list[int | None], true: list[int], threshold: int, *, total_published: bool) -> None:
    for shown, n in zip(published, true, strict=True):
        assert shown is None or shown == n, "a shown figure is the true figure"
        if 0 < n < threshold:
            assert shown is None, f"a group of {n} is hidden"
    if total_published and sum(true) >= threshold:
        hidden = [i for i, shown in enumerate(published) if shown is None]
        # total − shown cells = the sum of the hidden ones: never one cell alone, never a small sum
        assert len(hidden) != 1
        assert not hidden or sum(true[i] for i in hidden) >= threshold


def _check_report(people: list[Person], data: dict, threshold: int) -> None:
    # the cross table and its per-area totals (the chart of participants with goals by area)
    table = _true_table(people)
    rows = data["goals"]["rows"]
    chart = [f.count for f in data["goals"]["chart"]]
    for r, true_row in enumerate(table):
        cells = rows[r]["cells"]
        total = chart[r]
        assert total is None or total == sum(true_row)
        assert rows[r]["total"] == total
        _check_vector(cells, true_row, threshold, total_published=total is not None)
        for shown, n in zip(cells, true_row, strict=True):
            if n == 0 and shown is not None:
                assert shown == 0
    # plans by status, with the number of all plans published
    plan_counts = [sum(1 for p in people if p.plan_status == s) for s in PLAN_STATUSES]
    published = [f.count for f in data["plans_by_status"]]
    _check_vector(published, plan_counts, threshold, total_published=data["plans_total"] is not None)
    assert data["active_plans"] == published[PLAN_STATUSES.index("active")]
    # people by how their goals are going, by outcome, by the area of their activities
    _check_vector(
        [f.count for f in data["achievement"]],
        [sum(1 for p in people if any(a == x for _b, _s, a in p.goals)) for x in ACHIEVEMENTS],
        threshold,
        total_published=False,
    )
    _check_vector(
        [f.count for f in data["outcomes"]],
        [sum(1 for p in people if k in p.outcomes) for k in KINDS],
        threshold,
        total_published=False,
    )
    _check_vector(
        [f.count for f in data["activities"]],
        [sum(1 for p in people if b in p.places) for b in BASKETS],
        threshold,
        total_published=False,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=people_strategy, threshold=st.sampled_from([5, 3, 7]))
def test_report__no_hidden_figure_can_be_worked_out_from_the_published_totals(db, people, threshold):
    with transaction.atomic():
        org = Organisation.objects.create(name="Hypo", kind="wellbeing_county")
        _build(people, org)
        with override_settings(SUPPRESSION_MIN_CELL_SIZE=threshold):
            data = reports.report(organisation_ids=[org.pk])
            _check_report(people, data, threshold)
            assert data["threshold"] == threshold
        transaction.set_rollback(True)


def _person(basket: str, status: str) -> Person:
    return Person(plan_status="active", goals=[(basket, status, "in-progress")], outcomes=[], places=[])


def test_report__the_subtraction_leak__one_hidden_cell_is_no_longer_total_minus_shown(db):
    # given 33 people with a goal in "meaningful doing": 5 proposed, 12 going on, 6 on a break,
    # 3 done and 7 dropped (each counted once), and the per-area total published beside the table
    counts = {"proposed": 5, "active": 12, "on-hold": 6, "completed": 3, "cancelled": 7}
    people = [_person("doing", status) for status, n in counts.items() for _ in range(n)]
    org = Organisation.objects.create(name="Leak", kind="wellbeing_county")
    _build(people, org)
    data = reports.report(organisation_ids=[org.pk])
    row = data["goals"]["rows"][BASKETS.index("doing")]["cells"]
    total = data["goals"]["chart"][BASKETS.index("doing")].count
    hidden = [i for i, c in enumerate(row) if c is None]
    # then the 3 people who are done are hidden, and the total minus the shown cells is not them
    assert row[STATUSES.index("completed")] is None
    assert total is None or len(hidden) >= 2
    if total is not None:
        assert total - sum(c for c in row if c is not None) != 3


def test_report__an_empty_group_shows_0_not_fewer_than_5(db):
    org = Organisation.objects.create(name="Zero", kind="wellbeing_county")
    _build([_person("doing", "active") for _ in range(8)], org)
    data = reports.report(organisation_ids=[org.pk])
    row = data["goals"]["rows"][BASKETS.index("doing")]["cells"]
    assert row[STATUSES.index("active")] == 8
    assert row[STATUSES.index("cancelled")] == 0
    assert data["goals"]["rows"][BASKETS.index("local")]["cells"] == [0, 0, 0, 0, 0]
    assert [f.count for f in data["outcomes"]] == [0] * len(KINDS)


@override_settings(SUPPRESSION_MIN_CELL_SIZE=8)
def test_report__the_threshold_comes_from_settings(db):
    org = Organisation.objects.create(name="Eight", kind="wellbeing_county")
    _build([_person("doing", "active") for _ in range(7)] + [_person("local", "active") for _ in range(9)], org)
    data = reports.report(organisation_ids=[org.pk])
    assert data["goals"]["chart"][BASKETS.index("doing")].count is None  # 7 people, fewer than 8
    assert data["threshold"] == 8


def test_report_page__hidden_groups_are_named_hidden_and_the_meeting_wait_needs_five_people(personas, login):
    org = personas.organisations["county"]
    _build([_person("doing", "active") for _ in range(6)] + [_person("local", "active") for _ in range(2)], org)
    with translation.override("fi"):
        body = login(personas.analyst).get(reverse("activation:reports"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert ">alle 5<" not in body.lower()  # a hidden group is "hidden", never "fewer than 5"
    assert ">piilotettu<" in body.lower()
    assert "R 1" not in body


def test_meeting_wait__four_people__is_hidden_and_five__is_shown(db):
    from osallisuus.activation.models import Meeting

    org = Organisation.objects.create(name="Wait", kind="wellbeing_county")
    _build([_person("doing", "active") for _ in range(5)], org)
    plans = list(Plan.objects.filter(organisation=org).order_by("pk"))
    now = timezone.now()
    for plan in plans[:4]:
        Meeting.objects.create(
            plan=plan,
            with_whom="own_worker",
            topic="t",
            requested_at=now - dt.timedelta(days=2),
            starts_at=now,
            status="scheduled",
        )
    assert reports.report(organisation_ids=[org.pk])["meetings"]["median"] is None
    Meeting.objects.create(
        plan=plans[4],
        with_whom="own_worker",
        topic="t",
        requested_at=now - dt.timedelta(days=4),
        starts_at=now,
        status="scheduled",
    )
    shown = reports.report(organisation_ids=[org.pk])["meetings"]
    assert shown["median"] == pytest.approx(2.0)
    assert shown["people"] == 5
