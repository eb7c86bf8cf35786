# ruff: noqa: S103, S310, S603, S607, E501 - a fault drill on the loopback: our own manage.py, gunicorn, initdb, pg_ctl and psql; the work folder is read by the postgres user.
"""Faults survived, on this machine, bounded in time (about two minutes in all):

    .venv/bin/python bench/faults.py            # all three; exits 1 if any check fails

1. **PostgreSQL restarted under load.** A second PostgreSQL cluster of our own (initdb in a
   temporary folder, port 5499: the shared one on 5432 is never touched) serves gunicorn (the
   production settings, persistent connections with health checks). Four clients send writes
   (the feedback form: one row each) while the cluster is restarted. Checked: no 500 and no
   traceback (requests in flight get the calm 503 page), the first success after the restart
   comes within seconds without restarting the app, and the rows in the database are exactly
   the writes that were answered as done (none half done, none lost after a "done").
2. **Redis down.** gunicorn with REDIS_URL pointing at a closed port: the pages answer 200 (the
   cache falls through), and the login lockout still holds (django-axes counts in the database):
   after five wrong passwords the right one is refused too.
3. **SQLite under concurrent writers** (the quick-start default): eight clients write for ten
   seconds; 0 "database is locked" errors, every write answered is in the database.
4. **The worker killed mid-job.** ``manage.py run_worker`` runs a job of ten slow steps
   (``osallisuus/core/tests/drill_tasks.py``); after some steps the worker gets SIGKILL. A new
   worker starts: the job is marked failed with its progress kept and a plain message, it is not
   run again (no step is done twice), and the new worker runs the next job to the end.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv/bin/python")
PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"
PORT_PG = 5499
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
failures: list[str] = []


def check(ok: bool, what: str) -> None:
    print(f"  [{'ok' if ok else 'FAIL'}] {what}")
    if not ok:
        failures.append(what)


def env_for(db: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "OSALLISUUS_DEMO", "OSALLISUUS_TESTING", "REDIS_URL"}}
    env.update(
        DATABASE_URL=db, SECRET_KEY="faults-" + secrets.token_urlsafe(40), ALLOWED_HOSTS="127.0.0.1",
        BEHIND_TLS_PROXY="1", SITE_URL="https://127.0.0.1", LOG_FORMAT="json", WEB_CONCURRENCY="2", **extra,
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout


class Server:
    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT, env={**env, "PORT": str(port)}, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz/", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not start: {log.read_text()[-2000:]}")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


class Client:
    """A browser-like client over plain HTTP to a server that believes it is behind TLS."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.s = requests.Session()
        self.s.headers.update({"X-Forwarded-Proto": "https", "Referer": base.replace("http:", "https:") + "/"})

    def _plain(self) -> None:
        for cookie in self.s.cookies:
            cookie.secure = False

    def get(self, path: str) -> requests.Response:
        r = self.s.get(self.base + path, timeout=15, allow_redirects=False)
        self._plain()
        return r

    def post_form(self, path: str, data: dict[str, str]) -> requests.Response:
        page = self.get(path)
        token = CSRF_RE.search(page.text)
        if token is None:
            return page
        r = self.s.post(self.base + path, data={**data, "csrfmiddlewaretoken": token.group(1)}, timeout=15, allow_redirects=False)
        self._plain()
        return r


def feedback_rows(env: dict[str, str]) -> int:
    out = manage(env, "shell", "-c", "from osallisuus.core.models import Feedback; print(Feedback.objects.filter(message__startswith='fault-').count())")
    return int(out.strip().splitlines()[-1])


