"""Benchmark: the network analysis at 2,000 members and 50,000 dated ties over three years.

1. The full analysis of one snapshot computed cold (rustworkx betweenness, articulation points,
   components, transitivity; networkx Louvain communities; the spring layout), median of a few runs
   (goal: at most 2 s), and the same analysis with networkx alone in the same run.
2. A snapshot's analysis and picture served once computed (the picture page, goal: at most 200 ms),
   the change between two dates (goal: at most 300 ms) and the SVG from the kept layout (goal: 1 s).
3. Query counts of the network, picture and meeting pages at 10 and at 1,000 members (the same).

    .venv/bin/python bench/networks_analysis.py
    .venv/bin/python bench/networks_analysis.py --quick      # networkx alone is timed once
"""

from __future__ import annotations

import datetime as dt
import os
import random
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

settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

MEMBERS = 2000
TIES = 50000
SEED = 2026
RUNS = 3
QUICK = "--quick" in sys.argv


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def timed(func: Any, runs: int = RUNS) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def build(personas: Any, n_members: int, n_ties: int, name: str) -> Any:
    """A network of ``n_members`` members of four organisations, with ``n_ties`` dated ties over
    three years: small groups that work together closely and a few bridges between them."""
    from osallisuus.networks import services
    from osallisuus.networks.models import NetworkMembership, Tie

    rng = random.Random(SEED + n_members)
    leena = personas["network_coordinator"]
    network = services.network_create(
        actor=leena,
        organisation=personas["city"],
        data={"name": name, "purpose": "Bench", "type": "learning", "lifecycle": "permanent", "visibility": "members"},
    )
    today = timezone.localdate()
    start = today - dt.timedelta(days=3 * 365)
    orgs = [personas[k] for k in ("city", "county", "ngo", "village")]
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(
                network=network,
                name=f"Jäsen {i:04d}",
                organisation=orgs[i % 4],
                joined_on=start + dt.timedelta(days=rng.randrange(0, 700)),
                left_on=(today - dt.timedelta(days=rng.randrange(1, 300))) if rng.random() < 0.1 else None,
            )
            for i in range(n_members - 1)
        ],
        batch_size=1000,
    )
    ids = list(NetworkMembership.objects.filter(network=network).values_list("pk", flat=True))
    group = 25
    ties = []
    seen: set[tuple[int, int, dt.date]] = set()
    while len(ties) < n_ties:
        a = rng.choice(ids)
        if rng.random() < 0.9:  # inside the group
            base = (ids.index(a) // group) * group
            b = ids[min(len(ids) - 1, base + rng.randrange(group))]
        else:
            b = rng.choice(ids)
        if a == b:
            continue
        a, b = min(a, b), max(a, b)
        begin = start + dt.timedelta(days=rng.randrange(0, 3 * 365))
        if (a, b, begin) in seen:
            continue
        seen.add((a, b, begin))
        ties.append(
            Tie(
                network=network,
                a_id=a,
                b_id=b,
                source=Tie.Source.MEETINGS,
                weight=rng.randint(1, 4),
                valid_from=begin,
                valid_to=begin + dt.timedelta(days=365),
            )
        )
    Tie.objects.bulk_create(ties, batch_size=5000)
    return network


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
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def main() -> None:
    from osallisuus.accounts import demo as accounts_demo
    from osallisuus.core.demo import DemoContext
    from osallisuus.networks import analysis, picture, selectors, services
    from osallisuus.networks.models import Snapshot

    call_command("migrate", verbosity=0)
    ctx = DemoContext()
    accounts_demo.load(ctx)
    personas = {**ctx.users, **ctx.organisations}
    say(f"Building a network of {MEMBERS:,} members and {TIES:,} dated ties over three years…")
    big = build(personas, MEMBERS, TIES, "Iso verkosto")
    today = timezone.localdate()
    nodes, edges = services.graph_on(big.pk, today, Snapshot.Level.MEMBERS)
    say(f"On {today.isoformat()}: {len(nodes):,} current members, {len(edges):,} ties valid that day.\n")

    say(f"1. Cold analysis of one snapshot (median of {RUNS} runs)")
    t_read, _ = timed(lambda: services.graph_on(big.pk, today, Snapshot.Level.MEMBERS))
    t_analysis, figures = timed(lambda: analysis.analyse(nodes, edges))
    t_plain, _ = timed(lambda: analysis.analyse(nodes, edges, with_communities=False))
    t_layout, positions = timed(lambda: analysis.layout(nodes, edges), runs=1)
    t_snapshot, result = timed(lambda: services.snapshot_result(big.pk, today, Snapshot.Level.MEMBERS), runs=1)
    say(f"   reading the ties of the day           {t_read:8.2f} s")
    say(f"   analysis with communities (goal 2 s)   {t_analysis:8.2f} s")
    say(f"     of which without communities         {t_plain:8.2f} s")
    say(f"   spring layout                          {t_layout:8.2f} s")
    say(f"   the whole snapshot job                 {t_snapshot:8.2f} s")
    t_nx, _ = timed(lambda: analysis.networkx_analyse(nodes, edges), runs=1)
    say(f"   networkx alone, same analysis          {t_nx:8.2f} s")

    snapshot = Snapshot.objects.create(
        network=big,
        on=today,
        level=Snapshot.Level.MEMBERS,
        status=Snapshot.Status.READY,
        result=result,
        ties_svg=picture.ties_svg(layout=result["layout"], edges=result["analysis"]["edges"]),
    )
    leena = ctx.users["network_coordinator"]
    client = client_for(leena)
    say("\n2. Served once computed")
    url = reverse("networks:picture", args=[big.pk])
    client.get(url, secure=True)
    t_page, _ = timed(lambda: client.get(url, secure=True), runs=5)
    say(f"   picture page with analysis (goal 200 ms) {t_page * 1000:8.0f} ms (the table paged, 50 rows)")
    before = today - dt.timedelta(days=365)
    t_change, diff = timed(lambda: selectors.change_between(big, before, today))
    say(
        f"   change between two dates (goal 300 ms)   {t_change * 1000:8.0f} ms "
        f"({len(diff['joined'])} joined, {len(diff['left'])} left, {len(diff['gained']):,} ties gained, "
        f"{len(diff['lost']):,} lost)"
    )
    labels = selectors.node_labels(big, Snapshot.Level.MEMBERS, [int(k) for k in result["layout"]])
    t_svg, (svg, _legend) = timed(
        lambda: picture.network_svg(
            title="Kuva",
            description="Kuva",
            layout=result["layout"],
            edges=result["analysis"]["edges"],
            labels=labels,
            colour_by="role",
            highlight=result["analysis"]["articulation"],
        )
    )
    say(f"   SVG from the kept layout (goal 1 s)      {t_svg * 1000:8.0f} ms ({len(svg) / 1e6:.1f} MB)")
    _ = (figures, positions, snapshot)

    say("\n3. Queries of the pages at 10 and 1,000 members")
    small = build(personas, 10, 30, "Pieni verkosto")
    mid = build(personas, 1000, 5000, "Keskikokoinen verkosto")
    for network in (small, mid):
        Snapshot.objects.create(
            network=network,
            on=today,
            level=Snapshot.Level.MEMBERS,
            status=Snapshot.Status.READY,
            result=services.snapshot_result(network.pk, today, Snapshot.Level.MEMBERS),
        )
        services.meeting_create(
            actor=leena,
            network=network,
            data={
                "title": "K",
                "starts_at": timezone.now() - dt.timedelta(days=1),
                "ends_at": timezone.now() - dt.timedelta(days=1) + dt.timedelta(hours=1),
                "place": "Talo",
            },
        )
    ok = True
    for label, name in (
        ("network", "networks:network"),
        ("picture", "networks:picture"),
        ("resources", "networks:resources"),
        ("registry", "networks:home"),
    ):

        def url_of(n: Any, name: str = name) -> str:
            return reverse(name) if name == "networks:home" else reverse(name, args=[n.pk])

        client.get(url_of(small), secure=True)
        q10, q1000 = queries(client, url_of(small)), queries(client, url_of(mid))
        ok &= q10 == q1000
        say(f"   {label:<12}{q10:>6}{q1000:>8}  {'same' if q10 == q1000 else 'DIFFERENT'}")
    meeting_urls = [reverse("networks:meeting", args=[n.meetings.get().pk]) for n in (small, mid)]
    q10, q1000 = queries(client, meeting_urls[0]), queries(client, meeting_urls[1])
    ok &= q10 == q1000
    say(f"   {'meeting':<12}{q10:>6}{q1000:>8}  {'same' if q10 == q1000 else 'DIFFERENT'}")
    if not ok:
        say("FAIL: a page's query count depends on the number of members")
        sys.exit(1)


if __name__ == "__main__":
    main()
