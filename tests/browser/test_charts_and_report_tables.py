"""Report pages as their readers see them, with the demo data (small scale), at 1280 and 390 px:
every chart names its axes (what the bars are, 0 to the largest figure, the unit) in the
reader's language and has a data table beside it; every table wider than its column scrolls
inside a keyboard-focusable, labelled region, and the experts' long lists become cards of
"heading: value" lines on a phone; no page is wider than a 390 px phone; axe finds
no violations. An expert's card names languages, not codes.

Screenshots: ``<screens>/selko-<page>-<width>.png`` in ``$OSALLISUUS_SCREENSHOTS`` or ``<tmp>/screens``."""

from __future__ import annotations

from typing import Any

import pytest

from osallisuus.core.demo import DEMO_PASSWORD

from .helpers import log_in, switch_language
from .test_pages_by_role import SCREENS, _load_demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

# What is wrong with the charts and the scrolling tables of the page, as a list of sentences.
PROBLEMS = """() => {
  const found = [];
  const name = e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '');
  for (const chart of document.querySelectorAll('main .bars, main .bar-chart')) {
    const axis = chart.querySelector('.bar-axis');
    const texts = axis ? [...axis.children].map(c => c.innerText.trim()) : [];
    const what = chart.innerText.slice(0, 60);
    if (texts.length !== 3 || texts.some(t => !t)) found.push('a chart without named axes: ' + what);
    const section = chart.closest('section') || chart.parentElement;
    if (!section.querySelector('table th[scope=col]')) found.push('a chart without a data table: ' + what);
  }
  for (const e of document.querySelectorAll('main *')) {
    const style = getComputedStyle(e);
    if (!['auto', 'scroll'].includes(style.overflowX) || e.scrollWidth <= e.clientWidth + 1) continue;
    const label = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');
    if (e.getAttribute('role') !== 'region' || e.getAttribute('tabindex') !== '0' || !label)
      found.push('a scrolling box that is not a focusable, labelled region: ' + name(e));
  }
  if (document.documentElement.scrollWidth > window.innerWidth)
    found.push('the page is ' + document.documentElement.scrollWidth + ' px wide');
  return found; }"""


def _check(page: Any, shot: str) -> str:
    from axe_playwright_python.sync_playwright import Axe

    SCREENS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENS / f"selko-{shot}-{width}.png"), full_page=True)
        problems += [f"{width} px: {p}" for p in page.evaluate(PROBLEMS)]
    result = Axe().run(page)
    if result.violations_count:
        problems.append(result.generate_report())
    assert problems == [], f"{page.url}\n" + "\n".join(problems)
    return page.locator("main").inner_text()


def _as(page: Any, ctx: Any, role: str) -> None:
    page.context.clear_cookies()
    log_in(page, ctx.users[role], DEMO_PASSWORD)
    switch_language(page, "fi")


def test_report_pages__charts_name_their_axes_and_wide_tables_scroll_in_a_region(page):
    from osallisuus.experts.models import Agreement, TaskRequest
    from osallisuus.measurement.models import Round

    ctx = _load_demo()

    _as(page, ctx, "analyst")
    page.goto("/plan/reports/")
    if page.locator("form.organisation-choice").count():
        with page.expect_navigation():
            page.locator("form.organisation-choice button[type=submit]").click()
    _check(page, "activation-reports")
    assert page.locator("main .bar-axis").count() >= 4
    baskets = page.locator("[aria-labelledby=chart-baskets] .bar-axis").inner_text()
    assert "Elämän osa-alue" in baskets
    assert "Henkilöitä" in baskets

    report = Round.objects.filter(responses__status="submitted").order_by("pk").first()
    page.goto(f"/measurement/reports/rounds/{report.pk}/")
    main = _check(page, "measurement-round-report")
    axes = page.locator("main .bar-axis")
    assert axes.count() >= 1
    assert "Henkilöitä" in axes.first.inner_text()
    assert "1.4" not in main  # a score band is written 1,4–1,8

    _as(page, ctx, "coordinator")
    page.goto("/experts/reports/")
    _check(page, "experts-reports")
    assert "Kuukausi" in page.locator("main .bar-axis").first.inner_text()
    # The long lists are cards of "heading: value" lines on a phone, a table on a desktop.
    for url, shot in (
        ("/experts/experts/", "experts-list"),
        ("/experts/requests/", "experts-requests"),
        ("/experts/wellbeing/", "experts-wellbeing"),
        ("/experts/payments/", "experts-payments"),
    ):
        page.goto(url)
        _check(page, shot)
        row = page.locator("main table.stack-on-phone tbody tr").first
        page.set_viewport_size({"width": 1280, "height": 900})
        assert row.evaluate("e => getComputedStyle(e).display") == "table-row"
        page.set_viewport_size({"width": 390, "height": 900})
        assert row.evaluate("e => getComputedStyle(e).display") == "block"
        cell = row.locator("td[data-label]").nth(1)
        assert cell.get_attribute("data-label")
        assert cell.evaluate("e => getComputedStyle(e, '::before').content") not in ("none", "normal", "")
    agreement = Agreement.objects.order_by("pk").first()
    page.goto(f"/experts/agreements/{agreement.pk}/")
    card = _check(page, "experts-agreement")
    assert "suomi" in card

    request = TaskRequest.objects.filter(language="sv").order_by("pk").first() or TaskRequest.objects.first()
    page.goto(f"/experts/requests/{request.pk}/")
    wanted = _check(page, "experts-request")
    assert {"fi": "suomi", "sv": "ruotsi", "en": "englanti"}[request.language] in wanted

    _as(page, ctx, "expert")
    page.goto("/experts/offers/")
    _check(page, "experts-offers")
    page.goto("/experts/limits/")
    _check(page, "experts-limits")
    assert "Palkkiot (€)" in page.locator("main .bar-axis").first.inner_text()
    page.goto("/experts/profile/")
    _check(page, "experts-profile")
