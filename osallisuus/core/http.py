"""Typed requests and the one way to answer a page or its htmx fragment.

Views of logged-in people take ``request: AuthedRequest`` (django-stubs' documented pattern:
a subclass of ``HttpRequest`` that only declares the attributes the middleware sets), so
``request.user`` is a ``User`` and ``request.htmx`` is django-htmx's ``HtmxDetails`` without
casts; API endpoints take ``request: ApiRequest`` (the caller in ``request.auth``).
``render(request, template, context, fragment="results")`` answers an htmx request with
the named fragment of the same template (``template#results``, django-template-partials) and
every other request with the whole page, so each page works without JavaScript.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from osallisuus.accounts.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: the user is a logged-in ``User``."""

    user: User
    htmx: HtmxDetails


class ApiRequest(HttpRequest):
    """A request to an API endpoint behind the project's authentication (session or token):
    Django Ninja puts the authenticated ``User`` in ``request.auth``."""

    auth: User


def wants_fragment(request: HttpRequest) -> bool:
    """True for an htmx request that asks for a part of the page (not a boosted whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)


def render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status: int = 200,
) -> TemplateResponse:
    """The page, or for htmx the named fragment of the same template."""
    name = f"{template}#{fragment}" if fragment and wants_fragment(request) else template
    return TemplateResponse(request, name, context or {}, status=status)


def form_status(request: HttpRequest, *, saved: bool = False) -> int:
    """400 for a form that was sent and refused, 200 otherwise (the page shows the errors)."""
    return 400 if request.method == "POST" and not saved else 200


def language_cookie_set(response: HttpResponse, language: str) -> None:
    """Remember the interface language on this device (after a login: the person's preference)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
    )
