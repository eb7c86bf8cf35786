"""The access log and the change events are append-only: the application cannot rewrite them.

On every database the models refuse update and delete; on PostgreSQL a trigger
(``core/migrations/0002``) also refuses raw SQL.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from osallisuus.core import events
from osallisuus.core.access import Action, log_access
from osallisuus.core.models import AccessLogEntry, ChangeEvent


@pytest.fixture
def entry(personas):
    return log_access(
        actor=personas.own_worker,
        subject_id=personas.participant.pk,
        obj=personas.participant,
        action=Action.VIEW,
        purpose="client meeting",
    )


@pytest.fixture
def event(personas):
    return events.record(actor=personas.administrator, verb="test.changed", target=personas.participant)


def _snapshot(model, pk):
    return model.objects.filter(pk=pk).values().get()


def test_access_log_entry__saved_again__is_refused_and_unchanged(entry):
    before = _snapshot(AccessLogEntry, entry.pk)
    entry.purpose = "something else"
    with pytest.raises(PermissionError):
        entry.save()
    assert _snapshot(AccessLogEntry, entry.pk) == before


def test_access_log_entry__deleted__is_refused_and_kept(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_access_log_queryset__update__is_refused_and_unchanged(entry):
    before = _snapshot(AccessLogEntry, entry.pk)
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="rewritten")
    assert _snapshot(AccessLogEntry, entry.pk) == before


def test_access_log_queryset__delete__is_refused_and_kept(entry):
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_change_event__update_and_delete__are_refused_and_unchanged(event):
    before = _snapshot(ChangeEvent, event.pk)
    event.verb = "test.rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        ChangeEvent.objects.filter(pk=event.pk).update(verb="x")
    with pytest.raises(PermissionError):
        ChangeEvent.objects.filter(pk=event.pk).delete()
    assert _snapshot(ChangeEvent, event.pk) == before


def test_access_log_entry__never_contains_the_data_itself(personas, entry):
    aino = personas.participant
    values = " ".join(str(v) for v in _snapshot(AccessLogEntry, entry.pk).values())
    for personal in (aino.full_name, aino.email, aino.phone):
        assert personal not in values


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("table", "sql"),
    [
        ("core_accesslogentry", "UPDATE core_accesslogentry SET purpose = 'rewritten' WHERE id = %s"),
        ("core_accesslogentry", "DELETE FROM core_accesslogentry WHERE id = %s"),
        ("core_changeevent", "UPDATE core_changeevent SET verb = 'rewritten' WHERE id = %s"),
        ("core_changeevent", "DELETE FROM core_changeevent WHERE id = %s"),
    ],
)
def test_log_tables__raw_sql_update_or_delete__is_refused_by_postgresql(entry, event, table, sql):
    pk = entry.pk if table == "core_accesslogentry" else event.pk
    model = AccessLogEntry if table == "core_accesslogentry" else ChangeEvent
    before = _snapshot(model, pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [pk])
    assert _snapshot(model, pk) == before
