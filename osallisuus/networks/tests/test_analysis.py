"""The analysis on small graphs whose answers are known by hand, and the snapshot's ties on a date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osallisuus.networks.analysis import Edge, analyse, change
from osallisuus.networks.services import meeting_ties


def test_path_of_five():
    # 1-2-3-4-5: the middle one lies on most shortest paths; 2, 3, 4 would each split it.
    result = analyse([1, 2, 3, 4, 5], [Edge(1, 2), Edge(2, 3), Edge(3, 4), Edge(4, 5)])
    b = result["betweenness"]
    # Normalised by (n-1)(n-2)/2 = 6: node 3 is between 4 pairs, nodes 2 and 4 between 3 pairs.
    assert b[3] == pytest.approx(4 / 6)
    assert b[2] == pytest.approx(3 / 6)
    assert b[4] == pytest.approx(3 / 6)
    assert b[1] == 0
    assert result["articulation"] == [2, 3, 4]
    assert result["low_degree"] == [1, 5]
    assert result["density"] == pytest.approx(4 / 10)
    assert result["transitivity"] == 0


def test_star():
    result = analyse([0, 1, 2, 3, 4], [Edge(0, i) for i in range(1, 5)])
    assert result["betweenness"][0] == pytest.approx(1.0)
    assert all(result["betweenness"][i] == 0 for i in range(1, 5))
    assert result["articulation"] == [0]
    assert result["isolates"] == []
    assert result["low_degree"] == [1, 2, 3, 4]


def test_two_cliques_joined_by_a_bridge():
    left = [1, 2, 3, 4]
    right = [5, 6, 7, 8]
    edges = [Edge(a, b) for group in (left, right) for i, a in enumerate(group) for b in group[i + 1 :]]
    edges.append(Edge(4, 5))
    result = analyse([*left, *right, 9], edges)
    assert result["articulation"] == [4, 5]
    assert result["isolates"] == [9]
    assert sorted(map(sorted, result["communities"])) == [left, right]
    top = sorted(result["betweenness"], key=lambda n: -result["betweenness"][n])[:2]
    assert sorted(top) == [4, 5]
    assert len(result["components"]) == 2


def test_change_between_two_dates():
    diff = change(
        members_before={1, 2, 3}, members_after={2, 3, 4}, ties_before={(1, 2), (2, 3)}, ties_after={(2, 3), (3, 4)}
    )
    assert diff == {"joined": [4], "left": [1], "gained": [(3, 4)], "lost": [(1, 2)]}


START = dt.date(2024, 1, 1)


@settings(max_examples=60, deadline=None)
@given(
    attendance=st.lists(
        st.tuples(st.integers(0, 30), st.lists(st.integers(1, 6), min_size=0, max_size=6, unique=True)),
        min_size=1,
        max_size=12,
    ),
    probe=st.integers(0, 900),
)
def test_snapshot_on_a_date_holds_exactly_the_ties_valid_then(attendance, probe):
    """A pair is tied on day D exactly when they attended a meeting together within the year
    before D (D included): the ties from meetings, filtered by valid_from <= D < valid_to."""
    rows = []
    meetings = []
    for index, (week, members) in enumerate(attendance):
        day = START + dt.timedelta(days=week * 28)
        meetings.append((day, set(members)))
        rows += [(index, day, m) for m in members]
    ties = meeting_ties(rows, left={})
    on = START + dt.timedelta(days=probe)
    shown = {(a, b) for a, b, start, end, _w in ties if start <= on < end}
    expected = {
        (a, b)
        for day, members in meetings
        for a in members
        for b in members
        if a < b and day <= on < day + dt.timedelta(days=365)
    }
    assert shown == expected
