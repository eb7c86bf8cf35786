# ruff: noqa: S603, S607, E501 - a benchmark driver: it runs our own manage.py, gunicorn, locust and psql; wide table lines.
"""Load benchmark: Locust, headless and bounded, against gunicorn on PostgreSQL with the demo
data at 1x and at 10x, both servers at once (``bench/load/locustfile.py``).

    .venv/bin/python bench/load/run.py --prepare          # first time: load the demo data
    .venv/bin/python bench/load/run.py --users 20 --time 60

It prints, from one run: per page the requests per second, p50/p95/p99 and errors; the page
against the anonymous and the logged-in minimal view (``/ping/``: "ok" through every
middleware); the paired 10x/1x median latency ratio (one client alternating between the two
servers, so both see the same machine load); and the gunicorn workers' memory (RSS).

The servers run the production way (DEBUG off, collected static files, config/gunicorn.py,
behind a "TLS proxy" header); everything stays on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv/bin/python")
PG = "postgres://postgres@127.0.0.1:5432"

IDS = """
import json
from osallisuus.accounts.demo import ORGANISATIONS
from osallisuus.accounts.models import Organisation, User
from osallisuus.activation.models import Activity
from osallisuus.experts.models import Expert
ngo = next(o.name for o in ORGANISATIONS if o.key == "ngo")
print(json.dumps({
    "ngo": Organisation.objects.get(name=ngo).pk,
    "jussi": User.objects.get(email="jussi.karkkainen@demo.osallisuus.fi").pk,
    "eero": Expert.objects.get(user__email="eero.vaisanen@demo.osallisuus.fi").pk,
    "activities": sorted(Activity.objects.values_list("pk", flat=True))[:200],
}))
"""


def _env(db: str, port: int, workers: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "OSALLISUUS_DEMO", "OSALLISUUS_TESTING"}}
    env.update(
        DATABASE_URL=db,
        PORT=str(port),
        WEB_CONCURRENCY=str(workers),
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-" + secrets.token_urlsafe(48)),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BEHIND_TLS_PROXY="1",
        LOG_FORMAT="json",
        SITE_URL="https://127.0.0.1",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def prepare(db: str, scale: int) -> None:
    name = db.rsplit("/", 1)[1]
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-qc",
            f"DROP DATABASE IF EXISTS {name}",
            "-c",
            f"CREATE DATABASE {name}",
        ],
        check=True,
    )
    env = {**_env(db, 0, 1), "OSALLISUUS_DEMO": "1"}
    _manage(env, "migrate", "-v", "0")
    started = time.monotonic()
    _manage(env, "demo_data", "--scale", str(scale), "--quiet-logins")
    print(f"demo data at {scale}x loaded into {name} in {time.monotonic() - started:.0f} s")


def _rss_mb(master: int) -> list[float]:
    out = subprocess.run(["ps", "-o", "pid=,rss=", "--ppid", str(master)], capture_output=True, text=True).stdout
    return [int(line.split()[1]) / 1024 for line in out.splitlines() if line.strip()]


def _wait(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - loopback only
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server did not answer: {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db1", default=f"{PG}/wt_load_x1")
    parser.add_argument("--db10", default=f"{PG}/wt_load_x10")
    parser.add_argument("--prepare", action="store_true", help="(Re)load the demo data at 1x and 10x first.")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--time", type=int, default=60, help="Seconds of load (bounded).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server.")
    args = parser.parse_args()

    if args.prepare:
        prepare(args.db1, 1)
        prepare(args.db10, 10)

    targets, servers = [], []
    work = Path(tempfile.mkdtemp(prefix="osallisuus-load-"))
    _manage(_env(args.db1, 0, 1), "collectstatic", "--noinput", "-v", "0")
    try:
        for label, db, port in (("1x", args.db1, 8301), ("10x", args.db10, 8310)):
            env = _env(db, port, args.workers)
            ids = json.loads(_manage(env, "shell", "-c", IDS).strip().splitlines()[-1])
            log = (work / f"{label}.log").open("w")
            proc = subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            servers.append((label, proc))
            targets.append({"label": label, "url": f"http://127.0.0.1:{port}", **ids})
        for t in targets:
            _wait(t["url"] + "/healthz/")
        csv_prefix = work / "stats"
        locust = [
            str(ROOT / ".venv/bin/locust"),
            "-f",
            str(ROOT / "bench/load/locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(max(1, args.users // 2)),
            "-t",
            f"{args.time}s",
            "--csv",
            str(csv_prefix),
            "--only-summary",
            "--stop-timeout",
            "5",
            "--loglevel",
            "WARNING",
        ]
        subprocess.run(
            locust,
            cwd=ROOT,
            env={**os.environ, "LOAD_TARGETS": json.dumps(targets)},
            timeout=args.time + 240,
            check=False,
        )
        rss = {label: _rss_mb(proc.pid) for label, proc in servers}
    finally:
        for _label, proc in servers:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    report(csv_prefix.with_name("stats_stats.csv"), rss, args)
    failures = csv_prefix.with_name("stats_failures.csv")
    if failures.exists() and failures.read_text().count("\n") > 1:
        print("\nErrors (method, page, reason, count):")
        for row in csv.DictReader(failures.open()):
            print(f"  {row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}")
    print(f"\nServer logs: {work}")


def report(path: Path, rss: dict[str, list[float]], args: argparse.Namespace) -> None:
    rows = {r["Name"]: r for r in csv.DictReader(path.open()) if r["Name"] != "Aggregated"}
    total = next(r for r in csv.DictReader(path.open()) if r["Name"] == "Aggregated")
    pages = sorted({name.split(" ", 1)[1] for name in rows})

    def num(label: str, page: str, col: str) -> float:
        row = rows.get(f"{label} {page}")
        return float(row[col]) if row and row[col] not in ("", "N/A") else float("nan")

    print(f"\n{args.users} users, {args.time} s, {args.workers} gunicorn workers per server, both servers at once")
    print(
        f"All requests: {float(total['Requests/s']):.1f} rps, {total['Failure Count']} errors of {total['Request Count']}"
    )
    head = f"{'page':<34}{'rps':>6}{'p50':>6}{'p95':>6}{'p99':>6}{'err':>5}{'anon':>7}{'login':>7}{'p95/fl':>7}{'10x p50':>8}{'10x/1x':>7}"
    print("\n1x server (ms; 'anon'/'login': the floor's median over the page's median, i.e. the share of the")
    print("floor's requests per second one worker can serve of the page; 'p95/fl': p95 over the floor's p95)")
    print(head)
    for label in ("1x",):
        anon50, anon95 = num(label, "ping (anonymous)", "50%"), num(label, "ping (anonymous)", "95%")
        login50 = num(label, "ping (logged in)", "50%")
        for page in pages:
            p50 = num(label, page, "50%")
            p95 = num(label, page, "95%")
            ten = num("10x", page, "50%")
            print(
                f"{page[:33]:<34}{num(label, page, 'Requests/s'):>6.1f}{p50:>6.0f}{p95:>6.0f}{num(label, page, '99%'):>6.0f}"
                f"{int(num(label, page, 'Failure Count') + num('10x', page, 'Failure Count')):>5}"
                f"{anon50 / p50:>7.0%}{login50 / p50:>7.0%}{p95 / anon95:>7.1f}{ten:>8.0f}{ten / p50:>7.2f}"
            )
    for label, values in rss.items():
        shown = ", ".join(f"{v:.0f}" for v in values)
        print(f"gunicorn workers' memory (RSS, MB) at {label}: {shown}")


if __name__ == "__main__":
    sys.exit(main())
