"""E-mail that works: full links, a subject that says what it is about, an HTML part and a
plain-text part, in the recipient's language. Every e-mail of the platform goes through here.

``send(to=..., subject=..., template="core/email/notice", context=..., lang=...)`` renders
``<template>.txt`` and ``<template>.html`` in the recipient's language, with ``site_url`` and
``absolute_url`` available, and sends both parts. ``absolute_url(path)`` turns a path into a
full address on ``settings.SITE_URL``. Links in e-mails are always full addresses.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def absolute_url(path_or_url: str) -> str:
    """``/experts/offers/`` → ``https://osallisuus.example.fi/experts/offers/``; a full address
    on the same site is kept; an empty path is the front page."""
    if not path_or_url:
        return site_url() + "/"
    parts = urlsplit(path_or_url)
    if parts.scheme and parts.netloc:
        return path_or_url
    return urljoin(site_url() + "/", path_or_url.lstrip("/"))


def language_of(recipient: Any) -> str:
    return str(getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE)


def send(
    *,
    to: Any,
    subject: Any,
    template: str,
    context: dict[str, Any] | None = None,
    lang: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    fail_silently: bool = False,
) -> bool:
    """Send one e-mail to a user (or an address) in their language. Returns False if it failed
    with ``fail_silently`` (the failure is logged, never shown to another person)."""
    address = to if isinstance(to, str) else getattr(to, "email", "")
    if not address:
        return False
    language = lang or (settings.LANGUAGE_CODE if isinstance(to, str) else language_of(to))
    with translation.override(language):
        values = {"site_url": site_url(), "recipient": None if isinstance(to, str) else to, **(context or {})}
        subject_text = " ".join(str(subject).split())[:200]
        text = render_to_string(f"{template}.txt", values)
        html = render_to_string(f"{template}.html", values)
    message = EmailMultiAlternatives(subject=subject_text, body=text, to=[address])
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    try:
        message.send()
    except Exception:
        if not fail_silently:
            raise
        logger.exception("e-mail could not be sent")
        return False
    return True
