"""Request-size limit (413, 400 for a broken Content-Length) and the security headers
Django does not set itself.

Order in settings.MIDDLEWARE: SecurityMiddleware, SecurityHeadersMiddleware, then
RequestSizeLimitMiddleware, so even a refused request gets every security header.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .views import bad_request, request_too_large


@lru_cache(maxsize=8)
def content_security_policy(form_action_extra: tuple[str, ...] = ()) -> str:
    """The policy; ``form_action_extra`` are other origins a form may lead to
    (``settings.CSP_FORM_ACTION_EXTRA``: an identity provider's logout, reached by the
    redirect after the logout form, which ``form-action`` also covers)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "media-src 'self'",
            "frame-src 'none'",
            " ".join(["form-action 'self'", *form_action_extra]),
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class RequestSizeLimitMiddleware:
    """Refuse a request before anything reads its body.

    * Content-Length that is not a plain number: 400.
    * A body larger than MAX_REQUEST_BODY_BYTES: 413.
    * A body that is not a multipart upload and is larger than DATA_UPLOAD_MAX_MEMORY_SIZE
      (forms and JSON are read into memory): 413, not the 400 Django would give later.
    * A NUL character in the address, the query or a JSON body: 400 (no database stores it,
      and no person types it). Form fields refuse it already (Django's CharField).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = (request.META.get("CONTENT_LENGTH") or "").strip()
        if raw and not (raw.isascii() and raw.isdigit()):
            return bad_request(request, None)
        length = int(raw) if raw else 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return self._too_large(request)
        in_memory_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        content_type = request.META.get("CONTENT_TYPE", "").lower()
        if (
            in_memory_limit is not None
            and length > in_memory_limit
            and not content_type.startswith("multipart/form-data")
        ):
            return self._too_large(request)
        if self._has_nul(request, content_type):
            return bad_request(request, None)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest, content_type: str) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").lower():
            return True
        if content_type.startswith("application/json") and request.method in {"POST", "PUT", "PATCH"}:
            body = request.body
            return b"\\u0000" in body or b"\x00" in body
        return False

    @staticmethod
    def _too_large(request: HttpRequest) -> HttpResponse:
        return request_too_large(request)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline scripts or styles), a Permissions-Policy and
    the frame and isolation headers, on every response including error pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        extra = tuple(getattr(settings, "CSP_FORM_ACTION_EXTRA", ()))
        response.headers.setdefault("Content-Security-Policy", content_security_policy(extra))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

