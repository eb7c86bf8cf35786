"""Staff whose roles let them see personal data must verify a one-time code (TOTP) after login.

Which roles need it is data (``Role.requires_second_factor``); ``user.permissions`` reads it.
Until the code is verified every page sends the user to the second-factor page, which
brings them back to where they were going.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# The API answers 401 itself (VerifiedSessionAuth); the rest hold nothing personal.
EXEMPT_PREFIXES = ("/static/", "/i18n/", "/api/", "/healthz/", "/accessibility/", "/feedback/")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and request.path not in _exempt_paths()
            and user.permissions.requires_second_factor
            and not user.is_verified()  # type: ignore[attr-defined]
        ):
            target = reverse("accounts:second_factor")
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            if request.headers.get("HX-Request") == "true":  # HtmxMiddleware runs later
                # A fragment request must not swap the whole code page into a part of the page.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)


def _exempt_paths() -> set[str]:
    return {
        reverse("accounts:login"),
        reverse("accounts:logout"),
        reverse("accounts:second_factor"),
        reverse("core:session_extend"),
    }
