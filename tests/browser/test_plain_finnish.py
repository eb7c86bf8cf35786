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


def _shoot(page, name: str) -> str:
    """Screenshots of the page at 1280 and 390 px (``selko-<name>-<width>.png``); returns the
    text of its main content, read at 390 px, after checking that nothing is wider than a phone."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENS / f"selko-{name}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    assert page.get_attribute("html", "lang") == "fi-x-selko", name
    return page.locator("main").inner_text()


def _accessible(axe, page) -> None:
    result = axe.run(page)
    assert result.violations_count == 0, result.generate_report()


def test_plain_finnish__aino_writes_a_goal_does_a_check_in_and_reads_her_data_in_selkosuomi(page, personas):
    """The goal form, the check-in (the measurement engine's questionnaire pages), her
    questionnaires, my data and the accessibility statement all speak plain Finnish."""
    from axe_playwright_python.sync_playwright import Axe

    from osallisuus.activation.demo import build_aino

    build_aino(personas.users, personas.organisations)
    SCREENS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    log_in(page, personas.participant, DEMO_PASSWORD)
    switch_language(page, "fi-x-selko")
    page.goto("/plan/")
    plan_url = page.url

    # The goal form: the labels, the help and the error speak to her in plain words.
    page.locator("main a[href$='/goals/new/']").click()
    main = _shoot(page, "goal-form")
    for plain in (
        "Mitä haluaisit, että tapahtuu? Kirjoita se omin sanoin. Pieni tavoite on hyvä tavoite.",
        "Kirjoita omin sanoin. Esimerkiksi: Haluan tutustua uusiin ihmisiin.",
        "Mihin asiaan tavoite liittyy?",
        "Kerro lisää tavoitteesta. Tämä ei ole pakollista.",
        "Tallenna tavoite",
    ):
        assert plain in main, plain
    _accessible(axe, page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    errors = page.locator("main").inner_text()
    assert "Kirjoita tavoitteesi omin sanoin." in errors
    assert "Valitse, mihin asiaan tavoite liittyy." in errors

    # The check-in: the questionnaire's own questions are data in standard Finnish, the page
    # around them is plain.
    page.goto(plan_url)
    with page.expect_navigation():
        page.locator("form[action$='/check-in/'] button[type=submit]").click()
    main = _shoot(page, "checkin-intro")
    for plain in ("Miksi kysymme", "Ennen kuin aloitat", "Sinun ei ole pakko vastata.", "Aloita"):
        assert plain in main, plain
    _accessible(axe, page)
    with page.expect_navigation():
        page.locator("main a[href='?view=one&q=1']").click()
    main = _shoot(page, "checkin-question")
    assert "Kysymys 1. Kysymyksiä on 5." in main
    assert "Seuraava kysymys" in main
    assert "Tallenna ja jatka myöhemmin" in main
    _accessible(axe, page)

    # Her questionnaires, and the check-in she left unfinished.
    page.goto("/measurement/")
    main = _shoot(page, "questionnaires")
    assert "Sinun ei ole pakko vastata. Täällä näet omat vastauksesi. Voit myös perua ne." in main
    assert "Kesken" in main
    _accessible(axe, page)

    # My data.
    page.goto("/privacy/my-data/")
    main = _shoot(page, "my-data")
    for plain in ("Omat tietoni", "Mitä tietoja sinusta on", "Ota tietosi itsellesi", "Tee tiedosto"):
        assert plain in main, plain
    _accessible(axe, page)

    # Who has seen her data: on a phone each time is a card of "heading: value" lines.
    page.goto("/privacy/who-has-seen-my-data/")
    main = _shoot(page, "who-has-seen")
    assert "Kuka on katsonut tietojani" in main
    _accessible(axe, page)

    # The accessibility statement tells that these pages are in plain Finnish.
    page.goto("/accessibility/")
    main = _shoot(page, "accessibility")
    assert page.locator("main h1").inner_text() == "Saavutettavuus"
    assert "Osallistujien omat sivut ovat myös selkosuomeksi." in main
    assert "WCAG" not in main
    _accessible(axe, page)
