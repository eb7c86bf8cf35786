from __future__ import annotations

import datetime
import sys
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import notifications, selectors, services
from .forms import FeedbackForm
from .http import AuthedRequest, render
from .jobs import job_get_for_owner
from .models import JobProgress
from .navigation import home_sections, memberships_for, work_queues
from .paging import paginate
from .session_activity import mark_seen


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The welcome page for visitors; after login, one short section per role the user holds."""
    if not request.user.is_authenticated:
        return TemplateResponse(request, "core/welcome.html")
    memberships = memberships_for(request.user)
    return TemplateResponse(
        request,
        "core/home.html",
        {
            "memberships": memberships,
            "queues": work_queues(request),
            "sections": home_sections(request, memberships=memberships),
        },
    )


ACCESSIBILITY_STATEMENT_MADE = datetime.date(2026, 11, 28)
ACCESSIBILITY_STATEMENT_CHECKED = datetime.date(2026, 11, 28)


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement the act on the provision of digital services (306/2019) requires."""
    return TemplateResponse(
        request,
        "core/accessibility.html",
        {"statement_made": ACCESSIBILITY_STATEMENT_MADE, "statement_checked": ACCESSIBILITY_STATEMENT_CHECKED},
    )


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    initial = {"page_url": request.GET.get("page", "")[:500]}
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.feedback_create(
            sender=request.user if request.user.is_authenticated else None,
            topic=form.cleaned_data["topic"],
            message=form.cleaned_data["message"],
            page_url=form.cleaned_data["page_url"],
            email=form.cleaned_data["email"],
        )
        messages.success(request, _("Thank you. Your feedback has been sent."))
        return redirect("core:feedback_thanks")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "core/feedback.html", {"form": form}, status=status)


@require_GET
def feedback_thanks(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "core/feedback_thanks.html")


FEEDBACK_PAGE_SIZE = 25


@login_required
@require_GET
def feedback_admin(request: AuthedRequest) -> HttpResponse:
    """Feedback for the administrators who handle it; reading it is logged per sender."""
    decision = request.user.permissions.can_handle_feedback()
    if not decision:
        raise PermissionDenied(decision.reason)
    show = "all" if request.GET.get("show") == "all" else "open"
    paginator = Paginator(selectors.feedback_list(actor=request.user, show=show), FEEDBACK_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    selectors.feedback_log_listing(actor=request.user, feedback=list(page.object_list), route=request.path)
    return TemplateResponse(request, "core/feedback_admin.html", {"page": page, "show": show})


@login_required
@require_POST
def feedback_mark_handled(request: AuthedRequest, feedback_id: int) -> HttpResponse:
    decision = request.user.permissions.can_handle_feedback()
    if not decision:
        raise PermissionDenied(decision.reason)
    feedback = selectors.feedback_get_for_handling(actor=request.user, feedback_id=feedback_id)
    services.feedback_mark_handled(feedback=feedback, actor=request.user)
    messages.success(request, _("The feedback has been marked as handled."))
    back = request.POST.get("next", "")
    if not (back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})):
        back = reverse("core:feedback_admin")
    return redirect(back)


@require_POST
def session_extend(request: HttpRequest) -> HttpResponse:
    """Start the idle timer of the session again (the "Continue my session" button).

    ``fetch`` (Accept: application/json) and htmx get JSON: the seconds left, or 401 when
    the session has already ended. A plain form post returns to ``next`` on this site.
    """
    wants_json = request.htmx or "application/json" in request.headers.get("Accept", "")  # type: ignore[attr-defined]
    if not request.user.is_authenticated:
        if wants_json:
            return JsonResponse({"detail": _("Your session has ended. Log in again.")}, status=401)
        return redirect_to_login(request.POST.get("next") or "/")
    request.session.set_expiry(None)  # back to SESSION_COOKIE_AGE from now
    mark_seen(request)
    request.session.modified = True
    if wants_json:
        return JsonResponse({"expires_in": settings.SESSION_COOKIE_AGE})
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "core:home"
    return redirect(target)


@require_GET
@login_required
def job_progress(request: AuthedRequest, job_id: str) -> HttpResponse:
    """The progress of one of the user's own background jobs (a page, or its fragment for htmx)."""
    job = job_get_for_owner(owner=request.user, job_id=job_id)
    return render(request, "core/job.html", {"job": job}, fragment="progress")


