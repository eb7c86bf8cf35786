"""Monthly partitions of the access log on PostgreSQL (``core/migrations/0006``).

The access log only grows: every read of a person's data adds a row. On PostgreSQL the
table ``core_accesslogentry`` is partitioned by month of ``occurred_at``, so a person's
log and the month's exports read only the months asked for, and a month past the retention
period is archived and removed whole (``docs/performance.md``) instead of by row deletes,
which the append-only trigger refuses anyway.

``ensure_access_log_partitions`` makes this month's partition and the next ones ahead; the
scheduler runs it daily (``core.access_log_partitions``, registered in ``CoreConfig.ready``).
A default partition catches any row whose month has no partition yet, so a stopped
scheduler never makes reads fail; such rows stay in the default partition (they cannot be
moved out: the log is append-only), and the job then logs a warning and skips that month.
On SQLite (the quick start) the table is a plain table and this does nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

TABLE = "core_accesslogentry"
DEFAULT_PARTITION = f"{TABLE}_default"
MONTHS_AHEAD = 3


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_y{month:%Y}m{month:%m}"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        return cursor.fetchone() is not None


def partitions() -> list[str]:
    """The names of the access log's partitions, oldest first (the default partition last)."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass ORDER BY c.relname",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    return sorted(names, key=lambda n: (n == DEFAULT_PARTITION, n))


def _bounds(month: dt.date) -> tuple[str, str]:
    # Month boundaries are in UTC: the partitions do not move with summer time.
    return f"{month:%Y-%m-%d} 00:00:00+00", f"{next_month(month):%Y-%m-%d} 00:00:00+00"


def create_month(cursor: Any, month: dt.date) -> bool:
    """Create the partition of ``month`` unless it exists; False if rows of that month already
    wait in the default partition (then the month stays there)."""
    name = partition_name(month)
    cursor.execute("SELECT to_regclass(%s)", [name])
    if cursor.fetchone()[0] is not None:
        return False
    start, end = _bounds(month)
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION} WHERE occurred_at >= %s AND occurred_at < %s)",  # noqa: S608
        [start, end],
    )
    if cursor.fetchone()[0]:
        logger.warning("Access-log rows of %s are in the default partition; no partition made for it.", month)
        return False
    cursor.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM ('{start}') TO ('{end}')")
    return True


def ensure_access_log_partitions(*, months_ahead: int = MONTHS_AHEAD, today: dt.date | None = None) -> list[str]:
    """Make the partitions of this month and ``months_ahead`` months after it; returns those made."""
    if not is_partitioned():
        return []
    month = month_start(today or timezone.now().astimezone(dt.UTC).date())
    made = []
    with transaction.atomic(), connection.cursor() as cursor:
        # One maker at a time (two schedulers, a migration): a transaction-level advisory lock.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [TABLE])
        for _ in range(months_ahead + 1):
            if create_month(cursor, month):
                made.append(partition_name(month))
            month = next_month(month)
    if made:
        logger.info("Access-log partitions made: %s", ", ".join(made))
    return made


@task()
def access_log_partitions_make() -> int:
    """The scheduled job (daily): the access log's partitions for this month and the next ones."""
    return len(ensure_access_log_partitions())


__all__ = [
    "access_log_partitions_make",
    "ensure_access_log_partitions",
    "is_partitioned",
    "partition_name",
    "partitions",
]
