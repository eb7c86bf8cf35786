"""The shell in a real browser: every persona reaches their home page, the styles load,
htmx works under the strict Content-Security-Policy, and everything works without JavaScript."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from osallisuus.core import navigation
from osallisuus.core.demo import DEMO_PASSWORD

from .helpers import log_in, one_time_code, switch_language

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

ROLE_PERSONAS = [
    "participant",
    "own_worker",
    "coordinator",
    "expert",
    "orderer",
    "partner_worker",
    "network_coordinator",
    "network_member",
    "funder_officer",
    "civic_unit",
    "applicant",
    "steering_group",
    "activity_provider",
    "analyst",
    "administrator",
]


def test_every_persona__logs_in_and_reaches_their_home_page(page, personas):
    problems = []
    for key in ROLE_PERSONAS:
        user = personas[key]
        # A role whose module has no front-page links yet gets no card.
        roles = set(user.memberships.values_list("roles__code", flat=True)) & {
            e.role for e in navigation._HOME_ENTRIES if not e.permission or user.permissions.has(e.permission)
        }

        log_in(page, user, DEMO_PASSWORD)

        shown = set(page.eval_on_selector_all("section[data-role]", "els => els.map(e => e.dataset.role)"))
        if page.evaluate("location.pathname") != "/" or shown != roles:
            problems.append((key, page.url, shown, roles))
        with page.expect_navigation():
            page.click("header form[action='/account/logout/'] button")
        assert page.evaluate("location.pathname") == "/account/login/"
    assert problems == []


def test_styles__hds_and_app_css_load_under_the_live_server(page):
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.url.endswith(".css") and r.status != 200 else None)

    page.goto("/accessibility/")

    assert failed == []
    hds_colour = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--color-bus').trim()")
    assert hds_colour.lower() in {"#0000bf", "rgb(0, 0, 191)"}
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).left") == "-10000px"


def test_htmx__loads_and_swaps_search_results_without_a_page_load_or_csp_errors(page, personas):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, personas.coordinator, DEMO_PASSWORD)
    page.goto("/account/people/")
    assert page.evaluate("typeof window.htmx") == "object"
    page.evaluate("window.__stillTheSamePage = true")

    page.fill("#people-q", "Päivi")
    with page.expect_response(lambda r: "/account/people/?q=" in r.url):
        page.click("form[role=search] button[type=submit]")
    # A locator waits in Playwright's own world: a predicate string would be evaluated in the
    # page, which our Content-Security-Policy (no 'unsafe-eval') rightly refuses.
    expect(page.locator("#people-results tbody tr")).to_have_count(1)

    assert page.evaluate("window.__stillTheSamePage === true")
    assert page.locator("#people-results").inner_text().count("Päivi Törmänen") == 1
    assert errors == []


def test_without_javascript__log_in_change_language_and_send_feedback(browser, live_server, personas):
    from osallisuus.core.models import Feedback

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        aino = personas.participant
        log_in(page, aino, DEMO_PASSWORD)
        assert urlparse(page.url).path == "/"

        switch_language(page, "en")
        assert urlparse(page.url).path == "/"

        page.goto("/feedback/")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert page.get_attribute("html", "lang") == "en"
        assert page.locator("#error-summary").is_visible()
        assert Feedback.objects.count() == 0

        page.check("#id_topic_0")
        page.fill("#id_message", "Toimii ilman JavaScriptiä.")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert urlparse(page.url).path == "/feedback/thanks/"
        assert Feedback.objects.get().sender == aino
    finally:
        context.close()


def test_second_factor__wrong_code__keeps_the_user_on_the_code_page(page, personas):
    kaisa = personas.coordinator
    page.goto("/account/login/")
    page.fill("#id_username", kaisa.email)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form.login-form button[type=submit]")

    wrong = f"{(int(one_time_code(kaisa)) + 1) % 1_000_000:06d}"
    page.fill("#id_code", wrong)
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    assert "/account/second-factor/" in page.url
    assert page.get_attribute("#id_code", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "error-summary"
