"""The portfolio report: envelope use, projects by theme and area, outputs, payments and the
participants' inclusion as suppressed group figures; the same queries for 10 or 1,000 projects."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from osallisuus.funding.models import Application, Decision, Envelope, Output, Payment
from osallisuus.funding.selectors import portfolio as reads
from osallisuus.funding.services import payments as money
from osallisuus.measurement import services as measurement

from . import money_world

pytestmark = pytest.mark.django_db

D = Decimal
VALUES = {"belong": 4, "useful": 4, "alone": 2, "future": 5, "say": 4, "unheard": 2}


@pytest.fixture
def world(personas):
    return money_world.build(personas)


def _more_projects(world, n, *, theme="Osallisuus", area="Mäntyranta", start=0):
    """``n`` more granted ELY projects of 100 € each, with one output each, in bulk."""
    apps = Application.objects.bulk_create(
        [
            Application(
                call=world.call,
                applicant=world.personas.organisations["ngo"],
                title=f"Hanke {i}",
                status=Application.Status.DECIDED,
                theme=theme,
                area=area,
                tracking_number=f"B{start + i:07d}",
            )
            for i in range(n)
        ]
    )
    Decision.objects.bulk_create(
        [
            Decision(
                application=a,
                funder=world.ely,
                envelope=world.ely_envelope,
                outcome="granted",
                number=f"B-{a.pk}",
                decided_on=dt.date(2027, 2, 1),
                decider=world.personas.funder_officer,
                amount=D("100.00"),
            )
            for a in apps
        ]
    )
    Output.objects.bulk_create(
        [Output(application=a, description="Tapahtumia", indicator="kpl", target=D("2"), unit="kpl") for a in apps]
    )
    Envelope.objects.filter(pk=world.ely_envelope.pk).update(decided=world.ely_envelope.decided + n * D("100.00"))


def test_figures__envelope_themes_areas_outputs_and_payments(world):
    _more_projects(world, 3)
    payment = money.payment_request(
        actor=world.personas.applicant,
        decision=world.ely_decision,
        kind="advance",
        amount=D("12000"),
        idempotency_key="p",
    )
    money.payment_approve(actor=world.personas.funder_officer, payment=payment)
    report = reads.portfolio(funder=world.ely, year=money_world.YEAR)
    assert report.projects == 4
    assert report.granted == D("40300.00")
    assert report.envelope is not None
    assert report.envelope.decided + report.envelope.remaining == report.envelope.cap
    themes = {r.label: (r.projects, r.amount) for r in report.by_theme}
    assert themes == {"Työllisyys": (1, D("40000.00")), "Osallisuus": (3, D("300.00"))}
    areas = {r.label: r.projects for r in report.by_area}
    assert areas == {"Keskusta": 1, "Mäntyranta": 3}
    units = {o.unit: (o.outputs, o.planned) for o in report.outputs}
    assert units["kpl"] == (4, D("36.00"))  # 30 evenings + 3 × 2 events
    assert [(r.projects, r.amount) for r in report.payments] == [(1, D("12000.00"))]


def _answers(world, people, count):
    instrument_code = "demo-belonging"
    for i in range(count):
        response = measurement.response_start(
            instrument_code=instrument_code,
            respondent=people[i % len(people)],
            context_module="funding",
            context_ref=str(world.application.pk),
            organisation=world.personas.organisations["ngo2"],
        )
        measurement.response_save(response=response, values=VALUES)
        measurement.response_submit(response=response)


def test_inclusion__a_small_group_is_hidden_a_larger_one_shown(world):
    people = [world.personas.participant, world.personas.participant2]
    _answers(world, people, 3)
    report = reads.portfolio(funder=world.ely, year=money_world.YEAR)
    assert len(report.inclusion) == 1
    assert not report.inclusion[0].shown
    assert report.inclusion[0].mean is None
    _answers(world, people, 4)
    report = reads.portfolio(funder=world.ely, year=money_world.YEAR)
    inclusion = report.inclusion[0]
    assert inclusion.shown
    assert inclusion.n == 7
    labels = [c.label for c in inclusion.tables[0].cells]
    assert "Pajalta töihin" in labels


def test_page_and_xlsx__analyst_sees_figures_others_404(world, login):
    analyst = login(world.personas.analyst)
    url = reverse("funding:portfolio") + f"?funder={world.ely.pk}&year={money_world.YEAR}"
    page = analyst.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    assert 'scope="row"' in body
    answer = analyst.get(reverse("funding:portfolio_xlsx") + f"?funder={world.ely.pk}&year={money_world.YEAR}")
    book = load_workbook(io.BytesIO(answer.content))
    assert "€" in book.active.cell(row=3, column=2).number_format
    assert login(world.personas.participant).get(url).status_code == 404
    assert login(world.personas.coordinator).get(url).status_code == 404


def _queries(world, client):
    url = reverse("funding:portfolio") + f"?funder={world.ely.pk}&year={money_world.YEAR}"
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queries__the_same_for_10_and_1000_projects(world, login):
    client = login(world.personas.analyst)
    _more_projects(world, 9)
    _queries(world, client)  # the first page view fills the caches of the session
    at_10 = _queries(world, client)
    _more_projects(world, 990, theme="Kulttuuri", area="Kirkonkylä", start=10)
    at_1000 = _queries(world, client)
    assert at_10 == at_1000


def test_payment_list_queries__the_same_for_10_and_1000_payments(world, login):
    client = login(world.personas.funder_officer)
    now = timezone.now()

    def pay(n, start):
        Payment.objects.bulk_create(
            [
                Payment(
                    decision=world.ely_decision,
                    kind="advance",
                    amount=D("1.00"),
                    idempotency_key=f"bulk-{start + i}",
                    created_at=now,
                    updated_at=now,
                )
                for i in range(n)
            ]
        )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("funding:payments")).status_code == 200
        return len(ctx.captured_queries)

    pay(10, 0)
    count()  # the first page view fills the caches of the session
    at_10 = count()
    pay(990, 10)
    assert count() == at_10
