"""Activation journey in Chromium, Finnish UI: Aino logs in with the keyboard only, writes a goal,
picks an activity and signs up, asks for a meeting, and does a check-in from her plan that she
shares with Ville and returns to her plan; Ville, her own worker, sees the request, the goal and
that a shared check-in exists. axe-core finds no violations on any page visited."""

from __future__ import annotations

from typing import Any

import pytest

from osallisuus.core.demo import DEMO_PASSWORD

from .helpers import log_in, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

TABS = 120


def assert_accessible(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()


def follow(page: Any, selector: str) -> None:
    """Tab to a link or button and press Enter, then wait for the next page."""
    tab_to(page, selector, limit=TABS)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)


def type_into(page: Any, selector: str, text: str) -> None:
    tab_to(page, selector, limit=TABS)
    page.keyboard.type(text)


def choose(page: Any, name: str, steps_right: int) -> None:
    """Tab to a radio group and pick an option with Space and the arrow keys."""
    tab_to(page, f"input[name={name}]", limit=TABS)
    page.keyboard.press("Space")
    for _ in range(steps_right):
        page.keyboard.press("ArrowRight")


def test_activation_journey__goal_signup_meeting_then_worker_sees_it(page, personas):
    from osallisuus.activation import services
    from osallisuus.activation.models import Goal, Meeting, SignUp
    from osallisuus.measurement.models import Response

    activity = services.activity_create(
        provider=personas.organisations["ngo2"],
        actor=personas.activity_provider,
        data={
            "title": "Puutyöpaja",
            "summary": "Korjataan huonekaluja yhdessä.",
            "baskets": ["doing"],
            "area": "Asemanseutu",
            "schedule": "ti ja to klo 9–13",
            "capacity": 8,
            "language": "fi",
            "cost": "municipality",
            "accessible": True,
        },
    )
    aino = personas.participant

    # Aino logs in with the keyboard only.
    page.goto("/account/login/")
    assert page.get_attribute("html", "lang") == "fi"
    assert_accessible(page)
    type_into(page, "#id_username", aino.email)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/account/login/" not in page.url
    assert_accessible(page)

    # Her plan, from the main menu.
    follow(page, "nav.site-nav a[href='/plan/']")
    plan = aino.activation_plan
    assert page.locator("h1").is_visible()
    follow(page, f"a[href='/plan/{plan.pk}/goals/new/']")

    # She writes a goal in her own words and places it in a basket.
    type_into(page, "#id_title", "Haluan päästä mukaan puutyöryhmään.")
    tab_to(page, "input[name=basket]", limit=TABS)
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # the second basket: meaningful doing
    follow(page, "main form button[type=submit]")
    goal = Goal.objects.get(plan=plan)
    assert goal.title == "Haluan päästä mukaan puutyöryhmään."
    assert goal.basket == "doing"
    assert goal.expressed_by == aino
    assert goal.lifecycle_status == "active"
    assert "Haluan päästä mukaan puutyöryhmään." in page.content()

    # She finds an activity and signs up.
    follow(page, "nav.site-nav a[href='/plan/activities/']")
    follow(page, f"a[href='/plan/activities/{activity.pk}/']")
    follow(page, f"form[action='/plan/activities/{activity.pk}/sign-up/'] button[type=submit]")
    assert SignUp.objects.get(activity=activity, participant=aino).status == SignUp.Status.SIGNED_UP

    # She asks for a meeting with her own worker.
    follow(page, "nav.site-nav a[href='/plan/']")
    assert "Puutyöpaja" in page.content()
    follow(page, f"a[href='/plan/{plan.pk}/meetings/new/']")
    type_into(page, "#id_topic", "Haluaisin puhua puutyöpajasta.")
    follow(page, "main form button[type=submit]")
    meeting = Meeting.objects.get(plan=plan)
    assert meeting.status == Meeting.Status.REQUESTED
    assert meeting.requested_by == aino

    # Back on her plan, she does a check-in, shares it with Ville and returns to her plan.
    follow(page, f"form[action='/plan/{plan.pk}/check-in/'] button[type=submit]")
    follow(page, "main a[href='?view=all']")
    for name in ("goals", "support", "activities", "stuck"):
        choose(page, name, 3)
    type_into(page, "#id_next", "Puutyöpaja alkaa ensi viikolla.")
    follow(page, "button[name=action][value=submit]")
    checkin = Response.objects.get(respondent=aino, context_module="activation", context_ref=f"plan:{plan.pk}")
    assert checkin.status == Response.Status.SUBMITTED
    tab_to(page, "#id_worker", limit=TABS)
    page.keyboard.press("ArrowDown")  # from "Nobody" to her own worker, the only one
    assert page.input_value("#id_worker") == str(personas.own_worker.pk)
    follow(page, "form[action$='/share/'] button[type=submit]")
    checkin.refresh_from_db()
    assert checkin.shared_with == personas.own_worker
    back = page.locator(f"main a[href='/plan/{plan.pk}/']")
    assert back.inner_text().strip() == "Takaisin omaan suunnitelmaasi"
    follow(page, f"main a[href='/plan/{plan.pk}/']")
    assert (
        "Olet jakanut vastaukset omatyöntekijällesi."
        in page.locator("section[aria-labelledby=checkin-title]").inner_text()
    )

    # Ville sees the request and the goal.
    page.context.clear_cookies()
    log_in(page, personas.own_worker, DEMO_PASSWORD)
    page.goto("/plan/caseload/")
    assert_accessible(page)
    row = page.locator("tbody tr", has_text="Aino Mäkinen")
    assert row.locator("td").first.inner_text().strip() == "1"
    with page.expect_navigation():
        row.locator("a").click()
    assert_accessible(page)
    body = page.content()
    assert "Haluan päästä mukaan puutyöryhmään." in body
    assert "Puutyöpaja" in body
    # He sees that she has done a check-in and shared it with him, not its answers.
    assert page.locator(f"a[href='/measurement/shared/{checkin.pk}/']").count() == 1
    assert "Puutyöpaja alkaa ensi viikolla." not in body
    with page.expect_navigation():
        page.click(f"a[href='/plan/meetings/{meeting.pk}/']")
    assert "Haluaisin puhua puutyöpajasta." in page.content()
    assert_accessible(page)
