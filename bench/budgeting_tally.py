"""Benchmark: the winner rules on 200 proposals and 100,000 ballots, and the budgeting pages.

1. The count in memory (``osallisuus.budgeting.rules``): the greedy rule (goal: at most 200 ms) and
   Equal Shares with its completion and the greedy fill (goal: at most 2 s), each the median of a few
   runs; then pabutools (GPL-3.0, a dev dependency, used here and in the tests only) on the same instance
   in the same run, with whether it chose the same winners.
2. The count from the database: reading the 100,000 anonymous ballots (``services.ballots_of``) and
   counting them, as closing the voting does.
3. The pages: the number of SQL queries of the process page, the list of voters and the results page with
   10 and with 1,000 voters and ballots (they must be the same), and their median latency.

    .venv/bin/python bench/budgeting_tally.py                 # everything (pabutools' Equal Shares takes ~20 min)
    .venv/bin/python bench/budgeting_tally.py --quick         # pabutools' Equal Shares counted once, not completed
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/budgeting_tally.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
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

from osallisuus.budgeting import rules  # noqa: E402

PROPOSALS = 200
BALLOTS = int(os.environ.get("BENCH_BALLOTS", "100000"))  # smaller only to try the script out
BUDGET = Decimal("1000000")
SEED = 2026
RUNS = 5
PAGE_RUNS = 20
QUICK = "--quick" in sys.argv


def instance(n_ballots: int = BALLOTS) -> tuple[list[rules.Option], list[tuple[int, ...]]]:
    """200 proposals of 2 000–80 000 € with a long tail of popularity (a few are wanted by many, most by
    few), and ballots of 1–10 choices: like a city's participatory budget."""
    rng = random.Random(SEED)
    popularity = [rng.paretovariate(1.2) for _ in range(PROPOSALS)]
    options = [
        rules.Option(
            id=i + 1, number=i + 1, cost=Decimal(rng.randrange(2000, 80000, 50)), third_sector=rng.random() < 0.3
        )
        for i in range(PROPOSALS)
    ]
    ids = [o.id for o in options]
    ballots = [tuple(sorted(set(rng.choices(ids, weights=popularity, k=rng.randint(1, 10))))) for _ in range(n_ballots)]
    return options, ballots