def writers(base: str, n: int, seconds: float, results: list[tuple[float, int, bool]]) -> None:
    stop_at = time.monotonic() + seconds

    def run(i: int) -> None:
        client = Client(base)
        k = 0
        while time.monotonic() < stop_at:
            k += 1
            try:
                r = client.post_form("/feedback/", {"topic": "service", "message": f"fault-{i}-{k}", "page_url": "", "email": ""})
                results.append((time.monotonic(), r.status_code, "Traceback" in r.text))
            except requests.RequestException:
                results.append((time.monotonic(), 0, False))
                time.sleep(0.1)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def postgres_restart(work: Path) -> None:
    print("1. PostgreSQL restarted under load (own cluster on port 5499)")
    data = work / "pgdata"
    data.mkdir()
    shutil.chown(work, "postgres")
    shutil.chown(data, "postgres")
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    pg_ctl = [*as_pg, str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(work / "pg.log"), "-o", f"-p {PORT_PG} -k {work}"]
    subprocess.run([*as_pg, str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"], check=True, capture_output=True)
    subprocess.run([*pg_ctl, "-w", "start"], check=True, capture_output=True)
    try:
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PORT_PG), "-U", "postgres", "-qc", "CREATE DATABASE faults"], check=True)
        env = env_for(f"postgres://postgres@127.0.0.1:{PORT_PG}/faults", DB_CONN_MAX_AGE="60")
        manage(env, "migrate", "-v", "0")
        server = Server(env, 8399, work / "gunicorn-pg.log")
        results: list[tuple[float, int, bool]] = []
        load = threading.Thread(target=writers, args=(server.url, 4, 14, results))
        load.start()
        time.sleep(4)
        restart_at = time.monotonic()
        subprocess.run([*pg_ctl, "-w", "-m", "fast", "restart"], check=True, capture_output=True)
        back_at = time.monotonic()
        load.join()
        server.stop()
        statuses = [s for _t, s, _tb in results]
        refused = [t for t, s, _tb in results if s != 302]
        last_refused = max(refused) if refused else back_at
        after = [t for t, s, _tb in results if t > last_refused and s == 302]
        done = statuses.count(302)
        rows = feedback_rows(env)
        window = (max(refused) - min(refused)) if refused else 0.0
        print(f"  writes: {len(results)}, done (302): {done}, 503: {statuses.count(503)}, 500: {statuses.count(500)}, "
              f"no answer: {statuses.count(0)}; the restart took {back_at - restart_at:.1f} s, "
              f"refusals over {window:.1f} s")
        check(statuses.count(500) == 0 and not any(tb for _t, _s, tb in results), "no 500 and no traceback shown while the database restarted")
        check(statuses.count(503) > 0, "the requests in flight got the calm 503 page")
        recovery = (after[0] - back_at) if after else float("nan")
        check(bool(after) and recovery < 10, f"writes succeed again {max(recovery, 0):.1f} s after the database is back (no app restart)")
        check(rows == done, f"rows in the database ({rows}) = writes answered as done ({done}): none half done")
        logged_500 = server.log.read_text().count('"status": 500')
        check(logged_500 == 0, f"no 500 in the access log ({logged_500})")
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], check=False, capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


def redis_down(work: Path) -> None:
    print("2. Redis down (REDIS_URL at a closed port)")
    db = f"sqlite:///{work}/redis.sqlite3"
    env = env_for(db, REDIS_URL="redis://127.0.0.1:6398/0")
    manage(env, "migrate", "-v", "0")
    manage(env, "shell", "-c", "from osallisuus.accounts.models import User; User.objects.create_user('lock@example.fi', 'Right-password-2026', full_name='Lukko')")
    server = Server(env, 8398, work / "gunicorn-redis.log")
    try:
        client = Client(server.url)
        pages = {p: client.get(p).status_code for p in ("/", "/feedback/", "/accessibility/", "/account/login/")}
        check(all(s == 200 for s in pages.values()), f"pages answer with the cache down: {pages}")
        wrong = [Client(server.url).post_form("/account/login/", {"username": "lock@example.fi", "password": f"wrong-{i}"}).status_code for i in range(5)]
        right = Client(server.url).post_form("/account/login/", {"username": "lock@example.fi", "password": "Right-password-2026"})
        print(f"  five wrong passwords: {wrong}; then the right one: {right.status_code}")
        check(right.status_code == 429, "the lockout holds with the cache down (counted in the database)")
    finally:
        server.stop()


