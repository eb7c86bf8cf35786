"""Experts journey in Chromium, Finnish UI: Sari (orderer) files a request → Kaisa
(coordinator) sees ranked candidates and offers → Eero (expert) sees the earnings warning and
accepts → Sari confirms, gives feedback with the keyboard and returns to the task → Eero reports
expenses → Kaisa approves and exports. axe-core finds no violations on any page visited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from osallisuus.core.demo import DEMO_PASSWORD

from .helpers import log_in, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


def assert_accessible(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()


@pytest.fixture
def pages(browser: Any, live_server: Any) -> Iterator[Any]:
    contexts = []

    def open_as(user: Any) -> Any:
        context = browser.new_context(base_url=live_server.url, locale="fi-FI")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        log_in(page, user, DEMO_PASSWORD)
        return page

    yield open_as
    for context in contexts:
        context.close()


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)
    assert_accessible(page)


def follow(page: Any, selector: str) -> None:
    """With the keyboard only: Tab to a link or button, press Enter, wait for the next page."""
    tab_to(page, selector, limit=120)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)


def choose(page: Any, name: str, steps_right: int) -> None:
    """Tab to a radio group and pick an option with Space and the arrow keys."""
    tab_to(page, f"input[name={name}]", limit=120)
    page.keyboard.press("Space")
    for _ in range(steps_right):
        page.keyboard.press("ArrowRight")


def test_experts_journey__order_offer_accept_confirm_expenses_export(pages, personas):
    from osallisuus.experts.models import Agreement, EarningsLimit, ExpenseReport, TaskRequest
    from osallisuus.experts.tests.factories import build_world
    from osallisuus.measurement import services
    from osallisuus.measurement.models import Response

    world = build_world(personas)
    EarningsLimit.objects.create(
        expert=world.eero,
        kind="Työkyvyttömyyseläkkeen ansioraja",
        amount=Decimal("50.00"),
        period="month",
        consecutive_months=3,
        valid_from=dt.date(2020, 1, 1),
        source="Eläkepäätös",
    )
    starts = (timezone.localtime() + dt.timedelta(days=10)).replace(hour=10, minute=0)

    # Sari files a request.
    sari = pages(personas.orderer)
    sari.goto("/experts/requests/new/")
    assert sari.get_attribute("html", "lang") == "fi"
    assert_accessible(sari)
    sari.select_option("#id_task_type", label="Koulutus ja luennointi")
    sari.fill("#id_title", "Luento sosiaalialan opiskelijoille")
    sari.fill("#id_description", "Kokemuspuheenvuoro toipumisesta, 90 minuuttia.")
    sari.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    sari.fill("#id_duration_minutes", "90")
    sari.fill("#id_address", "Kirkkokatu 1, Järvilahti")
    sari.fill("#id_region", "Järvi-Suomi")
    sari.select_option("#id_experience_area", label="Mielenterveys")
    sari.select_option("#id_partner_worker", label=personas.partner_worker.full_name)
    submit(sari, "main form button[type=submit]")
    req = TaskRequest.objects.get()
    assert f"/experts/requests/{req.pk}/" in sari.url

    # Kaisa approves it with the event fee, sees ranked candidates with reasons and offers.
    kaisa = pages(personas.coordinator)
    kaisa.goto(f"/experts/requests/{req.pk}/")
    assert_accessible(kaisa)
    kaisa.check("input[name=decision][value=approve]")
    kaisa.select_option("#id_fee_item_code", value="event")
    submit(kaisa, "form[action$='/review/'] button[type=submit]")
    assert kaisa.locator("#candidates tbody tr").count() == 2
    assert kaisa.locator(f"#cand-{world.eero.pk}-why details li").count() >= 5
    kaisa.check(f"#cand-{world.eero.pk}")
    submit(kaisa, "form[action$='/offer/'] .offer-bar button[type=submit]")

    # Eero sees the offer with the earnings warning and accepts.
    eero = pages(personas.expert)
    eero.goto("/experts/offers/")
    assert_accessible(eero)
    with eero.expect_navigation():
        eero.click(f"text={req.title}")
    assert_accessible(eero)
    assert eero.locator(".earnings-warning").is_visible()
    assert "50,00\u00a0€" in eero.locator(".earnings-warning").inner_text()
    submit(eero, "form[action$='/accept/'] button[type=submit]")
    agreement = Agreement.objects.get()
    assert agreement.fee == Decimal("100.00")

    # The task takes place; Sari confirms it.
    Agreement.objects.filter(pk=agreement.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    sari.goto(f"/experts/agreements/{agreement.pk}/")
    assert_accessible(sari)
    sari.check("input[name=outcome][value=done]")
    submit(sari, "form[action$='/confirm/'] button[type=submit]")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DONE

    # Sari gives feedback with the new button, answers with the keyboard only and returns to the task.
    follow(sari, "form[action$='/feedback/'] button[type=submit]")
    follow(sari, "main a[href='?view=all']")
    for name in ("useful", "arrangements", "new_view", "again"):
        choose(sari, name, 3)  # the 4th option: agree
    tab_to(sari, "#id_comment", limit=120)
    sari.keyboard.type("Hyvä ja selkeä puheenvuoro.")
    follow(sari, "button[name=action][value=submit]")
    feedback = Response.objects.get(respondent=personas.orderer)
    assert feedback.status == Response.Status.SUBMITTED
    assert feedback.instrument.code == "orderer-task-feedback"
    assert (feedback.context_module, feedback.context_ref) == ("experts", f"agreement:{agreement.pk}")
    assert services.answers_of(feedback) == {
        "useful": 4,
        "arrangements": 4,
        "new_view": 4,
        "again": 4,
        "comment": "Hyvä ja selkeä puheenvuoro.",
    }
    task_link = sari.locator(f"main a[href='/experts/agreements/{agreement.pk}/']")
    assert task_link.inner_text().strip() == "Takaisin tehtävään"
    follow(sari, f"main a[href='/experts/agreements/{agreement.pk}/']")
    assert sari.url.endswith(f"/experts/agreements/{agreement.pk}/")
    assert "Annoit palautetta" in sari.locator("main").inner_text()

    # Eero reports his kilometres.
    eero.goto(f"/experts/agreements/{agreement.pk}/expenses/")
    assert_accessible(eero)
    eero.fill("#id_kilometres", "42")
    submit(eero, "main form[enctype] button[type=submit]")
    report = ExpenseReport.objects.get()

    # Kaisa approves and exports for the payroll.
    kaisa.goto("/experts/payments/")
    assert_accessible(kaisa)
    submit(kaisa, f"form:has(input[name=report][value='{report.pk}']) button[value=approve]")
    report.refresh_from_db()
    assert report.status == ExpenseReport.Status.APPROVED
    kaisa.select_option("#id_format", value="xlsx")
    with kaisa.expect_download() as download:
        kaisa.click("form[action$='/export/'] button[type=submit]")
    assert download.value.suggested_filename.endswith(".xlsx")
