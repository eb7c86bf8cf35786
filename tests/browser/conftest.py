"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's
live server. One browser for the whole session, one browser context per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (personas, one-time codes) are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Any]:
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as playwright:
        # While Playwright's event loop runs in this thread, Django (through asgiref) hands the
        # thread other connection objects. Give them the test database's serialized contents,
        # or serialized_rollback would restore nothing after the first browser test.
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
