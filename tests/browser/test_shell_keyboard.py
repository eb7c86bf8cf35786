"""The keyboard alone: the skip link, logging in (with the one-time code), changing the language,
and a visible focus on everything Tab reaches."""

from __future__ import annotations

import pytest

from osallisuus.core.demo import DEMO_PASSWORD

from .helpers import focused, one_time_code, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


def test_login__keyboard_only__staff_member_types_password_and_code_and_reaches_home(page, personas):
    kaisa = personas.coordinator  # a coordinator needs the one-time code
    page.goto("/account/login/")

    tab_to(page, "#id_username")
    page.keyboard.type(kaisa.email)
    tab_to(page, "#id_password")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "/account/second-factor/" in page.url
    tab_to(page, "#id_code")
    page.keyboard.type(one_time_code(kaisa))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.evaluate("location.pathname") == "/"
    assert page.locator("section[data-role=coordinator]").is_visible()


def test_login__keyboard_only__wrong_password_moves_focus_to_the_error_summary(page, personas):
    page.goto("/account/login/")

    tab_to(page, "#id_username")
    page.keyboard.type(personas.participant.email)
    tab_to(page, "#id_password")
    page.keyboard.type("not the password")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert focused(page)["id"] == "error-summary"
    assert page.input_value("#id_username") == personas.participant.email
    assert page.evaluate("location.pathname") == "/account/login/"


def test_skip_link__first_tab_shows_it_and_enter_moves_to_the_content(page):
    page.goto("/accessibility/")

    page.keyboard.press("Tab")

    assert focused(page)["href"] == "#main"
    box = page.locator("a.skip-link").bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["y"] >= 0
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"


def test_language_switch__keyboard_only__changes_the_language_and_keeps_the_page(page):
    page.goto("/accessibility/")
    assert page.get_attribute("html", "lang") == "fi"

    tab_to(page, "form.language-switcher button[value=sv]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.evaluate("location.pathname") == "/accessibility/"
    assert page.get_attribute("html", "lang") == "sv"
    assert page.get_attribute("form.language-switcher button[value=sv]", "aria-current") == "true"
    assert page.get_attribute("form.language-switcher button[value=fi]", "aria-current") is None

    tab_to(page, "form.language-switcher button[value=en]")
    with page.expect_navigation():
        page.keyboard.press("Space")

    assert page.get_attribute("html", "lang") == "en"


def test_focus__everything_tab_reaches__has_a_visible_focus_indicator(page, personas):
    from .helpers import log_in

    log_in(page, personas.administrator, DEMO_PASSWORD)
    page.goto("/feedback/")
    seen = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {tag: e.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0,
                        shadow: s.boxShadow, wrapperShadow: e.parentElement ?
                            getComputedStyle(e.parentElement).boxShadow : "none"}; }"""
        )
        if style["tag"] == "BODY":
            break
        seen += 1
        visible = (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none"
        assert visible, style
    assert seen >= 10
