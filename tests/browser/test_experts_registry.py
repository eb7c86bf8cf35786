"""The experts registry in Chromium, Finnish UI: Kaisa (coordinator) adds an expert (a wrong
form first), pauses her with a date in the past (refused, input kept) and then a real one,
and records an earnings limit with her; the new expert chooses her password from the e-mailed
link. axe-core finds no violations on any page visited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from osallisuus.core.demo import DEMO_PASSWORD

from .helpers import log_in
from .test_experts_journey import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


@pytest.fixture
def fresh_page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def submit(page: Any, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)
    assert_accessible(page)


def test_registry__add_pause_and_record_limits__then_the_expert_sets_her_password(personas, fresh_page):
    from osallisuus.experts.models import EarningsLimit, Expert

    page = fresh_page
    log_in(page, personas.coordinator, DEMO_PASSWORD)
    page.goto("/experts/experts/new/")
    assert_accessible(page)

    # A wrong form: no name, a broken e-mail address. The errors are listed and the input kept.
    page.fill("#id_email", "liisa.example")
    submit(page)
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#id_email") == "liisa.example"

    page.fill("#id_full_name", "Liisa Åkerman")
    page.fill("#id_email", "liisa.akerman@example.fi")
    page.check("input[name=languages_list][value=sv]")
    page.fill("#id_region", "Järvi-Suomi")
    submit(page)
    expert = Expert.objects.get(user__email="liisa.akerman@example.fi")
    assert f"/experts/experts/{expert.pk}/" in page.url

    # A pause that ended yesterday is refused; the date stays in the field.
    page.goto(f"/experts/experts/{expert.pk}/status/")
    assert_accessible(page)
    page.check("input[name=status][value=paused]")
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()  # a date field: ISO in the DOM
    page.fill("#id_paused_until", yesterday)
    submit(page)
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#id_paused_until") == yesterday
    until = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    page.fill("#id_paused_until", until)
    page.fill("#id_pause_reason", "Toipumisloma")
    submit(page)
    expert.refresh_from_db()
    assert expert.paused_until == timezone.localdate() + dt.timedelta(days=30)

    # Earnings limits recorded together with the expert.
    page.goto(f"/experts/experts/{expert.pk}/limits/")
    assert_accessible(page)
    page.fill("#id_kind", "Työkyvyttömyyseläkkeen ansioraja")
    page.fill("#id_amount", "1000.00")  # a number field: the DOM value has a dot
    page.fill("#id_valid_from", "2026-01-01")
    page.fill("#id_source", "Eläkepäätös")
    submit(page)
    limit = EarningsLimit.objects.get(expert=expert)
    assert limit.amount == 1000
    assert limit.recorded_by_id == personas.coordinator.pk

    # The new expert's e-mail carries a one-time link to choose a password.
    welcome = [m for m in mail.outbox if m.to == ["liisa.akerman@example.fi"] and "/account/password/set/" in m.body]
    assert len(welcome) == 1
    link = re.search(r"https?://\S+/account/password/set/\S+/", welcome[0].body)
    assert link is not None
    page.context.clear_cookies()
    page.goto("/account/" + link.group(0).split("/account/", 1)[1])
    assert_accessible(page)
    page.fill("#id_new_password1", "Vahva-salasana-2026")
    page.fill("#id_new_password2", "Vahva-salasana-2026")
    submit(page)
    expert.user.refresh_from_db()
    assert expert.user.check_password("Vahva-salasana-2026")
