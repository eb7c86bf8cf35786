"""Networked work in Chromium, Finnish UI, with the keyboard only: Leena (network coordinator) makes the
next meeting from the previous one, with the host proposed from the rotation, records who came, and
computes the picture again: it shows the new tie; it zooms from the keyboard; she sends an evaluation
round, whose results wait for enough answers. Aino adds a person to her network map, and Ville, the
own worker she shares it with, adds another. axe-core finds no violations on any page; the pages are
photographed at 1280 and 390 px, and no page is wider than a 390 px phone."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest

from osallisuus.core.demo import DEMO_PASSWORD

from .helpers import needs_one_time_code, one_time_code, switch_language, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

TABS = 150
SCREENSHOTS = os.environ.get("NETWORKS_SCREENSHOTS", "")  # e.g. /tmp/screens while developing
WIDTHS = (1280, 390)
WIDEST = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 8)
    .map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))"""


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


def fits_and_photograph(page: Any, name: str) -> None:
    """At each width: nothing wider than the window (no sideways scrolling), and a screenshot."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)  # the picture fits itself again after a resize
        if SCREENSHOTS:
            os.makedirs(SCREENSHOTS, exist_ok=True)
            page.screenshot(path=f"{SCREENSHOTS}/networks-{name}-{width}.png", full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow} px wider than {width} px: {page.evaluate(WIDEST)}"
    page.set_viewport_size({"width": 1280, "height": 900})


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


def test_networks_journey__meeting_from_the_rotation_attendance_picture_and_a_map(open_page, personas):
    from django.utils import timezone

    from osallisuus.networks import services
    from osallisuus.networks.models import MapPerson, Meeting, Snapshot
    from osallisuus.networks.tests.factories import aware, build_world

    world = build_world(personas)
    leena_user = personas.network_coordinator
    city, village = personas.organisations["city"], personas.organisations["village"]
    services.rotation_set(actor=leena_user, network=world.a, organisation_ids=[city.pk, village.pk])
    first_day = timezone.localdate() - dt.timedelta(days=40)
    first = services.meeting_create(
        actor=leena_user,
        network=world.a,
        data={
            "title": "Verkostokokous",
            "starts_at": aware(first_day),
            "ends_at": aware(first_day, 11),
            "place": "Kaupungintalo",
            "host": city,
        },
    )
    services.attendance_record(
        actor=leena_user, meeting=first, membership_ids=[world.leena.pk, world.matti.pk, world.eero.pk]
    )
    snapshot = Snapshot.objects.create(network=world.a, on=timezone.localdate(), level=Snapshot.Level.MEMBERS)
    services.snapshot_compute(snapshot_id=snapshot.pk)
    base = f"/networks/{world.a.pk}/"

    # Leena opens her network and sees the picture of today: three ties from the first meeting.
    leena = open_page()
    keyboard_log_in(leena, leena_user)
    switch_language(leena, "fi")  # Leena has chosen Swedish; the journey is in Finnish
    follow(leena, "nav.site-nav a[href='/networks/']")
    follow(leena, f"main a[href='{base}']")
    fits_and_photograph(leena, "network")
    follow(leena, f"main a[href='{base}picture/']")
    assert "4 jäsentä ja 3 sidettä" in leena.locator("main").inner_text()

    # The next meeting, from the previous one: the host proposed is the next in the rotation.
    leena.goto(base)
    follow(leena, f"main a[href='{base}meetings/new/']")
    assert "Täytetty edellisestä kokouksesta" in leena.locator("main").inner_text()
    assert leena.input_value("#id_host") == str(village.pk)
    assert leena.input_value("#id_title") == "Verkostokokous"
    follow(leena, "main form button[type=submit]")
    meeting = Meeting.objects.exclude(pk=first.pk).get(network=world.a)
    assert meeting.host == village
    assert timezone.localtime(meeting.starts_at).date() == first_day + dt.timedelta(days=28)

    # She records who came: herself and Kaarina, the resident.
    for membership in (world.leena, world.resident):
        tab_to(leena, f"input[name=present][value='{membership.pk}']", limit=TABS)
        leena.keyboard.press("Space")
    follow(leena, "form[action$='/attendance/'] button[type=submit]")
    assert set(meeting.attendance.values_list("membership_id", flat=True)) == {world.leena.pk, world.resident.pk}

    # The picture computed again shows the new tie between Leena and Kaarina.
    leena.goto(f"{base}picture/")
    follow(leena, "form[action$='/picture/snapshot/'] button[type=submit]")
    text = leena.locator("main").inner_text()
    assert "4 jäsentä ja 4 sidettä" in text, text[:400]
    assert leena.locator("svg.network-picture title", has_text="Asukas Kaarina").count() == 1
    fits_and_photograph(leena, "picture")
    # With JavaScript the picture zooms (svg-pan-zoom) from the keyboard; the arrow keys pan it.
    viewport = leena.locator("svg.network-picture g.svg-pan-zoom_viewport")
    before = viewport.get_attribute("transform")
    tab_to(leena, "#picture-controls button[data-zoom=in]", limit=TABS)
    leena.keyboard.press("Enter")
    leena.keyboard.press("ArrowLeft")
    leena.wait_for_function(
        "t => document.querySelector('svg.network-picture g.svg-pan-zoom_viewport').getAttribute('transform') !== t",
        arg=before,
    )
    assert_accessible(leena)

    # She sends the members an evaluation round (the last day proposed two weeks on).
    leena.goto(base)
    follow(leena, f"main a[href='{base}evaluation/']")
    follow(leena, "main form button[type=submit]")
    text = leena.locator("main").inner_text()
    assert "Arviointi on lähetetty jäsenille." in text
    assert "Tulokset näytetään, kun vähintään 5 jäsentä on vastannut." in text
    fits_and_photograph(leena, "evaluation")

    # Aino adds her neighbour to her map.
    aino = open_page()
    keyboard_log_in(aino, personas.participant)
    aino.goto("/networks/maps/")
    assert_accessible(aino)
    follow(aino, f"main a[href='/networks/maps/{world.aino_map.pk}/']")
    type_into(aino, "#id_name", "Naapurin Liisa")
    tab_to(aino, "#id_sector", limit=TABS)
    aino.select_option("#id_sector", value="friends")
    type_into(aino, "#id_support", "Käy kaupassa kanssani")
    follow(aino, "form[action$='/people/'] button[type=submit]")
    assert "Naapurin Liisa" in aino.locator("main").inner_text()

    # Ville, with whom she shares it, adds her social instructor.
    ville = open_page()
    keyboard_log_in(ville, personas.own_worker)
    ville.goto(f"/networks/maps/{world.aino_map.pk}/")
    assert_accessible(ville)
    type_into(ville, "#id_name", "Sosiaaliohjaaja Pekka")
    tab_to(ville, "#id_sector", limit=TABS)
    ville.select_option("#id_sector", value="workers")
    follow(ville, "form[action$='/people/'] button[type=submit]")
    names = set(MapPerson.objects.filter(version__map=world.aino_map).values_list("name", flat=True))
    assert {"Äiti", "Naapurin Liisa", "Sosiaaliohjaaja Pekka"} <= names
    fits_and_photograph(ville, "map")
