"""Benchmark: the own worker's caseload page and the activity catalogue search.

Makes its own data (5,000 plans, 2,000 activities) in a throw-away database, then prints
for each page the number of SQL queries with 10 and with 1,000 matching rows (they must be
the same) and the median latency of each page against a minimal view (the health check,
through the same middleware) measured in the same run.

    .venv/bin/python bench/activation_pages.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/activation_pages.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="osallisuus-bench-")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Production settings, except that static files are not collected for a benchmark.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

PLANS = 5_000
ACTIVITIES = 2_000
RUNS = 30


def build() -> dict[str, Any]:
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from osallisuus.accounts import services as account_services
    from osallisuus.accounts.models import Organisation, Relationship, User
    from osallisuus.activation.models import Activity, Goal, Meeting, Plan

    county = Organisation.objects.create(name="Bench county", kind="wellbeing_county")
    ngo = Organisation.objects.create(name="Bench NGO", kind="ngo")
    workers = {}
    for key in ("small", "large"):
        worker = User.objects.create_user(f"worker-{key}@bench.invalid", "x", full_name=f"Worker {key}")
        account_services.membership_grant(user=worker, organisation=county, roles=("own_worker",))
        TOTPDevice.objects.create(user=worker, name="bench", confirmed=True)
        workers[key] = worker
    participant = User.objects.create_user("participant@bench.invalid", "x", full_name="Bench participant")
    account_services.membership_grant(user=participant, organisation=county, roles=("participant",))
    User.objects.bulk_create(
        [
            User(email=f"p{i}@bench.invalid", full_name=f"Participant {i:05d}", password="!")  # noqa: S106 - an unusable password
            for i in range(PLANS)
        ],
        batch_size=1000,
    )
    people = list(User.objects.filter(email__startswith="p", email__endswith="@bench.invalid").order_by("pk"))
    Plan.objects.bulk_create([Plan(participant=p, organisation=county) for p in people], batch_size=1000)
    plans = list(Plan.objects.order_by("pk"))
    today = timezone.localdate()
    rels = [
        Relationship(worker=workers["small"], person=p, organisation=county, kind="own_worker", started_on=today)
        for p in people[:10]
    ]
    rels += [
        Relationship(worker=workers["large"], person=p, organisation=county, kind="own_worker", started_on=today)
        for p in people[10:1010]
    ]
    Relationship.objects.bulk_create(rels, batch_size=1000)
    baskets = ["material", "doing", "belonging", "local", "service"]
    Goal.objects.bulk_create(
        [
            Goal(
                plan=plan,
                title=f"Goal {i}",
                basket=baskets[i % 5],
                lifecycle_status="active" if i % 3 else "proposed",
                start_on=today,
            )
            for i, plan in enumerate(plans)
            for _ in range(2)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Meeting.objects.bulk_create(
        [
            Meeting(
                plan=plan,
                with_whom="own_worker",
                topic="t",
                requested_at=now,
                status="requested" if i % 2 else "scheduled",
                starts_at=None if i % 2 else now,
            )
            for i, plan in enumerate(plans[:2000])
        ],
        batch_size=2000,
    )
    activities = []
    for i in range(ACTIVITIES):
        area = "Small" if i < 10 else ("Large" if i < 1010 else f"Area {i % 20}")
        activities.append(
            Activity(
                provider=ngo,
                title=f"Activity {i:05d}",
                summary="s",
                baskets=f",{baskets[i % 5]},",
                area=area,
                schedule="Tue 9-12",
                capacity=10,
            )
        )
    Activity.objects.bulk_create(activities, batch_size=1000)
    return {"workers": workers, "participant": participant}


def client_for(user: Any) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def queries(client: Client, url: str) -> int:
    """SQL queries of one request, after a first one has warmed the caches (what a person holds)."""
    client.get(url, secure=True)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code)
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for query in ctx.captured_queries:
            print("   ", query["sql"][:160])
    return len(ctx.captured_queries)


def median_ms(client: Client, url: str) -> float:
    client.get(url, secure=True)  # warm up
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url, secure=True)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times)


def main() -> None:
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    data = build()
    print(
        f"database: {connection.vendor}; data: {PLANS} plans, {ACTIVITIES} activities "
        f"(built in {time.perf_counter() - start:.1f} s)"
    )
    workers = data["workers"]
    small, large = client_for(workers["small"]), client_for(workers["large"])  # type: ignore[index]
    participant = client_for(data["participant"])
    caseload = reverse("activation:caseload")
    catalogue = reverse("activation:catalogue")
    minimal = reverse("core:healthz")

    rows = [
        ("caseload page", small, caseload, large, caseload),
        ("catalogue search", participant, f"{catalogue}?area=Small", participant, f"{catalogue}?area=Large"),
    ]
    print(f"\n{'page':<20}{'queries@10':>12}{'queries@1000':>14}{'same':>6}{'median ms@10':>14}{'median ms@1000':>16}")
    failed = False
    for label, c10, u10, c1000, u1000 in rows:
        q10, q1000 = queries(c10, u10), queries(c1000, u1000)
        failed |= q10 != q1000
        print(
            f"{label:<20}{q10:>12}{q1000:>14}{'yes' if q10 == q1000 else 'NO':>6}"
            f"{median_ms(c10, u10):>14.1f}{median_ms(c1000, u1000):>16.1f}"
        )
    baseline = median_ms(participant, minimal)
    print(f"{'minimal view':<20}{'':>12}{'':>14}{'':>6}{baseline:>14.1f}{baseline:>16.1f}")
    print(f"\n(median of {RUNS} requests each; the minimal view is {minimal} through the same middleware)")
    if failed:
        print("FAIL: the query count depends on the number of rows")
        sys.exit(1)


if __name__ == "__main__":
    main()
