"""axe-core finds no accessibility violations on any page of the shell, in Finnish, Swedish and English."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from osallisuus.core.demo import DEMO_PASSWORD

from .helpers import log_in, one_time_code, switch_language

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

AXE = Axe()


def _seed(personas: Any) -> None:
    """Enough data that every table, list and notice of the shell is on the page."""
    from osallisuus.accounts.api_auth import token_issue
    from osallisuus.core.access import log_access
    from osallisuus.core.models import Feedback

    kaisa = personas.coordinator
    for viewer in (personas.administrator, personas.expert):
        log_access(actor=viewer, subject_id=kaisa.pk, obj=kaisa, purpose="person details", route="/account/people/")
    token_issue(user=kaisa, name="Raportointi", days=30)
    Feedback.objects.create(topic="accessibility", message="Kontrasti on heikko.\nKorjatkaa.", sender=personas.expert)
    Feedback.objects.create(topic="service", message="Kiitos!", email="anna@example.fi", handled=True)


class _Checker:
    def __init__(self, page: Any, lang: str) -> None:
        self.page = page
        self.lang = lang
        self.checked: list[str] = []
        self.violations: dict[str, str] = {}

    def __call__(self, name: str) -> None:
        assert self.page.get_attribute("html", "lang") == self.lang, f"{name} is not in {self.lang}"
        results = AXE.run(self.page)
        self.checked.append(name)
        if results.violations_count:
            self.violations[f"{name} ({self.lang}, {self.page.url})"] = results.generate_report()

    def submit(self, selector: str = "main form[method=post] button[type=submit]") -> None:
        with self.page.expect_navigation():
            self.page.click(selector)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_axe__every_shell_page__has_no_violations(page, personas, lang):
    _seed(personas)
    kaisa = personas.coordinator
    check = _Checker(page, lang)

    page.goto("/")
    switch_language(page, lang)
    check("welcome")

    page.goto("/account/login/")
    check("login")
    page.fill("#id_username", kaisa.email)
    page.fill("#id_password", "wrong password")
    check.submit("form.login-form button[type=submit]")
    check("login with an error")
    page.fill("#id_password", DEMO_PASSWORD)
    check.submit("form.login-form button[type=submit]")
    switch_language(page, lang)  # logging in brings back the person's own language choice
    check("second factor")
    page.fill("#id_code", one_time_code(kaisa))
    check.submit()
    check("home")

    for name, url in [
        ("profile", "/account/"),
        ("people list", "/account/people/"),
        ("person detail", f"/account/people/{personas.expert.pk}/"),
        ("who has seen my data", "/privacy/who-has-seen-my-data/"),
        ("API tokens", "/account/api-tokens/"),
        ("accessibility statement", "/accessibility/"),
        ("feedback", "/feedback/"),
    ]:
        page.goto(url)
        check(name)

    check.submit()
    check("feedback with errors")
    page.check("#id_topic_0")
    page.fill("#id_message", "Hyvä palvelu.")
    check.submit()
    check("feedback sent")

    page.goto("/no-such-page/")
    check("404 page")

    page.goto("/")
    with page.expect_navigation():
        page.click("header form[action='/account/logout/'] button")
    log_in(page, personas.administrator, DEMO_PASSWORD)
    switch_language(page, lang)
    page.goto("/manage/feedback/?show=all")
    check("feedback for administrators")

    assert len(check.checked) == 16
    assert check.violations == {}, "\n\n".join(f"{k}:\n{v}" for k, v in check.violations.items())
