"""Concurrency on PostgreSQL: a personal link opened at once in many browsers makes one response,
and answers sent at once from many browsers are sent once; nothing is written after sending."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import translation

from osallisuus.core.models import ChangeEvent
from osallisuus.measurement import services
from osallisuus.measurement.models import Response

from .factories import make_round

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture
def personas(transactional_db):
    """The personas on a flushed database (the seed of roles runs again if a transactional test
    before this one emptied it; the shipped instruments come back with the flush's post_migrate)."""
    import importlib

    from django.apps import apps

    from conftest import Personas
    from osallisuus.accounts import demo as accounts_demo
    from osallisuus.accounts.models import Role
    from osallisuus.core.demo import DemoContext

    if not Role.objects.exists():
        importlib.import_module("osallisuus.accounts.migrations.0002_roles_and_permissions").seed(apps, None)
    ctx = DemoContext()
    accounts_demo.load(ctx)
    return Personas(users=ctx.users, organisations=ctx.organisations)


def _run_parallel(calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        close_old_connections()
        try:
            barrier.wait()
            with translation.override("en"):
                results[i] = ("ok", call())
        except services.MeasurementError as exc:
            results[i] = ("refused", exc.message)
        except Exception as exc:  # pragma: no cover - the test fails on any other error
            results[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def token(personas):
    round_ = make_round(organisation=personas.organisations["county"], code="plan-checkin")
    services.round_invite(actor=None, round=round_, people=[personas.participant])
    return services.invitation_issue_link(invitation=round_.invitations.get())


def test_link_open__ten_browsers_at_once__make_one_response(token):
    results = _run_parallel([lambda: services.link_open(token=token).pk for _ in range(10)])
    assert {kind for kind, _value in results} == {"ok"}
    assert len({value for _kind, value in results}) == 1
    assert Response.objects.count() == 1


def test_submit__ten_browsers_at_once__sent_once_and_nothing_written_after(token):
    response = services.link_open(token=token)
    services.response_save(response=response, values={"goals": 4, "support": 4, "activities": 4, "stuck": 2})
    calls = [lambda: services.response_submit(response=response).pk for _ in range(5)]
    calls += [lambda: services.response_save(response=response, values={"goals": 1}).pk for _ in range(5)]
    results = _run_parallel(calls)
    assert not [r for r in results if r[0] == "error"], results
    submitted = [r for r in results[:5] if r[0] == "ok"]
    assert len(submitted) == 1
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert ChangeEvent.objects.filter(verb="measurement.response.submitted").count() == 1
    # whichever saves came before the send, none came after it: the score is the score of the answers kept
    kept = {k: v for k, v in services.answers_of(response).items() if isinstance(v, int)}
    assert services.score_of(instrument=response.instrument, values=kept).score == response.score
    refused = [message for kind, message in results[5:] if kind == "refused"]
    assert all("already been sent" in message for message in refused)
