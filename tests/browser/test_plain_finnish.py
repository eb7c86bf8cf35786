"""Aino reads her plan in plain Finnish (selkosuomi): she chooses it beside suomi, svenska and
English, the page speaks in short plain sentences, what has no plain version yet is in standard
Finnish (never English or a code), and the page still fits a phone and passes axe.

Screenshots: ``<screens>/selko-plan-before-390.png`` (standard Finnish) and
``<screens>/selko-plan-390.png`` (plain Finnish), in ``$OSALLISUUS_SCREENSHOTS`` or ``<tmp>/screens``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from osallisuus.core.demo import DEMO_PASSWORD

from .helpers import log_in, switch_language

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

SCREENS = Path(os.environ.get("OSALLISUUS_SCREENSHOTS") or Path(tempfile.gettempdir()) / "screens")


def test_plain_finnish__aino_reads_her_plan_in_selkosuomi(page, personas):
    from axe_playwright_python.sync_playwright import Axe

    from osallisuus.activation.demo import build_aino

    build_aino(personas.users, personas.organisations)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 900})
    log_in(page, personas.participant, DEMO_PASSWORD)
    switch_language(page, "fi")
    page.goto("/plan/")
    assert page.locator("#goals-title").inner_text() == "Tavoitteeni"
    page.screenshot(path=str(SCREENS / "selko-plan-before-390.png"), full_page=True)

    names = page.locator("form.language-switcher button").all_inner_texts()
    assert names == ["suomi", "selkosuomi", "svenska", "English"]
    switch_language(page, "fi-x-selko")
    page.goto("/plan/")
    page.screenshot(path=str(SCREENS / "selko-plan-390.png"), full_page=True)

    assert page.get_attribute("html", "lang") == "fi-x-selko"
    assert page.locator("#goals-title").inner_text() == "Omat tavoitteeni"
    main = page.locator("main").inner_text()
    for plain in (
        "Tämä on sinun suunnitelmasi. Sinä päätät, mitä tavoitteita sinulla on.",
        "Mitä olen saanut aikaan",
        "Kuka näkee suunnitelman",
        "Suunnitelma tiedostona muille palveluille",
    ):
        assert plain in main
    assert "FHIR" not in main
    # The menu's texts without a plain version are in standard Finnish.
    menu = page.locator("nav.site-nav").inner_text()
    assert "Kyselyt" in menu
    assert "Questionnaires" not in menu
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()

    # Her choice stays: the goal page is plain too.
    page.locator("main .baskets a").first.click()
    assert page.get_attribute("html", "lang") == "fi-x-selko"
    assert "Miten tavoite etenee" in page.locator("main").inner_text()
