"""Measurement journey in Chromium: a participant answers a round from a personal link with the
keyboard only, saves, comes back with the same link and finishes; the analyst opens the group
report. axe-core finds no violations on any page visited."""

from __future__ import annotations

import datetime as dt
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


def choose(page: Any, name: str, steps_right: int) -> None:
    """Tab to a radio group and pick an option with Space and the arrow keys."""
    tab_to(page, f"input[name={name}]")
    page.keyboard.press("Space")
    for _ in range(steps_right):
        page.keyboard.press("ArrowRight")


def press_button(page: Any, value: str) -> None:
    tab_to(page, f"button[name=action][value={value}]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_measurement_journey__link_keyboard_save_continue_then_analyst_report(page, browser, live_server, personas):
    from osallisuus.accounts import services as account_services
    from osallisuus.accounts.models import User
    from osallisuus.measurement import services
    from osallisuus.measurement.models import Instrument, Response

    county = personas.organisations["county"]
    aino = personas.participant
    now = timezone.now()
    round_ = services.round_create(
        actor=personas.own_worker,
        instrument=Instrument.objects.get(code="demo-belonging"),
        organisation=county,
        name="Syksyn ryhmä, alkukysely",
        group_key="autumn",
        purpose="Kysymme, jotta näemme miten ryhmä voi.",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=14),
        retention_until=(now + dt.timedelta(days=400)).date(),
    )
    others = []
    for i in range(6):
        user = User.objects.create_user(
            f"member{i}@example.invalid", "x", full_name=f"Member {i}", municipality="Järvilahti"
        )
        account_services.membership_grant(user=user, organisation=county, roles=("participant",))
        others.append(user)
    services.round_invite(actor=None, round=round_, people=[aino, *others])
    for i, person in enumerate(others):
        invitation = round_.invitations.get(person=person)
        response = services.link_open(token=services.invitation_issue_link(invitation=invitation))
        services.response_save(response=response, values={it.code: 1 + (i % 5) for it in round_.instrument.items.all()})
        services.response_submit(response=response)
    token = services.invitation_issue_link(invitation=round_.invitations.get(person=aino))

    # Aino opens her personal link: the purpose comes before the first question.
    page.goto(f"/measurement/a/{token}/")
    assert "Kysymme, jotta näemme miten ryhmä voi." in page.content()
    assert_accessible(page)
    tab_to(page, "a[href='?view=one&q=1']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)

    # The question is at least as large as its answer options.
    question, option = page.evaluate(
        """() => { const f = document.querySelector('main form fieldset');
                   const size = e => parseFloat(getComputedStyle(e).fontSize);
                   return [size(f.querySelector('legend')), size(f.querySelector('label'))]; }"""
    )
    assert question >= option

    # One question at a time, keyboard only: two answers, then "save and continue later".
    choose(page, "belong", 3)  # the 4th option
    press_button(page, "next")
    choose(page, "useful", 4)  # the 5th option
    press_button(page, "save")
    assert page.locator(".messages").is_visible()
    assert_accessible(page)
    response = Response.objects.get(invitation__person=aino)
    assert services.answers_of(response) == {"belong": 4, "useful": 5}

    # Later, in another browser session, the same link continues where she left off (question 2).
    later = browser.new_context(base_url=live_server.url, locale="fi-FI")
    page2 = later.new_page()
    page2.goto(f"/measurement/a/{token}/")
    assert page2.url.endswith("?view=one&q=2")
    assert page2.is_checked("input[name=useful][value='5']")
    tab_to(page2, "a[href='?view=all']")
    with page2.expect_navigation():
        page2.keyboard.press("Enter")
    assert page2.is_checked("input[name=belong][value='4']")
    for name in ("alone", "future", "say", "unheard"):
        choose(page2, name, 2)
    assert_accessible(page2)
    press_button(page2, "submit")

    # A thank-you on the link itself, never a score; the link no longer shows her answers.
    assert page2.url.endswith(f"/measurement/a/{token}/")
    body = page2.content()
    assert "Kiitos" in body or "Thank you" in body
    assert_accessible(page2)
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert str(response.score) not in body
    assert page2.locator("input[name=belong]").count() == 0
    # The link is now used.
    page2.goto(f"/measurement/a/{token}/")
    assert page2.locator("h1").is_visible()
    later.close()

    # The analyst opens the group report.
    log_in(page, personas.analyst, DEMO_PASSWORD)
    page.goto("/measurement/reports/")
    assert_accessible(page)
    with page.expect_navigation():
        page.click(f"a[href='/measurement/reports/rounds/{round_.pk}/']")
    assert page.locator("table.data").first.is_visible()
    assert "7" in page.locator("dl.facts").inner_text()
    assert_accessible(page)
