"""The experts pages as people use them, in Chromium, Finnish UI (issue 14 items 1, 4 and 6):
at 390 px no page is wider than the phone (wide tables scroll in their own labelled region),
axe-core finds no violations, and money reads the Finnish way (``1 234,56 €``, never
``300.00 €``). Screenshots at 390 and 1280 px go to ``/tmp/screens/experts-<page>-<width>.png``
(or ``EXPERTS_SCREENS``)."""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from .test_experts_journey import assert_accessible, pages  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

FINNISH_MONEY = re.compile(r"\d{1,3}(?:\u00a0\d{3})*,\d{2}\u00a0€")
FOREIGN_MONEY = re.compile(r"\d\.\d{2}\s?€|\d,\d{3}\.\d{2}")
SCREENS = Path(os.environ.get("EXPERTS_SCREENS", "/tmp/screens"))  # noqa: S108 - screenshots to look at


def _check(page: Any, name: str, url: str, *, money: bool = False) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(url)
    assert page.get_attribute("html", "lang") == "fi"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, (name, width)
    assert_accessible(page)
    text = page.inner_text("main")
    assert not FOREIGN_MONEY.search(text), (name, FOREIGN_MONEY.search(text))
    if money:
        assert FINNISH_MONEY.search(text), name
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"experts-{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name
    page.screenshot(path=str(SCREENS / f"experts-{name}-1280.png"), full_page=True)


def test_experts_pages__fit_a_phone_pass_axe_and_show_finnish_money(pages, personas):  # noqa: F811
    from django.utils import timezone

    from osallisuus.experts import services
    from osallisuus.experts.models import Agreement, ExpenseItem, ExpenseReport
    from osallisuus.experts.tests.factories import build_world

    world = build_world(personas)
    # A past task with a fee of 1 234,56 € and approved expenses, for the report and payments
    done_req = world.request(title="Koulutuspäivä henkilöstölle")
    offer = services.offer_make(actor=personas.coordinator, request=done_req, experts=[world.eero])[0]
    done = services.offer_accept(actor=personas.expert, offer=offer)
    past = timezone.now() - dt.timedelta(days=1)
    Agreement.objects.filter(pk=done.pk).update(
        starts_at=past, ends_at=past + dt.timedelta(hours=2), status=Agreement.Status.DONE, fee=Decimal("1234.56")
    )
    report = ExpenseReport.objects.create(agreement=done, status=ExpenseReport.Status.APPROVED)
    ExpenseItem.objects.create(report=report, kind="ticket", amount=Decimal("12.40"))
    # An agreed task ahead for Eero and an open request with candidates for Kaisa
    ahead_req = world.request(title="Luento mielenterveydestä")
    offer = services.offer_make(actor=personas.coordinator, request=ahead_req, experts=[world.eero])[0]
    ahead = services.offer_accept(actor=personas.expert, offer=offer)
    matching = world.request(title="Kokemuspuheenvuoro asukasiltaan", places=2)

    kaisa = pages(personas.coordinator)
    _check(kaisa, "coordinator-front", "/")
    assert kaisa.locator(".work-queues").count() == 1
    _check(kaisa, "registry", "/experts/experts/")
    _check(kaisa, "requests", "/experts/requests/")
    _check(kaisa, "matching", f"/experts/requests/{matching.pk}/")
    # The offer button is in sight at the top of the ranked table, without scrolling
    kaisa.set_viewport_size({"width": 390, "height": 900})
    button = kaisa.locator(".offer-bar button[type=submit]")
    box = button.bounding_box()
    assert box is not None
    kaisa.locator("#candidates-caption").scroll_into_view_if_needed()
    assert button.is_visible()
    assert kaisa.locator(f"label[for=cand-{world.eero.pk}], label[for=cand-{world.paivi.pk}]").count() >= 1
    _check(kaisa, "wellbeing", "/experts/wellbeing/")
    _check(kaisa, "report", "/experts/reports/", money=True)
    _check(kaisa, "payments", "/experts/payments/", money=True)
    _check(kaisa, "expert-profile", f"/experts/experts/{world.eero.pk}/")

    eero = pages(personas.expert)
    _check(eero, "expert-front", "/")
    _check(eero, "agreement", f"/experts/agreements/{ahead.pk}/", money=True)
    assert "0,57\u00a0€/km" in eero.inner_text("main")

    sari = pages(personas.orderer)
    _check(sari, "orderer-front", "/")
    assert sari.locator("[data-queue='experts.to_confirm']").count() == 0  # the past task is confirmed
