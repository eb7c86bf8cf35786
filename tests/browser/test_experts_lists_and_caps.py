"""Experts in Chromium, Finnish UI, the second pass: Kaisa searches the experts list for
"äijälä" and finds "Äijälä"; Sari, who orders for two organisations, must choose the one; Eero
sees the tax-free cap warning while he types the 21st day, before sending; Kaisa sees it in the
approval queue. axe-core finds no violations; screenshots at 1280 and 390 px (set
``EXPERTS_SHOTS`` to a folder to keep them)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import tab_to
from .test_experts_journey import assert_accessible, pages  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


def _shots(page: Any, name: str) -> None:
    folder = os.environ.get("EXPERTS_SHOTS")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (name, width)
        if folder:
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_experts_list_search_choice_of_organisation_and_the_caps_warning(pages, personas):  # noqa: F811
    from osallisuus.accounts import services as accounts_services
    from osallisuus.accounts.models import User
    from osallisuus.experts.models import TaskRequest
    from osallisuus.experts.tests.factories import build_world, make_expert
    from osallisuus.experts.tests.test_caps import _report_days, _tasks

    world = build_world(personas)
    aijala = User.objects.create_user("aijala@example.test", "x", full_name="Äijälä Äinö")
    make_expert(aijala, personas.organisations["ngo"])

    # Kaisa searches with the keyboard, in lower case
    kaisa = pages(personas.coordinator)
    kaisa.goto("/experts/experts/")
    assert_accessible(kaisa)
    tab_to(kaisa, "#experts-q", limit=80)
    kaisa.keyboard.type("äijälä")
    kaisa.keyboard.press("Enter")
    expect(kaisa.locator("#expert-results tbody tr")).to_have_count(1)
    expect(kaisa.locator("#expert-results tbody")).to_contain_text("Äijälä Äinö")
    assert_accessible(kaisa)
    _shots(kaisa, "expert-list-search")

    # Sari orders for the county and the city: the form asks which
    accounts_services.membership_grant(
        user=personas.orderer, organisation=personas.organisations["city"], roles=["orderer"]
    )
    sari = pages(personas.orderer)
    sari.goto("/experts/requests/new/")
    assert sari.locator("#id_organisation option").first.inner_text() == "Valitse…"
    assert sari.locator("label[for=id_organisation]").inner_text().startswith("Organisaatio")
    assert_accessible(sari)
    sari.fill("#id_title", "Luento kaupungin henkilöstölle")
    sari.click("main form[method=post] button[type=submit]")
    expect(sari.locator("#id_organisation_error, .error-summary").first).to_be_visible()
    assert "Valitse organisaatio, jonka puolesta tilaat." in sari.content()
    assert sari.input_value("#id_title") == "Luento kaupungin henkilöstölle"
    assert_accessible(sari)
    _shots(sari, "request-form-organisation")

    # Eero has had 20 days of tax-free daily allowances this year; the 21st warns before sending
    _report_days(_tasks(world, 20, compensation=TaskRequest.Compensation.EXPENSES))
    day21 = _tasks(world, 1, compensation=TaskRequest.Compensation.EXPENSES)[0]
    eero = pages(personas.expert)
    eero.goto(f"/experts/agreements/{day21.pk}/expenses/")
    assert "20 / 20 päivää" in eero.inner_text("#caps")
    assert_accessible(eero)
    tab_to(eero, "#id_daily_allowance", limit=80)
    eero.keyboard.type("51")  # the check comes while typing, before anything is sent
    eero.wait_for_selector("#caps .earnings-warning")
    assert "21 / 20 päivää" in eero.inner_text("#caps")
    assert_accessible(eero)
    _shots(eero, "expenses-caps-warning")
    with eero.expect_navigation():
        eero.click("main form[enctype] button[type=submit]")
    assert "21 / 20 päivää" in eero.content()  # the warning stays after sending

    kaisa.goto("/experts/payments/")
    assert kaisa.locator("td .earnings-warning").count() == 1
    assert_accessible(kaisa)
    _shots(kaisa, "payments-caps-warning")
