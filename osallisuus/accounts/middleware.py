"""Staff whose roles let them see personal data must verify a one-time code (TOTP) after login."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

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
            and user.permissions.requires_second_factor  # type: ignore[union-attr]
            and not user.is_verified()  # type: ignore[union-attr]
        ):
            return redirect(f"{reverse('accounts:second_factor')}?next={request.path}")
        return self.get_response(request)


def _exempt_paths() -> set[str]:
    return {
        reverse("accounts:login"),
        reverse("accounts:logout"),
        reverse("accounts:second_factor"),
        reverse("core:session_extend"),
    }
