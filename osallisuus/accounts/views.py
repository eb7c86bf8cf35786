from __future__ import annotations

import base64
import math
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from osallisuus.core.collation import finnish
from osallisuus.core.http import AuthedRequest, language_cookie_set, render
from osallisuus.core.paging import paginate, read_query

from . import login_hooks, security, selectors
from .api_auth import token_issue, token_revoke, tokens_of
from .forms import ApiTokenForm, EmailLoginForm, OneTimeCodeForm, PasswordChangeForm, SetPasswordForm
from .permissions import can_list_people

PEOPLE_PAGE_SIZE = 25


class LoginView(auth_views.LoginView):
    """Log in with e-mail and password. Every refusal (wrong password, unknown e-mail,
    inactive account) gives the same text and status, so nothing tells whether an
    account exists; django-axes answers the same lockout page for every e-mail."""

    form_class = EmailLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["login_sections"] = login_hooks.sections(self.request)  # other ways to log in
        return context

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        # A language chosen on this device (the switcher on the login page) wins and becomes
        # the person's preference; otherwise the interface follows the saved preference.
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in dict(settings.LANGUAGES) and chosen != user.preferred_language:
            user.preferred_language = chosen
            user.save(update_fields=["preferred_language"])
        elif user.preferred_language:
            language_cookie_set(response, user.preferred_language)
        return response


login_view = LoginView.as_view()


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    # Another login app may end the session at its provider too (its end-session address).
    target = login_hooks.on_logout(request)
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect(target or "accounts:login")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """django-axes lockout (AXES_LOCKOUT_CALLABLE): the same calm page whether the account exists or not."""
    minutes = max(1, math.ceil(float(settings.AXES_COOLOFF_TIME or 0) * 60))
    response = TemplateResponse(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response.render()


def _safe_next(request: HttpRequest) -> str:
    """Where to go after the second factor: only a path on this site, never another host."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Verify a one-time code; the first time, set up the authenticator app."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_safe_next(request))
    if not user.permissions.requires_second_factor:  # type: ignore[union-attr]
        # Roles without access to other people's personal data log in with a password only;
        # the page has nothing to set up for them.
        return redirect(_safe_next(request))
    device, setup = security.second_factor_device(user=user)  # type: ignore[arg-type]
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = security.second_factor_verify(user=user, device=device, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        if check.ok:
            otp_login(request, check.device)
            return redirect(_safe_next(request))
        if check.wait_seconds:
            form.add_error(
                "code",
                ngettext(
                    "Too many wrong codes. Wait %(seconds)d second and try again with a new code.",
                    "Too many wrong codes. Wait %(seconds)d seconds and try again with a new code.",
                    check.wait_seconds,
                )
                % {"seconds": check.wait_seconds},
            )
        else:
            form.add_error(
                "code", _("The code is not right. Check that the clock of your phone is correct and try again.")
            )
    context: dict[str, Any] = {"form": form, "setup": setup, "next": _safe_next(request)}
    if setup:
        context["qr_data_uri"] = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "accounts/second_factor.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthedRequest) -> HttpResponse:
    """Change one's own password. The current session stays valid; other sessions end."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        security.password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:profile")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "accounts/password_change.html", {"form": form}, status=status)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Choose one's own password from a link sent by e-mail (``services.password_set_path``),
    e.g. when a coordinator has added the person to the registry of experts by experience.

    Django's view keeps the token out of the address (and so out of the Referer header);
    a link that is wrong, used or too old answers 410 with a calm page.
    """

    template_name = "accounts/password_set.html"
    form_class = SetPasswordForm
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        security.password_change(user=form.user, new_password=form.cleaned_data["new_password1"])
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        messages.success(self.request, _("Your password has been set. You can now log in."))
        return redirect("accounts:login")

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if not context.get("validlink"):
            kwargs["status"] = 410
        elif self.request.method == "POST":
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)


password_set = PasswordSetView.as_view()


@login_required
@require_GET
def profile(request: AuthedRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "accounts/profile.html",
        {"memberships": selectors.memberships_of(user=request.user)},
    )


@login_required
@require_GET
def people_list(request: AuthedRequest) -> HttpResponse:
    """The organisation's people or one's own clients: searched, sorted and paged in the address."""
    decision = can_list_people(request.user)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    sorts = {"name": (finnish("full_name"), "pk"), "email": ("email", "pk")}
    query = read_query(request.GET, sorts=sorts, default_sort="name")
    listing = paginate(
        request,
        selectors.people_list(actor=request.user, query=query.q),
        sorts=sorts,
        default_sort="name",
        per_page=PEOPLE_PAGE_SIZE,
        query=query,
    )
    selectors.people_log_listing(actor=request.user, people=listing.rows, purpose="people list", route=request.path)
    return render(request, "accounts/people_list.html", {"listing": listing, "query": query.q}, fragment="results")


@login_required
@require_GET
def person_detail(request: AuthedRequest, person_id: int) -> HttpResponse:
    """One person's page: only the fields the viewer's relationship and the person's consent allow."""
    person = selectors.person_get_for_view(
        actor=request.user, person_id=person_id, purpose="person details", route=request.path
    )
    view = selectors.person_view_get(actor=request.user, person=person)
    own = person.pk == request.user.pk
    memberships = [m for m in person.memberships.all() if own or m.organisation_id in view.organisation_ids]
    return TemplateResponse(
        request, "accounts/person_detail.html", {"person": person, "view": view, "memberships": memberships}
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthedRequest) -> HttpResponse:
    """Personal API tokens: make one (its secret is shown on this answer only), see and revoke them."""
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _token, new_secret = token_issue(
            user=request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
        )
        form = ApiTokenForm()
    status = 400 if request.method == "POST" and new_secret is None else 200
    context = {
        "form": form,
        "tokens": tokens_of(user=request.user),
        "new_secret": new_secret,
        "now": timezone.now(),
    }
    return TemplateResponse(request, "accounts/api_tokens.html", context, status=status)


@login_required
@require_POST
def api_token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    """Revoke one of one's own tokens; someone else's or a missing token gives 404."""
    if not token_revoke(user=request.user, token_id=token_id):
        raise Http404
    messages.success(request, _("The token has been revoked. Systems that used it can no longer reach the API."))
    return redirect("accounts:api_tokens")
