"""Matching: who is a candidate at all, and in which order the coordinator sees them.

The ranking runs in the database; a property test compares it with the same rules written
out in Python for random pools of experts.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osallisuus.accounts.models import User
from osallisuus.experts import matching, services
from osallisuus.experts.models import Agreement, ExperienceArea, Expert, Offer, TaskRequest, TaskType

from .factories import build_world, make_expert

pytestmark = pytest.mark.django_db

_serial = itertools.count()


@pytest.fixture
def world(personas):
    return build_world(personas)


def _person(name: str = "Testi") -> User:
    n = next(_serial)
    return User.objects.create_user(f"match{n}@example.invalid", "x", full_name=f"{name} {n}")


def _expert(world, **fields) -> Expert:
    return make_expert(_person(), world.personas.organisations["ngo"], **fields)


def _mid_month(months_ahead: int = 1) -> dt.timedelta:
    """How far ahead 10:00 on the 15th of a later month is: room for other tasks that month."""
    today = timezone.localdate()
    first = (today.replace(day=1) + dt.timedelta(days=32 * months_ahead)).replace(day=1)
    at = timezone.make_aware(dt.datetime.combine(first.replace(day=15), dt.time(10)))
    return at - timezone.now()


def _ids(request: TaskRequest) -> list[int]:
    return [e.pk for e in matching.candidates(request, limit=500)]


def _busy(world, expert: Expert, at: dt.datetime, *, minutes: int = 60) -> Agreement:
    """An agreed task for ``expert`` at ``at`` (made directly: only its time matters here)."""
    request = world.request(title="Toinen tehtävä", starts_in=at - timezone.now(), duration_minutes=minutes)
    offer = Offer.objects.create(
        request=request, expert=expert, offered_by=world.personas.coordinator, status=Offer.Status.ACCEPTED
    )
    return Agreement.objects.create(
        request=request,
        offer=offer,
        expert=expert,
        starts_at=at,
        ends_at=at + dt.timedelta(minutes=minutes),
        schedule=world.schedule,
        fee=Decimal("100.00"),
        terms="-",
    )


def test_hard_conditions__leave_out_everyone_who_cannot_take_the_task(world):
    request = world.request(language="sv")
    fits = _expert(world)
    paused = _expert(world, paused_until=timezone.localdate() + dt.timedelta(days=30))
    untrained = _expert(world, trained=False)
    finnish_only = _expert(world, languages=",fi,")
    remote_only = _expert(world, works_on_site=False)
    not_active = _expert(world, status=Expert.Status.INACTIVE)
    deactivated = _expert(world)
    User.objects.filter(pk=deactivated.user_id).update(is_active=False)
    other_org = make_expert(_person(), world.personas.organisations["county"])
    busy = _expert(world)
    _busy(world, busy, request.starts_at + dt.timedelta(minutes=30))
    offered = _expert(world)
    services.offer_make(actor=world.personas.coordinator, request=request, experts=[offered])

    found = _ids(request)

    assert fits.pk in found
    for left_out in (paused, untrained, finnish_only, remote_only, not_active, deactivated, other_org, busy, offered):
        assert left_out.pk not in found


def test_a_pause_that_ends_before_the_task_day__does_not_exclude(world):
    request = world.request(starts_in=dt.timedelta(days=10))
    back_soon = _expert(world, paused_until=timezone.localdate() + dt.timedelta(days=3))
    assert back_soon.pk in _ids(request)


def test_ranking__experience_region_and_task_type_come_first_then_the_least_busy(world):
    request = world.request(starts_in=_mid_month())
    other_area = ExperienceArea.objects.exclude(code="mental_health").first()
    lecture = TaskType.objects.get(code="lecture")
    best = _expert(world)
    best.task_types.set([lecture])
    no_type = _expert(world)
    elsewhere = _expert(world, region="Uusimaa")
    elsewhere.task_types.set([lecture])
    wrong_area = _expert(world)
    wrong_area.experience_areas.set([other_area])
    wrong_area.task_types.set([lecture])
    busy_this_month = _expert(world)
    busy_this_month.task_types.set([lecture])
    _busy(world, busy_this_month, request.starts_at + dt.timedelta(hours=4))

    found = _ids(request)
    order = [found.index(e.pk) for e in (best, busy_this_month, no_type, elsewhere, wrong_area)]
    # 70 points; 70 - 5; 60; 50; 30.
    assert order == sorted(order)


def test_ranking__among_equals_the_one_offered_work_longest_ago_comes_first(world):
    request = world.request()
    now = timezone.now()
    recent = _expert(world, last_offered_at=now - dt.timedelta(days=2))
    long_ago = _expert(world, last_offered_at=now - dt.timedelta(days=200))
    never = _expert(world, last_offered_at=None)
    found = _ids(request)
    assert found.index(never.pk) < found.index(long_ago.pk) < found.index(recent.pk)


def test_candidates__carry_the_reasons_shown_to_the_coordinator(world):
    request = world.request()
    from django.utils import translation

    with translation.override("en"):
        first = matching.candidates(request)[0]
        assert "Has the experience asked for" in first.reasons
        assert "Available and not paused" in first.reasons


EXPERT = st.fixed_dictionaries(
    {
        "area": st.booleans(),
        "region": st.booleans(),
        "task_type": st.booleans(),
        "tasks": st.integers(min_value=0, max_value=2),
        "offered_days_ago": st.one_of(st.none(), st.integers(min_value=1, max_value=3)),
    }
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pool=st.lists(EXPERT, min_size=1, max_size=7))
def test_property__database_ranking_matches_the_rules_written_out(world, pool):
    lecture = TaskType.objects.get(code="lecture")
    other_area = ExperienceArea.objects.exclude(code="mental_health").first()
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        request = world.request(starts_in=_mid_month(2))
        made = []
        for spec in pool:
            last = None if spec["offered_days_ago"] is None else now - dt.timedelta(days=spec["offered_days_ago"])
            expert = _expert(world, region="Järvi-Suomi" if spec["region"] else "Lappi", last_offered_at=last)
            if not spec["area"]:
                expert.experience_areas.set([other_area])
            if spec["task_type"]:
                expert.task_types.set([lecture])
            for i in range(spec["tasks"]):
                _busy(world, expert, request.starts_at + dt.timedelta(days=1 + i))
            made.append((expert, spec, last))
        # Eero and Päivi of the world take part too: both match area and region, no tasks.
        for expert in (world.eero, world.paivi):
            made.append(
                (expert, {"area": True, "region": True, "task_type": False, "tasks": 0}, expert.last_offered_at)
            )

        def key(row):
            expert, spec, last = row
            score = 40 * spec["area"] + 20 * spec["region"] + 10 * spec["task_type"] - 5 * spec["tasks"]
            never = last is None
            return (-score, spec["tasks"], not never, last or now, expert.pk)

        expected = [expert.pk for expert, _, _ in sorted(made, key=key)]
        assert _ids(request) == expected
        transaction.set_rollback(True)


def test_ranked_table__shows_only_the_reasons_that_differ_and_keeps_every_reason_for_details(world):
    from osallisuus.experts import matching

    req = world.request()
    found = matching.candidates(req)
    rows = matching.ranked_table(found)
    assert [r.expert.pk for r in rows] == [e.pk for e in found]
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    shared = set.intersection(*(set(r.reasons) for r in rows))
    for row in rows:
        assert not shared & set(row.differs)  # a reason all share tells nothing about the choice
        assert set(row.differs) <= set(row.reasons)
        assert row.reasons == matching.annotation(row.expert, "reasons", [])
