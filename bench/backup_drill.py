# ruff: noqa: S603, E501 - a drill script: our own backup/restore scripts; table names from the catalogue.
"""Backup and restore drill on PostgreSQL: back up under write load, restore into a fresh
database, compare every table, print RTO and RPO.

    .venv/bin/python bench/backup_drill.py [--source postgres://postgres@127.0.0.1:5432/wt_load_x1]

1. The source is copied into a drill database (``CREATE DATABASE ... TEMPLATE``), so the drill
   never touches the source itself.
2. A writer keeps adding access-log rows and change events to the drill database (the
   append-only tables, the busiest writes) while ``scripts/backup`` runs.
3. ``scripts/restore`` loads the backup into a fresh database; its duration is the RTO.
4. Every table of the restored database is compared with the drill database: the same row
   count and the same checksum (md5 over the rows in order). For the two tables the writer
   kept writing to, the restored rows must be exactly the drill rows up to the backup's last
   id (a consistent snapshot, nothing half-written); the rows after it are the data lost.
   The RPO is the age of that lost data: from the backup's time stamp to the writer's stop.
Bounded: the writer stops when the backup is done (at most ``--max-seconds``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgres://postgres@127.0.0.1:5432"
WRITTEN = ("core_accesslogentry", "core_changeevent")


def admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def checksum(conn: psycopg.Connection, table: str, where: str = "") -> tuple[int, str]:
    row = conn.execute(
        f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t {where}"
    ).fetchone()
    assert row is not None
    return int(row[0]), str(row[1])


def writer(url: str, stop: threading.Event, counts: dict[str, float]) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        subject = conn.execute("SELECT min(id) FROM accounts_user").fetchone()[0]  # type: ignore[index]
        while not stop.is_set():
            with conn.transaction():
                conn.execute(
                    "INSERT INTO core_accesslogentry (occurred_at, actor_label, actor_organisation, object_type,"
                    " object_id, action, purpose, route, subject_id) VALUES (now(), 'drill', '', 'drill', '1',"
                    " 'view', 'backup drill', '', %s)",
                    [subject],
                )
                conn.execute(
                    "INSERT INTO core_changeevent (occurred_at, actor_label, verb, target_type, target_id, data)"
                    " VALUES (now(), 'drill', 'drill.write', 'drill', '1', '{}')"
                )
            counts["rows"] += 1
            counts["last"] = time.time()
            time.sleep(0.005)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", default=f"{SERVER}/wt_load_x1")
    parser.add_argument("--max-seconds", type=int, default=300)
    args = parser.parse_args()
    source_name = args.source.rsplit("/", 1)[1]
    drill, restored = "wt_load_drill", "wt_load_drill_restored"
    for name in (drill, restored):
        admin(f"DROP DATABASE IF EXISTS {name}")
    admin(f"CREATE DATABASE {drill} TEMPLATE {source_name}")
    admin(f"CREATE DATABASE {restored}")
    drill_url, restored_url = f"{SERVER}/{drill}", f"{SERVER}/{restored}"
    media = Path(tempfile.mkdtemp(prefix="drill-media-"))
    (media / "jobs").mkdir()
    (media / "jobs" / "export.csv").write_text("uploaded file kept by the backup\n")
    env = {**os.environ, "DATABASE_URL": drill_url, "MEDIA_ROOT": str(media)}

    stop, counts = threading.Event(), {"rows": 0.0, "last": 0.0}
    thread = threading.Thread(target=writer, args=(drill_url, stop, counts), daemon=True)
    thread.start()
    time.sleep(1)
    backups = Path(tempfile.mkdtemp(prefix="drill-backups-"))
    started = time.monotonic()
    out = subprocess.run(
        [str(ROOT / "scripts/backup"), str(backups)], env=env, capture_output=True, text=True, check=True,
        timeout=args.max_seconds,
    )
    backup_seconds = time.monotonic() - started
    time.sleep(1)  # the writer goes on a moment after the backup, as the service would
    stop.set()
    thread.join()
    failed_at = counts["last"]
    folder = Path(out.stdout.strip().splitlines()[-1])

    restored_media = Path(tempfile.mkdtemp(prefix="drill-restored-media-"))
    started = time.monotonic()
    subprocess.run(
        [str(ROOT / "scripts/restore"), str(folder), restored_url],
        env={**os.environ, "MEDIA_ROOT": str(restored_media)}, check=True, capture_output=True, timeout=args.max_seconds,
    )
    rto = time.monotonic() - started
    taken_at = time.mktime(time.strptime((folder / "TAKEN_AT").read_text().strip(), "%Y-%m-%dT%H:%M:%SZ")) - time.timezone

    problems, lost = [], {}
    with psycopg.connect(drill_url) as live, psycopg.connect(restored_url) as back:
        tables = [r[0] for r in live.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1"
        )]
        for table in tables:
            if table in WRITTEN:
                last = back.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]  # type: ignore[index]
                same = checksum(live, table, f"WHERE id <= {int(last)}") == checksum(back, table)
                lost[table] = live.execute(f"SELECT count(*) FROM {table} WHERE id > %s", [last]).fetchone()[0]  # type: ignore[index]
            else:
                same = checksum(live, table) == checksum(back, table)
            if not same:
                problems.append(table)
        rows = sum(checksum(back, t)[0] for t in tables)
    files_ok = (restored_media / "jobs" / "export.csv").read_text() == (media / "jobs" / "export.csv").read_text()
    size = (folder / "database.dump").stat().st_size / 1e6

    print(f"Backup drill on {source_name} (copied to {drill}), writer adding rows during the backup")
    print(f"  backup: {backup_seconds:.1f} s, {size:.1f} MB dump, folder {folder}")
    print(f"  tables compared: {len(tables)}, rows: {rows}, checksums differing: {len(problems)} {problems or ''}")
    print(f"  written during the drill: {int(counts['rows'])} x 2 rows; after the snapshot (lost): {lost}")
    print(f"  uploaded files restored: {'yes' if files_ok else 'NO'}")
    print(f"  RTO (restore into a fresh database): {rto:.1f} s")
    print(f"  RPO (from the backup's time stamp to the last write): {failed_at - taken_at:.1f} s")
    for name in (drill, restored):
        admin(f"DROP DATABASE IF EXISTS {name}")
    return 1 if problems or not files_ok else 0


if __name__ == "__main__":
    sys.exit(main())
