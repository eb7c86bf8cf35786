"""Activation's list and report pages in Chromium, Finnish UI, at 1280 and 390 px: the catalogue
and the caseload (search, sort and pages in the address), the report with hidden groups, and the
organisation choice of someone who acts for two. axe-core finds no violations and no page is
wider than a phone. ``OSALLISUUS_SCREENSHOTS=/some/dir`` also saves a screenshot of each."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from osallisuus.core.demo import DEMO_PASSWORD

from .helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


def check(page: Any, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shots = os.environ.get("OSALLISUUS_SCREENSHOTS")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/activation-{name}-{width}.png", full_page=True)
        result = Axe().run(page)
        assert result.violations_count == 0, result.generate_report()
        if width == 390:
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{name} is wider than a phone"


def _data(personas: Any) -> None:
    from osallisuus.accounts import services as account_services
    from osallisuus.accounts.models import Organisation
    from osallisuus.activation import services
    from osallisuus.activation.demo import build_aino

    build_aino(personas.users, personas.organisations)
    county = personas.organisations["county"]
    for i, name in enumerate(["Ärling Eero", "Åström Åsa", "Öhman Ulla", "Ahonen Anni", "Berg Bo", "Castrén Cia"]):
        person = account_services.user_create(email=f"b{i}@example.test", full_name=name)
        account_services.membership_grant(user=person, organisation=county, roles=("participant",))
        account_services.relationship_start(
            worker=personas.own_worker, person=person, organisation=county, kind="own_worker"
        )
        plan = services.plan_ensure(participant=person)
        services.goal_create(plan=plan, actor=person, title="Tavoite", basket="doing" if i % 3 else "local")
        if i % 2:
            services.meeting_request(plan=plan, actor=person, with_whom="own_worker", topic="Hei")
    second = Organisation.objects.create(name="Ääniyhdistys ry", kind="ngo")
    account_services.membership_grant(
        user=personas.activity_provider, organisation=second, roles=("activity_provider",)
    )


def test_activation_pages__lists_report_and_organisation_choice(page, personas):
    _data(personas)
    log_in(page, personas.participant, DEMO_PASSWORD)
    page.goto("/plan/activities/?q=paja")
    assert page.locator("#results h3").count() >= 1
    check(page, "catalogue")

    page.context.clear_cookies()
    log_in(page, personas.own_worker, DEMO_PASSWORD)
    page.goto("/plan/caseload/?sort=name")
    names = page.locator("#caseload-results tbody th").all_inner_texts()
    assert names.index("Åström Åsa") < names.index("Ärling Eero") < names.index("Öhman Ulla")
    check(page, "caseload")

    page.context.clear_cookies()
    log_in(page, personas.analyst, DEMO_PASSWORD)
    page.goto("/plan/reports/")
    assert page.locator('td:text-is("dold")').count() >= 1  # Anna reads Swedish
    check(page, "reports")

    page.context.clear_cookies()
    log_in(page, personas.activity_provider, DEMO_PASSWORD)
    page.goto("/plan/provider/activities/new/")
    assert page.locator("select[name=organisation]").count() == 1
    check(page, "new-activity")
