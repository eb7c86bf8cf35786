"""Benchmark: a measurement group report over 1,000,000 answers on PostgreSQL, against the raw
SQL aggregate on the same data (goal: at most 1.5×), and an import of 100,000 answers that
streams in constant memory (peak memory printed, compared with a 20,000-answer import).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/measurement_report.py

The script makes its own database (``<name>_measurement_bench``, dropped and created again),
migrates it, generates the data with SQL and prints the figures. Nothing is committed.
"""

from __future__ import annotations

import datetime
import json
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESPONSES = int(os.environ.get("BENCH_RESPONSES", "100000"))
ITEMS = 10
IMPORT_ANSWERS = 100_000
REPEAT = 5


def prepare_database() -> None:
    import psycopg

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres")
    url = urlparse(base)
    name = (url.path.lstrip("/") or "postgres") + "_measurement_bench"
    admin = urlunparse(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunparse(url._replace(path=f"/{name}"))
    os.environ.setdefault("OSALLISUUS_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def bench_instrument() -> dict:
    labels = {"fi": "x", "sv": "x", "en": "x"}
    return {
        "format": "osallisuus.instrument/1",
        "code": "bench-ten",
        "version": "1",
        "name": {"fi": "Benchmark (not a real scale)", "sv": "Benchmark", "en": "Benchmark"},
        "owner": "bench",
        "languages": ["fi", "sv", "en"],
        "group_reporting_only": True,
        "scales": [{"code": "s5", "points": [{"value": v, "label": labels} for v in range(1, 6)]}],
        "items": [{"code": f"q{i}", "text": labels, "scale": "s5"} for i in range(1, ITEMS + 1)],
        "scoring": {"method": "mean", "transform": {"from": [1, 5], "to": [0, 100]}},
        "bands": [
            {"code": "low", "min": 0, "label": labels},
            {"code": "mid", "min": 40, "label": labels},
            {"code": "high", "min": 70, "label": labels},
        ],
    }


def generate(round_id: int, instrument_id: int, organisation_id: int) -> None:
    """100,000 sent responses in four areas and 1,000,000 answers, scored in SQL like the service does."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO measurement_response (created_at, updated_at, instrument_id, round_id, organisation_id,
                context_module, context_ref, area, language, status, one_per_screen, resume_position,
                submitted_at, band, external_ref)
            SELECT now(), now(), %s, %s, %s, 'activation', '',
                   CASE WHEN g %% 25000 = 0 THEN 'Saarela' WHEN g %% 3 = 1 THEN 'Mäntyranta'
                        WHEN g %% 3 = 2 THEN 'Kirkonkylä' ELSE 'Järvilahti' END,
                   'fi', 'submitted', false, 0, now() - (g %% 365) * interval '1 day', '', 'b' || g
            FROM generate_series(1, %s) AS g
            """,
            [instrument_id, round_id, organisation_id, RESPONSES],
        )
        cur.execute(
            """
            INSERT INTO measurement_answer (response_id, item_id, value, text)
            SELECT r.id, i.id, 1 + ((r.id * 7 + i."order" * 13 + (r.id / 11)) %% 5), ''
            FROM measurement_response r CROSS JOIN measurement_item i
            WHERE r.round_id = %s AND i.instrument_id = %s
            """,
            [round_id, instrument_id],
        )
        cur.execute(
            """
            UPDATE measurement_response r SET
                raw_score = s.mean, score = round((s.mean - 1) / 4 * 100, 3),
                band = CASE WHEN (s.mean - 1) / 4 * 100 >= 70 THEN 'high'
                            WHEN (s.mean - 1) / 4 * 100 >= 40 THEN 'mid' ELSE 'low' END
            FROM (SELECT response_id, avg(value)::numeric AS mean FROM measurement_answer GROUP BY response_id) s
            WHERE s.response_id = r.id AND r.round_id = %s
            """,
            [round_id],
        )
        cur.execute("ANALYZE measurement_response")
        cur.execute("ANALYZE measurement_answer")


RAW_SQL = [
    ("SELECT count(*), avg(score) FROM measurement_response WHERE round_id = %(r)s AND status = 'submitted'", {}),
    (
        "SELECT floor((score - 0) / 10) AS bin, count(*) FROM measurement_response "
        "WHERE round_id = %(r)s AND status = 'submitted' AND score IS NOT NULL GROUP BY 1",
        {},
    ),
    ("SELECT band, count(*) FROM measurement_response WHERE round_id = %(r)s AND status = 'submitted' GROUP BY 1", {}),
    (
        "SELECT area, count(*), avg(score) FROM measurement_response "
        "WHERE round_id = %(r)s AND status = 'submitted' GROUP BY 1 ORDER BY 1",
        {},
    ),
    (
        "SELECT a.item_id, a.value, count(*) FROM measurement_answer a WHERE a.value IS NOT NULL AND a.response_id IN "
        "(SELECT id FROM measurement_response WHERE round_id = %(r)s AND status = 'submitted') GROUP BY 1, 2",
        {},
    ),
]


def time_it(func) -> float:  # type: ignore[no-untyped-def]
    runs = []
    func()  # warm the cache once
    for _ in range(REPEAT):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def csv_lines(rows: int) -> Iterator[str]:
    yield "respondent," + ",".join(f"q{i}" for i in range(1, ITEMS + 1)) + "\n"
    for n in range(rows):
        yield f"imp{n}," + ",".join(str(1 + (n + i) % 5) for i in range(ITEMS)) + "\n"


def import_peak(round_: object, answers: int) -> tuple[float, float, int]:
    from osallisuus.measurement import services

    tracemalloc.start()
    start = time.perf_counter()
    result = services.answers_import(round=round_, stream=csv_lines(answers // ITEMS), actor=None)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 1024 / 1024, result.answers


def main() -> None:
    prepare_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from osallisuus.accounts.models import Organisation
    from osallisuus.measurement import reports, services

    print(f"database: {connection.settings_dict['NAME']} ({connection.vendor})")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t0:.1f} s")
    org = Organisation.objects.create(name="Bench county", kind="wellbeing_county")
    instrument = services.instrument_import(raw=json.dumps(bench_instrument()), actor=None).instrument
    now = timezone.now()

    def new_round(name: str) -> object:
        return services.round_create(
            actor=None,
            instrument=instrument,
            organisation=org,
            name=name,
            group_key=name,
            purpose="bench",
            opens_at=now - datetime.timedelta(days=400),
            closes_at=now + datetime.timedelta(days=1),
            retention_until=(now + datetime.timedelta(days=30)).date(),
        )

    round_ = new_round("bench")
    t0 = time.perf_counter()
    generate(round_.pk, instrument.pk, org.pk)  # type: ignore[attr-defined]
    answers = connection.cursor()
    answers.execute("SELECT count(*) FROM measurement_answer")
    total_answers = answers.fetchone()[0]
    print(f"generated {RESPONSES:,} responses and {total_answers:,} answers in {time.perf_counter() - t0:.1f} s")

    def raw() -> None:
        with connection.cursor() as cur:
            for sql, _extra in RAW_SQL:
                cur.execute(sql, {"r": round_.pk})  # type: ignore[attr-defined]
                cur.fetchall()

    def report() -> None:
        result = reports.round_report(round=round_)  # type: ignore[arg-type]
        assert result.shown
        assert result.n == RESPONSES

    raw_time = time_it(raw)
    report_time = time_it(report)
    ratio = report_time / raw_time
    print(f"raw SQL aggregate (5 queries):   {raw_time * 1000:8.1f} ms (median of {REPEAT})")
    print(f"group report (reports.round_report): {report_time * 1000:8.1f} ms (median of {REPEAT})")
    print(f"ratio report / raw SQL:          {ratio:8.2f}×  (goal ≤ 1.5×: {'met' if ratio <= 1.5 else 'NOT met'})")

    small_elapsed, small_peak, small_n = import_peak(new_round("import-small"), IMPORT_ANSWERS // 5)
    big_elapsed, big_peak, big_n = import_peak(new_round("import-big"), IMPORT_ANSWERS)
    print(f"import of {small_n:,} answers: {small_elapsed:6.1f} s, peak Python memory {small_peak:6.1f} MiB")
    print(f"import of {big_n:,} answers: {big_elapsed:6.1f} s, peak Python memory {big_peak:6.1f} MiB")
    print(f"memory growth for 5× the answers: {big_peak / small_peak:.2f}× (constant memory ≈ 1×)")


if __name__ == "__main__":
    main()