def median_seconds(run: Callable[[], Any], runs: int = RUNS) -> tuple[float, Any]:
    """The median wall-clock time of ``runs`` runs (and the last result); the CPU time is kept in CPU."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[run] = statistics.median(cpu)
    return statistics.median(times), result


CPU: dict[Any, float] = {}


def pabutools_count(options: list[rules.Option], ballots: list[tuple[int, ...]], rule: str) -> tuple[float, list[int]]:
    """The same instance in pabutools: projects named by our tie order (so its tie-breaking is ours), cost
    satisfaction, Equal Shares completed by 1 € a time and filled greedily (or counted once with --quick)."""
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule

    votes = rules.count_votes(options, ballots)
    rank = {o.id: i for i, o in enumerate(rules.tie_order(options, votes))}
    projects = {o.id: Project(f"{rank[o.id]:04d}", Fraction(str(o.cost))) for o in options if votes[o.id]}
    inst = Instance(projects.values(), budget_limit=Fraction(str(BUDGET)))
    profile = ApprovalProfile([ApprovalBallot(projects[i] for i in b) for b in ballots])
    order = TieBreakingRule(lambda _inst, _prof, project: project.name)
    start = time.perf_counter()
    if rule == "greedy":
        chosen = greedy_utilitarian_welfare(inst, profile, sat_class=Cost_Sat, tie_breaking=order)
    else:
        increment = None if QUICK else 1
        shares = method_of_equal_shares(
            inst, profile, sat_class=Cost_Sat, voter_budget_increment=increment, tie_breaking=order
        )
        chosen = shares
        if not QUICK:
            chosen = greedy_utilitarian_welfare(
                inst, profile, sat_class=Cost_Sat, tie_breaking=order, initial_budget_allocation=shares
            )
    seconds = time.perf_counter() - start
    back = {p.name: i for i, p in projects.items()}
    return seconds, sorted(back[p.name] for p in chosen)


def part_rules() -> list[tuple[int, ...]]:
    options, ballots = instance()
    choices = sum(len(b) for b in ballots)
    print(
        f"1. The count in memory: {len(options)} proposals, {len(ballots):,} ballots ({choices:,} choices), "
        f"budget {BUDGET:,} €"
    )

    def run_greedy() -> rules.Result:
        return rules.tally(rule="greedy", budget=BUDGET, options=options, ballots=ballots)

    def run_shares() -> rules.Result:
        return rules.tally(rule="equal_shares", budget=BUDGET, options=options, ballots=ballots)

    greedy_s, greedy = median_seconds(run_greedy)
    shares_s, shares = median_seconds(run_shares, runs=3)
    print(f"   load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (the machine is shared)")
    print(f"   {'rule':<44}{'wall':>10}{'cpu':>10}{'goal':>10}{'winners':>9}{'spent €':>14}")
    print(
        f"   {'greedy':<44}{greedy_s * 1000:>8.0f}ms{CPU[run_greedy] * 1000:>8.0f}ms{'200 ms':>10}"
        f"{len(greedy.winners):>9}{greedy.spent:>14,}"
    )
    print(
        f"   {'equal shares + completion + greedy fill':<44}{shares_s * 1000:>8.0f}ms{CPU[run_shares] * 1000:>8.0f}ms"
        f"{'2 000 ms':>10}{len(shares.winners):>9}{shares.spent:>14,}"
    )
    print(
        f"   (equal shares counted {shares.counts} times: each share {shares.first_share} € → {shares.final_share} €)"
    )
    print("   pabutools on the same instance (same run):", flush=True)
    p_greedy_s, p_greedy = pabutools_count(options, ballots, "greedy")
    print(
        f"   {'greedy_utilitarian_welfare (Cost_Sat)':<44}{p_greedy_s:>9.1f}s  same winners: "
        f"{'yes' if p_greedy == sorted(greedy.winners) else 'NO'}  ({p_greedy_s / greedy_s:,.0f}× ours)",
        flush=True,
    )
    label = "method_of_equal_shares, once" if QUICK else "method_of_equal_shares +1 € + greedy"
    p_shares_s, p_shares = pabutools_count(options, ballots, "equal_shares")
    same = "(not comparable: counted once)" if QUICK else ("yes" if p_shares == sorted(shares.winners) else "NO")
    print(f"   {label:<44}{p_shares_s:>9.1f}s  same winners: {same}  ({p_shares_s / shares_s:,.0f}× ours)")
    ok = greedy_s <= 0.2 and shares_s <= 2.0
    cpu_ok = CPU[run_greedy] <= 0.2 and CPU[run_shares] <= 2.0
    print(f"   goals met: wall clock {'yes' if ok else 'NO'}, CPU time {'yes' if cpu_ok else 'NO'}")
    return ballots


def part_database(ballots: list[tuple[int, ...]]) -> dict[str, Any]:
    from osallisuus.accounts import services as accounts
    from osallisuus.accounts.models import Organisation, User
    from osallisuus.budgeting import services
    from osallisuus.budgeting.models import Ballot, BallotChoice, EligibleVoter, Participation, Process, Proposal
    from osallisuus.budgeting.tests.factories import dates

    ngo = Organisation.objects.create(name="Bench NGO", kind="ngo")
    staff = User.objects.create_user("staff@bench.invalid", "x", full_name="Bench staff")
    accounts.membership_grant(user=staff, organisation=ngo, roles=("activity_provider",))
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=staff, name="bench", confirmed=True)

    def process(name: str, n_proposals: int) -> Process:
        p = services.process_create(
            actor=staff,
            organisation=ngo,
            data={"name": name, "budget": BUDGET, "electorate": "list", "winner_rule": "equal_shares", **dates()},
        )
        Process.objects.filter(pk=p.pk).update(phase=Process.Phase.VOTING)
        Proposal.objects.bulk_create(
            Proposal(
                process=p,
                number=i + 1,
                title=f"Ehdotus {i + 1}",
                for_whom="k",
                why="m",
                status="feasible",
                cost=Decimal(2000 + 350 * i),
            )
            for i in range(n_proposals)
        )
        return Process.objects.get(pk=p.pk)

    big = process("Iso", PROPOSALS)
    ids = list(big.proposals.order_by("number").values_list("pk", flat=True))
    start = time.perf_counter()
    made = Ballot.objects.bulk_create((Ballot(process=big) for _ in ballots), batch_size=5000)
    BallotChoice.objects.bulk_create(
        (
            BallotChoice(ballot=b, proposal_id=ids[c - 1])
            for b, choice in zip(made, ballots, strict=True)
            for c in choice
        ),
        batch_size=10000,
    )
    print(
        f"\n2. The count from the database ({connection.vendor}): {len(ballots):,} ballots written in "
        f"{time.perf_counter() - start:.1f} s"
    )

    def read_ballots() -> list[tuple[int, ...]]:
        return services.ballots_of(big)

    read_s, read = median_seconds(read_ballots, runs=3)
    options = services.options_of(big)

    def count() -> rules.Result:
        return rules.tally(rule="equal_shares", budget=BUDGET, options=options, ballots=read)

    count_s, _result = median_seconds(count, runs=3)
    print(
        f"   reading the ballots: {read_s * 1000:.0f} ms wall, {CPU[read_ballots] * 1000:.0f} ms CPU; "
        f"equal shares on them: {count_s * 1000:.0f} ms wall, {CPU[count] * 1000:.0f} ms CPU"
    )

    # Pages: the same processes with 10 and with 1,000 voters on the list and as many ballots.
    sizes = {}
    for n in (10, 1000):
        p = process(f"Sivut {n}", 12)
        people = User.objects.bulk_create(
            (User(email=f"v{n}-{i}@bench.invalid", full_name=f"Äänestäjä {i:04d}", password="!") for i in range(n)),  # noqa: S106
            batch_size=1000,
        )
        EligibleVoter.objects.bulk_create((EligibleVoter(process=p, person=u) for u in people), batch_size=1000)
        Participation.objects.bulk_create(
            (Participation(process=p, voter=u, method="online") for u in people), batch_size=1000
        )
        options = list(p.proposals.values_list("pk", flat=True))
        rng = random.Random(n)
        made = Ballot.objects.bulk_create((Ballot(process=p) for _ in range(n)), batch_size=1000)
        BallotChoice.objects.bulk_create(
            (BallotChoice(ballot=b, proposal_id=c) for b in made for c in rng.sample(options, 3)), batch_size=5000
        )
        services.process_advance(actor=staff, process=p, to=Process.Phase.RESULTS)
        services.results_publish(actor=staff, process=p)
        sizes[n] = p
    return {"staff": staff, "sizes": sizes}


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


def median_ms(client: Client, url: str) -> float:
    client.get(url, secure=True)
    times = []
    for _ in range(PAGE_RUNS):
        start = time.perf_counter()
        response = client.get(url, secure=True)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times)


def part_pages(data: dict[str, Any]) -> bool:
    client = client_for(data["staff"])
    small, large = data["sizes"][10], data["sizes"][1000]
    print(f"\n3. Pages with 10 and with 1,000 voters and ballots (median of {PAGE_RUNS} requests)")
    print(f"   {'page':<18}{'queries@10':>12}{'queries@1000':>14}{'same':>6}{'ms@10':>9}{'ms@1000':>9}")
    ok = True
    for label, name in (
        ("process", "budgeting:process"),
        ("voters", "budgeting:voters"),
        ("results", "budgeting:results"),
    ):
        u10, u1000 = reverse(name, args=[small.pk]), reverse(name, args=[large.pk])
        client.get(u10, secure=True)  # warm up the caches (rights, sessions) before counting
        q10, q1000 = queries(client, u10), queries(client, u1000)
        ok &= q10 == q1000
        print(
            f"   {label:<18}{q10:>12}{q1000:>14}{'yes' if q10 == q1000 else 'NO':>6}"
            f"{median_ms(client, u10):>9.1f}{median_ms(client, u1000):>9.1f}"
        )
    healthz = median_ms(client, reverse("core:healthz"))
    print(f"   {'minimal view':<18}{'':>12}{'':>14}{'':>6}{healthz:>9.1f}{healthz:>9.1f}")
    return ok


def main() -> None:
    ballots = part_rules()
    call_command("migrate", verbosity=0)
    data = part_database(ballots)
    if not part_pages(data):
        print("FAIL: the query count depends on the number of rows")
        sys.exit(1)


if __name__ == "__main__":
    main()
