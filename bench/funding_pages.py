"""Benchmark: partnership funding at 20 programmes, 2,000 applications, 10,000 reviews and 5,000 payments.

Everything is generated here (never committed), in a fresh database.

1. Query counts of the officers' pages (the call's applications, the payment list, a decision's
   payments, the loans) and the portfolio report, at 10 and at 1,000 rows: the same.
2. The portfolio report (every figure of a funder's year) timed against the raw SQL aggregates of
   the same figures in the same run (goal: at most 1.5 ×), and the page served whole.

    .venv/bin/python bench/funding_pages.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_funding .venv/bin/python bench/funding_pages.py
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
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

PROGRAMMES = 20
APPLICATIONS = 2000
REVIEWS = 10000
PAYMENTS = 5000
BIG = 1000  # applications (and so projects) of the big call
SMALL = 10
YEAR = 2027
SEED = 2026
RUNS = 7
D = Decimal


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
    client.get(url, secure=True)  # the session's caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def build(users: dict[str, Any], orgs: dict[str, Any]) -> dict[str, Any]:
    """20 programmes with ELY and city envelopes and one call each. The first call has 1,000
    applications, the second 10, the rest share the others; every application has two outputs and
    five reviews and is granted by ELY; 5,000 payments over the decisions (most paid)."""
    from django.contrib.auth import get_user_model

    from osallisuus.funding.models import (
        Application,
        Call,
        Decision,
        Envelope,
        Funder,
        FundingRule,
        Loan,
        LoanInstalment,
        Output,
        Payment,
        Programme,
        Review,
    )

    rng = random.Random(SEED)
    helena, pekka = users["funder_officer"], users["civic_unit"]
    User = get_user_model()
    reviewers = [helena, pekka] + [
        User.objects.create_user(email=f"arvioija{i}@bench.osallisuus.fi", full_name=f"Arvioija {i}") for i in range(3)
    ]
    FundingRule.objects.get_or_create(
        kind=FundingRule.Kind.ADVANCE_MAX_PERCENT,
        valid_from=dt.date(2021, 1, 1),
        defaults={"value": D("30"), "source": "Laki 757/2021"},
    )
    now = timezone.now()
    sizes = [BIG, SMALL] + [(APPLICATIONS - BIG - SMALL) // (PROGRAMMES - 2)] * (PROGRAMMES - 2)
    calls, envelopes = [], []
    for p in range(PROGRAMMES):
        prog = Programme.objects.create(
            name=f"Kumppanuusrahoitus {p:02d}", organisation=orgs["city"], year_from=YEAR, year_until=YEAR
        )
        ely = Funder.objects.create(programme=prog, organisation=orgs["funder"], share=Funder.Share.ESF_STATE)
        city = Funder.objects.create(programme=prog, organisation=orgs["city"], share=Funder.Share.CITY)
        env = Envelope.objects.create(funder=ely, year=YEAR, cap=D("9000000"), source="Bench")
        Envelope.objects.create(funder=city, year=YEAR, cap=D("3000000"), source="Bench")
        call = Call.objects.create(
            programme=prog,
            name=f"Haku {p:02d}",
            opens_at=now - dt.timedelta(days=200),
            closes_at=now - dt.timedelta(days=150),
            year=YEAR,
        )
        call.funders.set([ely, city])
        calls.append((call, ely))
        envelopes.append(env)
    themes = ["Työllisyys", "Osallisuus", "Kulttuuri", "Nuoret", "Ikäihmiset"]
    areas = ["Keskusta", "Mäntyranta", "Kirkonkylä", "Satama"]
    applicants = [orgs["ngo"], orgs["ngo2"], orgs["village"]]
    apps = []
    for (call, _ely), size in zip(calls, sizes, strict=True):
        apps += [
            Application(
                call=call,
                applicant=applicants[i % 3],
                title=f"Hanke {call.pk}-{i}",
                status=Application.Status.DECIDED,
                submitted_at=now - dt.timedelta(days=160),
                theme=rng.choice(themes),
                area=rng.choice(areas),
                starts_on=dt.date(YEAR - 1, 1, 1),
                ends_on=dt.date(YEAR - 1, 12, 31),
                tracking_number=f"B{call.pk:03d}{i:05d}",
            )
            for i in range(size)
        ]
    apps = Application.objects.bulk_create(apps, batch_size=1000)
    funder_of = {call.pk: ely for call, ely in calls}
    env_of = {e.funder_id: e for e in envelopes}
    Output.objects.bulk_create(
        [
            Output(
                application=a,
                description=f"Tuotos {k}",
                indicator="kpl",
                target=D("10"),
                unit="kpl",
                reached=D(rng.randint(6, 14)),
            )
            for a in apps
            for k in range(2)
        ],
        batch_size=2000,
    )
    per_app = REVIEWS // APPLICATIONS
    Review.objects.bulk_create(
        [
            Review(application=a, funder=funder_of[a.call_id], reviewer=reviewers[k], comment="Hyvä.", submitted_at=now)
            for a in apps
            for k in range(per_app)
        ],
        batch_size=2000,
    )
    decisions = Decision.objects.bulk_create(
        [
            Decision(
                application=a,
                funder=funder_of[a.call_id],
                envelope=env_of[funder_of[a.call_id].pk],
                outcome="granted",
                number=f"ELY-{a.pk}",
                decided_on=dt.date(YEAR, 2, 1),
                decider=helena,
                amount=D("4000.00"),
            )
            for a in apps
        ],
        batch_size=1000,
    )
    payments = []
    for i in range(PAYMENTS):
        decision = decisions[i % len(decisions)]
        paid = rng.random() < 0.8
        payments.append(
            Payment(
                decision=decision,
                kind="advance" if i < len(decisions) else "instalment",
                amount=D("500.00"),
                status="paid" if paid else "requested",
                paid_on=dt.date(YEAR, 3, 1) if paid else None,
                paid_by=helena if paid else None,
                idempotency_key=f"bench-{i}",
                requested_by=users["applicant"],
                created_at=now,
                updated_at=now,
            )
        )
    Payment.objects.bulk_create(payments, batch_size=2000)
    for env in envelopes:
        decided = sum(d.amount for d in decisions if d.envelope_id == env.pk)
        paid_sum = sum(p.amount for p in payments if p.status == "paid" and p.decision.envelope_id == env.pk)
        Envelope.objects.filter(pk=env.pk).update(decided=decided, paid=paid_sum)
    for k, a in enumerate(apps[:BIG]):
        if k % 10 == 0:
            loan = Loan.objects.create(
                application=a, lender=orgs["city"], amount=D("2000"), granted_on=dt.date(YEAR, 2, 1)
            )
            LoanInstalment.objects.bulk_create(
                [LoanInstalment(loan=loan, due_on=dt.date(YEAR, 6 + m, 1), amount=D("500")) for m in range(4)]
            )
    big_call, big_ely = calls[0]
    small_call, small_ely = calls[1]
    big_decision = next(d for d in decisions if d.application.call_id == big_call.pk)
    return {
        "big_call": big_call,
        "small_call": small_call,
        "big_ely": big_ely,
        "small_ely": small_ely,
        "big_decision": big_decision,
        "small_decision": next(d for d in decisions if d.application.call_id == small_call.pk),
    }


RAW_SQL = {
    "totals": """
        SELECT COUNT(DISTINCT d.application_id), SUM(d.amount) FROM funding_decision d
        JOIN funding_envelope e ON e.id = d.envelope_id
        WHERE d.funder_id = %s AND e.year = %s AND d.outcome = 'granted'""",
    "theme": """
        SELECT a.theme, COUNT(DISTINCT d.application_id), SUM(d.amount) FROM funding_decision d
        JOIN funding_envelope e ON e.id = d.envelope_id JOIN funding_application a ON a.id = d.application_id
        WHERE d.funder_id = %s AND e.year = %s AND d.outcome = 'granted' GROUP BY a.theme ORDER BY a.theme""",
    "area": """
        SELECT a.area, COUNT(DISTINCT d.application_id), SUM(d.amount) FROM funding_decision d
        JOIN funding_envelope e ON e.id = d.envelope_id JOIN funding_application a ON a.id = d.application_id
        WHERE d.funder_id = %s AND e.year = %s AND d.outcome = 'granted' GROUP BY a.area ORDER BY a.area""",
    "outputs": """
        SELECT o.unit, COUNT(o.id), SUM(o.target), SUM(o.reached),
               SUM(CASE WHEN o.reached >= o.target THEN 1 ELSE 0 END),
               SUM(CASE WHEN o.verified_at IS NOT NULL THEN 1 ELSE 0 END)
        FROM funding_output o WHERE o.application_id IN (
            SELECT d.application_id FROM funding_decision d JOIN funding_envelope e ON e.id = d.envelope_id
            WHERE d.funder_id = %s AND e.year = %s AND d.outcome = 'granted')
        GROUP BY o.unit ORDER BY o.unit""",
    "payments": """
        SELECT p.kind, COUNT(DISTINCT d.application_id), SUM(p.amount) FROM funding_payment p
        JOIN funding_decision d ON d.id = p.decision_id JOIN funding_envelope e ON e.id = d.envelope_id
        WHERE d.funder_id = %s AND e.year = %s AND d.outcome = 'granted' AND p.status = 'paid'
        GROUP BY p.kind ORDER BY p.kind""",
    "envelope": "SELECT cap, decided, paid FROM funding_envelope WHERE funder_id = %s AND year = %s",
}


def raw_portfolio(funder_id: int) -> list[Any]:
    out = []
    with connection.cursor() as cursor:
        for sql in RAW_SQL.values():
            cursor.execute(sql, [funder_id, YEAR])
            out.append(cursor.fetchall())
    return out


def main() -> None:
    from osallisuus.accounts import demo as accounts_demo
    from osallisuus.core.demo import DemoContext
    from osallisuus.funding.selectors import portfolio as reads

    call_command("migrate", verbosity=0)
    ctx = DemoContext()
    accounts_demo.load(ctx)
    say(
        f"Building {PROGRAMMES} programmes, {APPLICATIONS:,} applications, {REVIEWS:,} reviews and "
        f"{PAYMENTS:,} payments ({connection.vendor})…"
    )
    start = time.perf_counter()
    w = build(ctx.users, ctx.organisations)
    say(f"   built in {time.perf_counter() - start:.1f} s\n")

    helena = client_for(ctx.users["funder_officer"])
    pekka = client_for(ctx.users["civic_unit"])
    analyst = client_for(ctx.users["analyst"])
    say(f"1. Queries per page at {SMALL} and at {BIG:,} rows (the same is the goal)")
    pages = [
        ("the call's applications (Helena)", helena, "funding:call", "small_call", "big_call", ""),
        ("payment list (Helena)", helena, "funding:payments", None, None, "?funder={}"),
        ("payment list XLSX (Helena)", helena, "funding:payments_xlsx", None, None, "?funder={}"),
        ("portfolio report (analyst)", analyst, "funding:portfolio", None, None, f"?year={YEAR}&funder={{}}"),
        ("portfolio XLSX (analyst)", analyst, "funding:portfolio_xlsx", None, None, f"?year={YEAR}&funder={{}}"),
    ]
    all_same = True
    for label, client, name, small_key, big_key, query in pages:
        if small_key:
            small_url = reverse(name, args=[w[small_key].pk])
            big_url = reverse(name, args=[w[big_key].pk])
        else:
            small_url = reverse(name) + query.format(w["small_ely"].pk)
            big_url = reverse(name) + query.format(w["big_ely"].pk)
        at_small, at_big = queries(client, small_url), queries(client, big_url)
        all_same &= at_small == at_big
        say(f"   {label:38} {at_small:4d} {at_big:6d}   {'same' if at_small == at_big else 'DIFFERENT'}")
    for label, client, name in (("a decision's payments (Helena)", helena, "funding:decision_money"),):
        at_small = queries(client, reverse(name, args=[w["small_decision"].pk]))
        at_big = queries(client, reverse(name, args=[w["big_decision"].pk]))
        all_same &= at_small == at_big
        say(f"   {label:38} {at_small:4d} {at_big:6d}   {'same' if at_small == at_big else 'DIFFERENT'}")
    at_loans = queries(pekka, reverse("funding:loans"))
    say(f"   loans (Pekka, {BIG // 10} loans)                  {at_loans:4d}")

    say(f"\n2. The portfolio report of the {BIG:,}-project funder against the raw SQL aggregates (median of {RUNS})")
    funder = w["big_ely"]
    t_raw, _ = timed(lambda: raw_portfolio(funder.pk))
    t_report, report = timed(lambda: reads.portfolio(funder=funder, year=YEAR, with_inclusion=False))
    t_inclusion, _ = timed(lambda: reads.portfolio(funder=funder, year=YEAR))
    url = reverse("funding:portfolio") + f"?year={YEAR}&funder={funder.pk}"
    t_page, _ = timed(lambda: analyst.get(url, secure=True))
    ratio = t_report / t_raw if t_raw else 0.0
    say(f"   raw SQL aggregates                     {t_raw * 1000:8.1f} ms")
    say(f"   portfolio report (goal ≤ 1.5 × raw)    {t_report * 1000:8.1f} ms   {ratio:.2f} ×")
    say(f"   with the inclusion figures             {t_inclusion * 1000:8.1f} ms")
    say(f"   the page served whole                  {t_page * 1000:8.1f} ms")
    say(f"   ({report.projects:,} projects, {report.granted:,} € granted)")
    say("")
    say("Query counts constant: " + ("yes" if all_same else "NO"))
    say("Portfolio within 1.5 × raw SQL: " + ("yes" if ratio <= 1.5 else "NO"))


if __name__ == "__main__":
    main()
