"""The access log is partitioned by month on PostgreSQL, the partitions are made ahead by the
scheduler, and every partition stays append-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from osallisuus.core import partitions, schedule
from osallisuus.core.access import Action, log_access
from osallisuus.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def _read(personas):
    return log_access(
        actor=personas.own_worker,
        subject_id=personas.participant.pk,
        obj=personas.participant,
        action=Action.VIEW,
        purpose="client meeting",
    )


def _partition_of(entry_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM core_accesslogentry WHERE id = %s", [entry_id])
        return cursor.fetchone()[0]


def test_partition_job__is_registered_with_the_scheduler_daily():
    jobs = {job.name: job for job in schedule.registered()}
    job = jobs["core.access_log_partitions"]
    assert job.task_path == "osallisuus.core.partitions.access_log_partitions_make"
    assert job.every == dt.timedelta(days=1)


def test_partition_names_and_months__follow_the_calendar():
    assert partitions.partition_name(dt.date(2026, 12, 1)) == "core_accesslogentry_y2026m12"
    assert partitions.next_month(dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)
    assert partitions.next_month(dt.date(2027, 1, 31)) == dt.date(2027, 2, 1)


def test_sqlite__has_no_partitions_and_the_job_does_nothing(personas):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    assert partitions.ensure_access_log_partitions() == []
    entry = _read(personas)
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_access_log__is_partitioned_and_a_read_lands_in_this_months_partition(personas):
    assert partitions.is_partitioned()
    entry = _read(personas)
    month = entry.occurred_at.astimezone(dt.UTC).date().replace(day=1)
    assert _partition_of(entry.pk) == partitions.partition_name(month)
    assert AccessLogEntry.objects.filter(subject_id=personas.participant.pk).first() == entry


@pytest.mark.postgres
def test_partitions__made_ahead_once__and_again_nothing():
    made = partitions.ensure_access_log_partitions(months_ahead=2, today=dt.date(2031, 5, 17))
    assert made == [
        "core_accesslogentry_y2031m05",
        "core_accesslogentry_y2031m06",
        "core_accesslogentry_y2031m07",
    ]
    assert partitions.ensure_access_log_partitions(months_ahead=2, today=dt.date(2031, 5, 17)) == []
    assert set(made) <= set(partitions.partitions())
    assert partitions.partitions()[-1] == partitions.DEFAULT_PARTITION


@pytest.mark.postgres
def test_partition_job__run_by_the_worker__makes_this_month_and_three_ahead():
    today = dt.datetime.now(dt.UTC).date().replace(day=1)
    partitions.access_log_partitions_make.call()
    month = today
    for _ in range(partitions.MONTHS_AHEAD + 1):
        assert partitions.partition_name(month) in partitions.partitions()
        month = partitions.next_month(month)


@pytest.mark.postgres
def test_rows_waiting_in_the_default_partition__stay_readable_and_their_month_is_skipped(personas):
    far = dt.datetime(2040, 3, 9, 12, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_accesslogentry (occurred_at, actor_label, actor_organisation, object_type,"
            " object_id, action, purpose, route, subject_id) VALUES (%s, '', '', 'x', '1', 'view', 'p', '', %s)"
            " RETURNING id",
            [far, personas.participant.pk],
        )
        entry_id = cursor.fetchone()[0]
    assert _partition_of(entry_id) == partitions.DEFAULT_PARTITION
    made = partitions.ensure_access_log_partitions(months_ahead=1, today=far.date())
    assert made == ["core_accesslogentry_y2040m04"]
    assert AccessLogEntry.objects.filter(pk=entry_id).exists()


@pytest.mark.postgres
@pytest.mark.parametrize("sql", ["UPDATE {t} SET purpose = 'rewritten' WHERE id = %s", "DELETE FROM {t} WHERE id = %s"])
def test_a_partition_itself__refuses_update_and_delete(personas, sql):
    entry = _read(personas)
    partition = _partition_of(entry.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.format(t=partition), [entry.pk])
    assert AccessLogEntry.objects.get(pk=entry.pk).purpose == "client meeting"


@pytest.mark.postgres
def test_a_partition_made_later__is_append_only_too(personas):
    partitions.ensure_access_log_partitions(months_ahead=0, today=dt.date(2035, 1, 1))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_accesslogentry (occurred_at, actor_label, actor_organisation, object_type,"
            " object_id, action, purpose, route, subject_id) VALUES ('2035-01-02T00:00:00Z', '', '', 'x', '1',"
            " 'view', 'p', '', %s) RETURNING id",
            [personas.participant.pk],
        )
        entry_id = cursor.fetchone()[0]
    assert _partition_of(entry_id) == "core_accesslogentry_y2035m01"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_accesslogentry_y2035m01 WHERE id = %s", [entry_id])