@require_GET
@login_required
def job_download(request: AuthedRequest, job_id: str) -> FileResponse:
    """The result file of the user's own finished job; 404 for anyone else."""
    job = job_get_for_owner(owner=request.user, job_id=job_id)
    if job.status != JobProgress.Status.DONE or not job.result_file:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=job.result_name or "download")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. It touches nothing else, so a database outage does not
    make the load balancer restart healthy app processes."""
    return JsonResponse({"status": "ok"})


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The smallest page through every middleware (session, second factor, permissions): the
    floor the load benchmark compares each page with, anonymously and logged in (bench/load)."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers and the cache works (503 with what failed otherwise)."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "unavailable"
    try:
        probe = f"readyz:{time.monotonic_ns()}"
        cache.set(probe, "1", 10)
        checks["cache"] = "ok" if cache.get(probe) == "1" else "unavailable"
        cache.delete(probe)
    except Exception:
        checks["cache"] = "unavailable"
    ready = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503)


# -- error pages (in the user's language: LocaleMiddleware has run) --------------------
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):  # form fields over DATA_UPLOAD_MAX_MEMORY_SIZE
        return _error(request, 413)
    return _error(request, 400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the friendly 403 page in the user's language (the reason is not shown)."""
    return _error(request, 403)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404)


def request_too_large(request: HttpRequest) -> HttpResponse:
    return _error(request, 413)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or a calm 503 when the database is away (restarted, failed over, out of connections):
    the request in flight fails whole (its transaction is rolled back), the next one reconnects
    (persistent connections are health-checked), and no traceback is shown."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = _error(request, 503)
        response["Retry-After"] = "5"
        return response
    return _error(request, 500)


def _error(request: HttpRequest, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _error_title(status)}, status=status)
    lang = translation.get_language_from_request(request)
    user = getattr(request, "user", None)
    if status == 403 and user is not None and user.is_authenticated:
        # Signed in: the page keeps the menu, and says who can give the access.
        try:
            with translation.override(lang):
                organisations = sorted({m.organisation.name for m in memberships_for(user)})
                page = loader.render_to_string(
                    "errors/403_signed_in.html",
                    {"status": status, "organisations": organisations},
                    request=request,
                )
            return HttpResponse(page, status=status)
        except Exception:  # noqa: S110 - the plain error page below never fails
            pass
    with translation.override(lang):
        try:
            html: str = loader.render_to_string(f"errors/{status}.html", {"status": status}, request=None)
        except Exception:  # the error page itself must never fail
            html = f"<!doctype html><title>{status}</title><h1>{status}</h1>"
    return HttpResponse(html, status=status)


def _error_title(status: int) -> str:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("Page not found."),
        413: _("The request is too large."),
        500: _("Something went wrong on our side."),
        503: _("The service is briefly unavailable. Try again in a moment."),
    }.get(status, _("Error"))


# -- notifications -------------------------------------------------------------------------------
NOTIFICATIONS_PAGE_SIZE = 25


@login_required
@require_GET
def notifications_list(request: AuthedRequest) -> HttpResponse:
    """The person's own notices, newest first, a page at a time."""
    listing = paginate(
        request,
        notifications.notifications_of(user=request.user),
        sorts={"time": ("-created_at", "-pk")},
        default_sort="time",
        per_page=NOTIFICATIONS_PAGE_SIZE,
    )
    return render(request, "core/notifications.html", {"listing": listing}, fragment="results")


@login_required
@require_POST
def notification_open(request: AuthedRequest, notification_id: int) -> HttpResponse:
    """Mark one of one's own notices read and go where it points (another person's: 404)."""
    notification = notifications.notification_open(user=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("core:notifications")


@login_required
@require_POST
def notifications_read_all(request: AuthedRequest) -> HttpResponse:
    count = notifications.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notices have been marked read."))
    return redirect("core:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: AuthedRequest) -> HttpResponse:
    """Which kinds of notice come by e-mail; every notice is always shown here in the service."""
    if request.method == "POST":
        notifications.preferences_save(user=request.user, email_kinds=set(request.POST.getlist("email")))
        messages.success(request, _("Your choices have been saved."))
        return redirect("core:notification_settings")
    return TemplateResponse(
        request, "core/notification_settings.html", {"preferences": notifications.preferences_of(user=request.user)}
    )
