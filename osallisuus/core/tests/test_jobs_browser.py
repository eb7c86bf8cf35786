"""The progress fragment in a real browser: htmx updates it while the job runs and then stops.

Playwright drives Debian's Chromium against pytest-django's live server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from osallisuus.core import services

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture
def page(live_server: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, locale="fi-FI")
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()
        browser.close()


def log_in_browser(page: Any, live_server: Any, user: Any) -> None:
    """Give the browser a logged-in session cookie for the user (no second factor needed)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_progress_fragment__in_a_browser__updates_while_running_and_stops_when_done(page, live_server, personas):
    # Given Aino's job is at 3 of 10 and she has its page open
    aino = personas.participant
    job = services.job_create(owner=aino, kind="test", label="Tuonti")
    services.job_started(job_id=job.pk, total=10)
    services.job_advance(job_id=job.pk, by=3)
    log_in_browser(page, live_server, aino)
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if request.headers.get("hx-request") else None)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"/jobs/{job.pk}/")
    bar = page.locator("progress")
    assert bar.get_attribute("value") == "30"
    # When the worker moves the job on, the bar follows without a reload
    services.job_advance(job_id=job.pk, by=4)
    page.wait_for_function("() => document.querySelector('progress').value === 70")
    # When the job finishes, the download appears and the live region says so once
    services.job_finish(job_id=job.pk, file=ContentFile(b"a;b\r\n"), filename="tuonti.csv")
    page.locator(f"a[href='/jobs/{job.pk}/download/']").wait_for()
    assert page.locator(f"#job-{job.pk}-live").inner_text().strip() != ""
    # Then the polling stops
    count = len(polls)
    assert count >= 2
    page.wait_for_timeout(2500)  # (a plain sleep would also pause the browser events)
    assert len(polls) == count
    assert page.locator("[hx-trigger]").count() == 0
    # And nothing broke the strict Content-Security-Policy
    assert not [e for e in errors if "Content Security Policy" in e], errors
