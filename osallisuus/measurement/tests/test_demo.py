"""The demo data gives reports with real distributions, change between rounds and hidden small groups."""

from __future__ import annotations

from osallisuus.measurement import reports
from osallisuus.measurement.models import Response


def test_demo__rounds_have_hundreds_of_answers_change_and_suppression(db):
    from osallisuus.accounts import demo as accounts_demo
    from osallisuus.core.demo import DemoContext
    from osallisuus.measurement import demo

    ctx = DemoContext()
    accounts_demo.load(ctx)
    demo.load(ctx)
    baseline, follow_up, pilot, _open = ctx.extra["measurement_rounds"]
    assert Response.objects.submitted().count() > 500
    report = reports.round_report(round=baseline)
    assert report.shown
    assert report.n > 200
    areas = next(t for t in report.tables if t.title == "By area")
    hidden = [c for c in areas.cells if not c.shown]
    assert len(hidden) >= 2  # Saarela is small, and one more area is hidden with it
    change = reports.change_report(first=baseline, second=follow_up)
    assert change.paired_n
    assert change.paired_n > 100
    assert change.paired_difference > 0
    assert not reports.round_report(round=pilot).shown
