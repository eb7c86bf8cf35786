"""Helpers the browser tests share: the keyboard, logging in, the one-time code, languages."""

from __future__ import annotations

from typing import Any


def one_time_code(user: Any) -> str:
    """The current TOTP code of the user's confirmed device (what their phone would show)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def needs_one_time_code(user: Any) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def focused(page: Any) -> dict[str, str]:
    return page.evaluate(
        """() => { const e = document.activeElement; return {
            tag: e.tagName.toLowerCase(), id: e.id || "", name: e.getAttribute("name") || "",
            value: e.getAttribute("value") || "", href: e.getAttribute("href") || "",
            text: (e.innerText || "").trim() }; }"""
    )


def tab_to(page: Any, selector: str, *, limit: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the focus (the keyboard only)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus with Tab; last focused: {focused(page)}")


def log_in(page: Any, user: Any, password: str) -> None:
    """Log in through the login form (and the one-time code step for staff)."""
    if not page.url.split("?")[0].endswith("/account/login/"):
        page.goto("/account/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form.login-form button[type=submit]")
    if needs_one_time_code(user):
        assert "/account/second-factor/" in page.url, page.url
        page.fill("#id_code", one_time_code(user))
        with page.expect_navigation():
            page.click("main form button[type=submit]")


def switch_language(page: Any, lang: str) -> None:
    """Choose a language with the switcher in the header (a plain form POST)."""
    if page.get_attribute("html", "lang") == lang:
        return
    with page.expect_navigation():
        page.click(f"form.language-switcher button[value={lang}]")
    assert page.get_attribute("html", "lang") == lang