def sqlite_writers(work: Path) -> None:
    print("3. SQLite under eight concurrent writers for ten seconds")
    env = env_for(f"sqlite:///{work}/writers.sqlite3")
    manage(env, "migrate", "-v", "0")
    server = Server(env, 8397, work / "gunicorn-sqlite.log")
    results: list[tuple[float, int, bool]] = []
    try:
        writers(server.url, 8, 10, results)
    finally:
        server.stop()
    statuses = [s for _t, s, _tb in results]
    locked = server.log.read_text().count("database is locked")
    done = statuses.count(302)
    print(f"  writes: {len(results)} ({len(results) / 10:.0f}/s), done: {done}, errors: {len(results) - done}")
    check(locked == 0, f"0 'database is locked' ({locked})")
    check(done == len(results), "every write answered as done")
    check(feedback_rows(env) == done, "every write answered is in the database")


JOB_SHELL = """
from osallisuus.accounts.models import User
from osallisuus.core.jobs import job_start
from osallisuus.core.tests.drill_tasks import slow_steps
owner = User.objects.get_or_create(email='drill@example.fi', defaults={'full_name': 'Drill'})[0]
print(job_start(owner=owner, kind='drill', label='drill', task=slow_steps).pk)
"""

STATE_SHELL = """
from django_tasks_db.models import DBTaskResult
from osallisuus.core.models import Feedback, JobProgress
job = JobProgress.objects.get(pk='{job}')
task = DBTaskResult.objects.filter(pk=job.task_result_id).first()
steps = Feedback.objects.filter(message__startswith='drill-{job}-').values_list('message', flat=True)
print(job.status, job.done, job.total, task.status if task else '-', task.exception_class_path if task else '-', len(steps), len(set(steps)), '|', job.message)
"""


def worker_killed(work: Path) -> None:
    print("4. The worker killed mid-job")
    env = env_for(f"sqlite:///{work}/worker.sqlite3")
    manage(env, "migrate", "-v", "0")
    first = manage(env, "shell", "-c", JOB_SHELL).strip().splitlines()[-1]
    log = (work / "worker-1.log").open("w")
    worker = subprocess.Popen([PY, "manage.py", "run_worker"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    state = ""
    while time.monotonic() < deadline:
        state = manage(env, "shell", "-c", STATE_SHELL.format(job=first)).strip().splitlines()[-1]
        if state.startswith("running") and int(state.split()[1]) >= 3:
            break
        time.sleep(0.3)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    killed_at = manage(env, "shell", "-c", STATE_SHELL.format(job=first)).strip().splitlines()[-1]
    print(f"  killed with the job at: {killed_at}")
    second = manage(env, "shell", "-c", JOB_SHELL).strip().splitlines()[-1]
    subprocess.run([PY, "manage.py", "run_worker", "--batch"], cwd=ROOT, env=env, check=True, timeout=60,
                   stdout=(work / "worker-2.log").open("w"), stderr=subprocess.STDOUT)
    after = manage(env, "shell", "-c", STATE_SHELL.format(job=first)).strip().splitlines()[-1]
    nxt = manage(env, "shell", "-c", STATE_SHELL.format(job=second)).strip().splitlines()[-1]
    print(f"  the killed job after a new worker started: {after}")
    print(f"  the next job: {nxt.split('|')[0]}")
    status, done, _total, task_status, exc, steps, distinct = after.split("|")[0].split()[:7]
    check(status == "failed" and task_status == "FAILED" and exc.endswith("WorkerLost"), "the killed job is marked failed (worker lost)")
    check(int(done) >= 3 and int(done) == int(steps), f"its progress is kept ({done} steps done, {steps} rows)")
    check(int(steps) == int(distinct) and int(steps) < 10, "no step was done twice, and the job was not run again")
    check(nxt.startswith("done 10 10 SUCCESSFUL"), "the new worker runs the next job to the end")


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="osallisuus-faults-"))
    os.chmod(work, 0o755)
    started = time.monotonic()
    # gunicorn serves with DEBUG off, so the hashed static files must exist (a fresh clone has none).
    manage(env_for(f"sqlite:///{work}/static.sqlite3"), "collectstatic", "--noinput", "-v", "0")
    try:
        postgres_restart(work)
        redis_down(work)
        sqlite_writers(work)
        worker_killed(work)
    finally:
        print(f"{len(failures)} failed checks, {time.monotonic() - started:.0f} s; logs in {work}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
