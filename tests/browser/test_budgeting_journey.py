"""Participatory budgeting in Chromium, Finnish UI, with the keyboard only: Aino proposes; Riikka checks
and costs the proposal, opens the voting and prints voting codes; a participant without an account
votes with a printed code at the card's address; Riikka closes the voting, publishes the results and
turns the winner into a purchase from Työpaja Pärske. axe-core finds no violations on any page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from osallisuus.core.demo import DEMO_PASSWORD

from .helpers import needs_one_time_code, one_time_code, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

TABS = 150
SCREENSHOTS = ""  # a folder to keep the pages' screenshots in while developing, e.g. "/tmp/budgeting"


def assert_accessible(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()


def follow(page: Any, selector: str) -> None:
    """Tab to a link or button, press Enter, wait for the next page, check it with axe."""
    tab_to(page, selector, limit=TABS)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)


def type_into(page: Any, selector: str, text: str) -> None:
    tab_to(page, selector, limit=TABS)
    page.keyboard.type(text)


def keyboard_log_in(page: Any, user: Any) -> None:
    page.goto("/account/login/")
    assert page.get_attribute("html", "lang") == "fi"
    type_into(page, "#id_username", user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if needs_one_time_code(user):
        type_into(page, "#id_code", one_time_code(user))
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert "/account/" not in page.url, page.url
    assert_accessible(page)


@pytest.fixture
def open_page(browser: Any, live_server: Any) -> Iterator[Any]:
    contexts = []

    def make() -> Any:
        context = browser.new_context(base_url=live_server.url, locale="fi-FI")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_budgeting_journey__propose_cost_vote_with_a_code_publish_and_buy(open_page, personas):
    from osallisuus.budgeting.models import Ballot, Participation, Process, Proposal, Purchase, VotingCode
    from osallisuus.budgeting.tests.factories import build_world

    world = build_world(personas, phase=Process.Phase.PROPOSALS, proposals=[], budget="2000", third_sector_minimum=1)
    process = world.process
    base = f"/budgeting/{process.pk}/"

    # Aino finds the process from the main menu and proposes.
    aino = open_page()
    keyboard_log_in(aino, personas.participant)
    follow(aino, "nav.site-nav a[href='/budgeting/']")
    follow(aino, f"main a[href='{base}']")
    follow(aino, f"a[href='{base}propose/']")
    type_into(aino, "#id_title", "Katos skeittiparkkiin")
    type_into(aino, "#id_for_whom", "Nuorille, jotka skeittaavat sateellakin.")
    type_into(aino, "#id_why", "Sateella ei voi olla ulkona, eikä muuta paikkaa ole.")
    follow(aino, "main form button[type=submit]")
    proposal = Proposal.objects.get(process=process)
    assert proposal.authors.get().person == personas.participant
    assert "Katos skeittiparkkiin" in aino.content()

    # Riikka checks and costs it: feasible, 650 €, carried out by Työpaja Pärske (third sector).
    riikka = open_page()
    keyboard_log_in(riikka, personas.activity_provider)
    riikka.goto(base)
    assert_accessible(riikka)
    follow(riikka, f"a[href='/budgeting/proposals/{proposal.pk}/check/']")
    tab_to(riikka, "input[name=feasible]", limit=TABS)
    riikka.keyboard.press("Space")  # "Kyllä, se voidaan toteuttaa"
    type_into(riikka, "#id_cost", "650")
    tab_to(riikka, "#id_provider", limit=TABS)
    riikka.select_option("#id_provider", label="Työpaja Pärske ry")
    tab_to(riikka, "#id_third_sector", limit=TABS)
    riikka.keyboard.press("Space")
    follow(riikka, "main form button[type=submit]")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.cost, proposal.third_sector) == ("feasible", Decimal("650.00"), True)

    # Riikka opens the voting (two phases on) and prints voting codes.
    follow(riikka, "form[action$='/phase/'] button[type=submit]")
    follow(riikka, "form[action$='/phase/'] button[type=submit]")
    assert Process.objects.get(pk=process.pk).phase == "voting"
    follow(riikka, f"a[href='{base}codes/']")
    tab_to(riikka, "#id_count", limit=TABS)
    riikka.keyboard.press("Control+A")
    riikka.keyboard.type("2")
    follow(riikka, "main form button[type=submit]")
    cards = riikka.locator(".code-card__code").all_inner_texts()
    assert len(cards) == 2
    assert riikka.locator(".code-card__kicker").first.inner_text().strip().lower() == "äänestyskoodi"
    address = riikka.locator(".code-card__address").first.inner_text().strip()
    assert VotingCode.objects.filter(process=process).count() == 2
    if SCREENSHOTS:
        riikka.screenshot(path=f"{SCREENSHOTS}/journey_code_sheet.png", full_page=True)

    # A participant without an account votes with the first printed code.
    voter = open_page()
    voter.goto(re.sub(r"^https?://[^/]+", "", address))
    assert_accessible(voter)
    type_into(voter, "#id_code", cards[0])
    follow(voter, "main form button[type=submit]")
    tab_to(voter, "input[name=choices]", limit=TABS)
    voter.keyboard.press("Space")
    follow(voter, "main form button[type=submit]")
    assert "Kiitos äänestäsi" in voter.content()
    assert Ballot.objects.filter(process=process).count() == 1
    assert Participation.objects.get(process=process).method == "code"

    # Riikka closes the voting, counts, reads and publishes the results.
    riikka.goto(base)
    assert_accessible(riikka)
    follow(riikka, "form[action$='/phase/'] button[type=submit]")
    follow(riikka, "form[action$='/publish/'] button[type=submit]")
    assert "/results/" in riikka.url
    results = riikka.locator("main").inner_text().replace("\u00a0", " ")
    assert "1 ihminen äänesti." in results
    assert "”Katos skeittiparkkiin”: ääniä 1. Se maksoi 650,00 € ja rahaa oli jäljellä 2 000,00 €" in results

    # The winner becomes a purchase (a small grant) from Työpaja Pärske.
    riikka.goto(base)
    follow(riikka, f"a[href='/budgeting/proposals/{proposal.pk}/purchase/']")
    tab_to(riikka, "input[name=kind]", limit=TABS)
    riikka.keyboard.press("Space")
    riikka.keyboard.press("ArrowDown")  # "Pienavustus"
    follow(riikka, "main form button[type=submit]")
    purchase = Purchase.objects.get(proposal=proposal)
    assert (purchase.kind, purchase.amount, purchase.provider) == (
        "grant",
        Decimal("650.00"),
        personas.organisations["ngo2"],
    )
    assert "Pienavustus" in riikka.content()

    # Aino sees the winner on her way from the process page.
    aino.goto(base)
    assert_accessible(aino)
    assert "Voittajista teoiksi" in aino.content()
