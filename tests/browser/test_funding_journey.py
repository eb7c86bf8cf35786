"""Partnership funding in Chromium, Finnish UI, with the keyboard only: Tiina drafts an application,
saves it, continues and submits it before the call closes; Pekka (the city) and Helena (the ELY
centre) each review it, Helena seeing Pekka's review only after writing her own; both decide their
own share under their envelopes; Tiina sees both decisions and the combined financing table.
axe-core finds no violations on any page; no page is wider than a 390 px phone. Screenshots at 1280
and 390 px go to ``/tmp/screens/funding-*.png``."""

from __future__ import annotations

import os
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

TABS = 200
SCREENS = os.environ.get("OSALLISUUS_SCREENSHOTS", "/tmp/screens")  # noqa: S108 - screenshots for a person to look at


def assert_accessible(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()


def shoot(page: Any, name: str) -> None:
    """The page at a desktop and a phone width: axe-clean, never wider than the phone."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 390:
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= 390, f"{name} is {wide} px wide on a phone"
        if SCREENS:
            os.makedirs(SCREENS, exist_ok=True)
            page.screenshot(path=f"{SCREENS}/funding-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def follow(page: Any, selector: str) -> None:
    tab_to(page, selector, limit=TABS)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)


def type_into(page: Any, selector: str, text: str) -> None:
    tab_to(page, selector, limit=TABS)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page: Any, selector: str, label: str) -> None:
    tab_to(page, selector, limit=TABS)
    page.select_option(selector, label=label)


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


def review(page: Any, app_pk: int, comment: str, scores: tuple[str, ...]) -> None:
    follow(page, f"a[href='/funding/applications/{app_pk}/review/']")
    selects = page.locator("main select[name^=score_]")
    for i, score in enumerate(scores):
        name = selects.nth(i).get_attribute("name")
        choose(page, f"select[name={name}]", score)
    type_into(page, "#id_comment", comment)
    follow(page, "main form button[type=submit]")


def decide(page: Any, app_pk: int, amount: str, number: str) -> None:
    follow(page, f"a[href='/funding/applications/{app_pk}/decide/']")
    shoot(page, f"decide-{number[:3].lower()}")
    type_into(page, "#id_amount", amount)
    type_into(page, "#id_number", number)
    follow(page, "main form button[type=submit]")


def test_funding_journey__draft_save_submit_review_two_decisions(open_page, personas):
    from osallisuus.funding.models import Application, Decision, Review
    from osallisuus.funding.tests.factories import build_world

    world = build_world(personas, application=False)

    # Tiina finds the open call from the funding page and starts a draft.
    tiina = open_page()
    keyboard_log_in(tiina, world.tiina)
    tiina.goto("/funding/")
    assert_accessible(tiina)
    follow(tiina, f"main a[href='/funding/programmes/{world.programme.pk}/']")
    shoot(tiina, "programme")
    follow(tiina, f"main a[href='/funding/calls/{world.call.pk}/']")
    type_into(tiina, "#id_title", "Pärskeen polku")
    follow(tiina, "main form button[type=submit]")
    app = Application.objects.get(title="Pärskeen polku")
    assert app.status == "draft"

    # She writes the plan, one output, two costs and the financing plan, and saves the draft.
    type_into(tiina, "#id_aims", "Nuorten työttömien osallisuus vahvistuu.")
    type_into(tiina, "#id_target_group", "18–29-vuotiaat työttömät")
    type_into(tiina, "#id_activities", "Vertaisryhmät ja pajat")
    type_into(tiina, "#id_schedule", "Vuosi 2027")
    # Headless Chromium orders a date field's parts by its own locale: reach it with Tab, fill its value.
    tab_to(tiina, "#id_starts_on", limit=TABS)
    tiina.fill("#id_starts_on", "2027-01-01")
    tab_to(tiina, "#id_ends_on", limit=TABS)
    tiina.fill("#id_ends_on", "2027-12-31")
    type_into(tiina, "#id_outputs-0-description", "Vertaisryhmät")
    type_into(tiina, "#id_outputs-0-indicator", "Tapaamisia")
    type_into(tiina, "#id_outputs-0-target", "40")
    choose(tiina, "#id_costs-0-category", "Henkilöstö")
    type_into(tiina, "#id_costs-0-description", "Ohjaajan palkka")
    type_into(tiina, "#id_costs-0-amount", "45 000,00")
    choose(tiina, "#id_costs-1-category", "Tilat")
    type_into(tiina, "#id_costs-1-description", "Tilavuokra")
    type_into(tiina, "#id_costs-1-amount", "5 000,50")
    type_into(tiina, "#id_financing-esf_state", "35 000")
    type_into(tiina, "#id_financing-city", "10 000")
    type_into(tiina, "#id_financing-own_money", "5 000")
    follow(tiina, "main button[value=save]")
    assert "Luonnos on tallennettu" in tiina.content(), tiina.locator("main").inner_text()[:1500]
    shoot(tiina, "draft")

    # Submitting refuses the plan that is 0,50 € short, beside the financing plan; she fixes it.
    follow(tiina, "main button[value=submit]")
    assert "Rahoitussuunnitelman" in tiina.locator("#id_financing_error").inner_text()
    type_into(tiina, "#id_financing-own_money", "5 000,50")
    follow(tiina, "main button[value=submit]")
    app.refresh_from_db()
    assert app.status == "submitted"
    assert app.tracking_number in tiina.content()
    shoot(tiina, "submitted")

    # Pekka reviews for the city.
    pekka = open_page()
    keyboard_log_in(pekka, world.pekka)
    pekka.goto(f"/funding/applications/{app.pk}/")
    assert_accessible(pekka)
    review(pekka, app.pk, "Kaupungin näkökulmasta vahva hanke.", ("4", "4", "3"))

    # Helena does not see Pekka's review until she has written her own.
    helena = open_page()
    keyboard_log_in(helena, world.helena)
    helena.goto("/")
    assert "1 rahoitushakemus arvioitavana" in helena.locator("main").inner_text()
    helena.goto(f"/funding/applications/{app.pk}/")
    assert_accessible(helena)
    assert "Kaupungin näkökulmasta vahva hanke." not in helena.content()
    shoot(helena, "application-before-review")
    review(helena, app.pk, "Toteutettavissa, tuotokset mitattavia.", ("5", "3", "3"))
    assert "Kaupungin näkökulmasta vahva hanke." in helena.content()
    assert Review.objects.filter(application=app).count() == 2

    # Both decide their own share.
    decide(helena, app.pk, "35 000", "ELY/2027/15")
    decide(pekka, app.pk, "10 000", "KAU/2027/7")
    assert {d.funder.share: d.amount for d in Decision.objects.filter(application=app)} == {
        "esf_state": Decimal("35000.00"),
        "city": Decimal("10000.00"),
    }
    app.refresh_from_db()
    assert app.status == "decided"

    # Tiina sees both decisions and the combined financing table.
    tiina.goto(f"/funding/applications/{app.pk}/")
    assert_accessible(tiina)
    main = tiina.locator("main").inner_text().replace("\u00a0", " ")
    assert "ELY/2027/15" in main
    assert "KAU/2027/7" in main
    assert "Rahoitus: haettu ja päätetty" in main
    assert "35 000,00 €" in main
    shoot(tiina, "decided")


def test_funding_pages__axe_and_phone_width_for_each_role(open_page, personas):
    """Every funding page as the person who uses it: no axe violations, nothing wider than a phone."""
    import datetime as dt

    from django.utils import timezone

    from osallisuus.funding import services
    from osallisuus.funding.tests.factories import build_world, decided, submitted

    from .helpers import log_in

    world = build_world(personas)
    sent = submitted(world, title="Lähetetty hanke")
    services.review_write(
        actor=world.pekka, application=sent, comment="Hyvä", scores={c.pk: 4 for c in sent.call.criteria.all()}
    )
    start = timezone.now() + dt.timedelta(days=3)
    hearing = services.hearing_schedule(
        actor=world.pekka,
        application=sent,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Kaupungintalo",
    )
    services.hearing_minutes(actor=world.pekka, hearing=hearing, minutes="Hakija esitteli hankkeen.")
    done, _ely, _city = decided(world, title="Päätetty hanke")
    idea = services.idea_present(
        actor=world.tiina,
        programme=world.programme,
        organisation=personas.organisations["ngo2"],
        title="Pajakahvila",
        summary="Nuorten kahvila.",
    )
    services.advice_add(actor=world.helena, idea=idea, text="Nimeä mitattavat tuotokset.")
    p = world.programme.pk
    pages = {
        world.pekka: [
            ("home-pekka", "/funding/"),
            ("manage", f"/funding/programmes/{p}/manage/"),
            ("call-officer", f"/funding/calls/{world.call.pk}/"),
            ("application-officer", f"/funding/applications/{sent.pk}/"),
            ("recommend", f"/funding/applications/{sent.pk}/recommendation/"),
            ("hearing", f"/funding/applications/{sent.pk}/hearing/"),
        ],
        world.helena: [
            ("review", f"/funding/applications/{sent.pk}/review/"),
            ("idea-officer", f"/funding/ideas/{idea.pk}/"),
        ],
        world.tiina: [
            ("home-tiina", "/funding/"),
            ("deadlines", "/funding/deadlines/"),
            ("call-applicant", f"/funding/calls/{world.call.pk}/"),
            ("my-applications", "/funding/applications/"),
            ("idea-ngo", f"/funding/ideas/{idea.pk}/"),
            ("idea-new", f"/funding/programmes/{p}/ideas/new/"),
            ("application-hearing", f"/funding/applications/{sent.pk}/"),
            ("application-decided", f"/funding/applications/{done.pk}/"),
        ],
        world.olli: [("home-olli", "/funding/"), ("funded-olli", f"/funding/applications/{done.pk}/")],
    }
    for user, urls in pages.items():
        page = open_page()
        log_in(page, user, DEMO_PASSWORD)
        for name, url in urls:
            page.goto(url)
            assert page.get_attribute("html", "lang") == "fi"
            assert_accessible(page)
            shoot(page, name)
