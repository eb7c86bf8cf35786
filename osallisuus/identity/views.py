"""The login with an identity provider: start, callback, invitation links and back-channel logout.

Every login that does not succeed ends on a calm page in the person's language with a short
reference; the log line has the provider, the reason and the reference, never a token.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from mozilla_django_oidc.utils import add_state_and_verifier_and_nonce_to_session, generate_code_challenge

from osallisuus.core.http import language_cookie_set

from . import selectors, services, session
from .errors import FAILURES
from .oidc import BACKEND, ProviderBackend, TokenExchangeFailed, TokenRejected
from .providers import Provider, ProviderUnavailable, metadata, provider_get

logger = logging.getLogger("osallisuus.identity")

CANCELLED = {
    "access_denied",
    "login_required",
    "interaction_required",
    "consent_required",
    "account_selection_required",
}
REFERENCE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _provider(key: str) -> Provider:
    provider = provider_get(key)
    if provider is None:
        raise Http404
    return provider


def _failure(request: HttpRequest, provider: Provider, reason: str, detail: str = "") -> HttpResponse:
    """Log the failure and show its page at an address of its own (the provider's answer, with
    its code and state, leaves the address bar; reloading shows the same page)."""
    reference = get_random_string(8, REFERENCE_CHARS)
    logger.warning(
        "identity: login with %s did not succeed: %s%s (reference %s)",
        provider.key,
        reason,
        f" / {detail}" if detail else "",
        reference,
    )
    request.session[session.RESULT_KEY] = {"provider": provider.key, "reason": reason, "reference": reference}
    return redirect("identity:result", provider=provider.key)


@never_cache
@require_GET
def result(request: HttpRequest, provider: str) -> HttpResponse:
    """The page of a login that did not end in a session: why it failed, or that it waits."""
    chosen = _provider(provider)
    outcome = request.session.get(session.RESULT_KEY)
    if not isinstance(outcome, dict) or outcome.get("provider") != chosen.key:
        return redirect("accounts:login")
    if outcome.get("reason") == "pending":
        return TemplateResponse(request, "identity/pending.html", {"provider_label": chosen.label()})
    failure = FAILURES.get(str(outcome.get("reason")), FAILURES["provider_error"])
    context = {
        "message": failure.message,
        "reference": outcome.get("reference", ""),
        "provider_label": chosen.label(),
        "retry_url": reverse("identity:start", kwargs={"provider": chosen.key}) if failure.offer_retry else "",
    }
    return TemplateResponse(request, "identity/failure.html", context, status=failure.status)


def _redirect_uri(request: HttpRequest, provider: Provider) -> str:
    return request.build_absolute_uri(reverse("identity:callback", kwargs={"provider": provider.key}))


@never_cache
@require_GET
def start(request: HttpRequest, provider: str) -> HttpResponse:
    """Send the browser to the provider with a fresh state, nonce and PKCE challenge (S256)."""
    chosen = _provider(provider)
    request.session.pop(session.RESULT_KEY, None)
    invitation_id = request.session.get(session.INVITATION_KEY)
    next_url = session.safe_next(request, request.GET.get("next"))
    if request.user.is_authenticated and invitation_id is None:
        return redirect(next_url or "core:home")
    try:
        endpoint = metadata(chosen).authorization_endpoint
    except ProviderUnavailable:
        return _failure(request, chosen, "unavailable", "discovery")
    state = get_random_string(43)
    verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "client_id": chosen.client_id,
        "redirect_uri": _redirect_uri(request, chosen),
        "scope": chosen.scopes,
        "state": state,
        "nonce": get_random_string(43),
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
        "ui_locales": get_language() or settings.LANGUAGE_CODE,
    }
    if chosen.acr_values:
        params["acr_values"] = chosen.acr_values
    if chosen.prompt:
        params["prompt"] = chosen.prompt
    add_state_and_verifier_and_nonce_to_session(request, state, params, verifier)
    request.session[session.STATES_KEY][state].update(
        {"provider": chosen.key, "next": next_url, "invitation": invitation_id}
    )
    request.session.modified = True
    return redirect(f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}")


@never_cache
@require_GET
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    """The provider's answer: check the state, trade the code for tokens, check them, find the
    account and log in (with the second factor done when the login was multi-factor)."""
    chosen = _provider(provider)
    states = request.session.get(session.STATES_KEY)
    state = request.GET.get("state", "")
    entry = states.pop(state, None) if isinstance(states, dict) and state else None
    if entry is not None:
        request.session.modified = True  # a state is used once: a replayed answer finds nothing
    error = request.GET.get("error", "")
    if error:
        kind = "cancelled" if error in CANCELLED else "provider_error"
        return _failure(request, chosen, kind, error[:40])
    if not isinstance(entry, dict) or entry.get("provider") != chosen.key:
        return _failure(request, chosen, "state", "unknown state" if state else "no state")
    max_age = int(getattr(settings, "IDENTITY_LOGIN_MAX_SECONDS", 600))
    if time.time() - float(entry.get("added_on") or 0) > max_age:
        return _failure(request, chosen, "state", "expired")
    issuer = request.GET.get("iss")
    if issuer is not None and issuer != chosen.issuer:
        return _failure(request, chosen, "token", "iss of the answer")  # RFC 9207: a mix-up of providers
    code = request.GET.get("code", "")
    if not code:
        return _failure(request, chosen, "provider_error", "no code")
    try:
        login = ProviderBackend(chosen).login_with_code(
            code=code,
            redirect_uri=_redirect_uri(request, chosen),
            nonce=str(entry.get("nonce") or ""),
            code_verifier=str(entry.get("code_verifier") or ""),
        )
    except ProviderUnavailable as exc:
        return _failure(request, chosen, "unavailable", str(exc)[:40])
    except TokenExchangeFailed as exc:
        return _failure(request, chosen, "token", str(exc)[:60])
    except TokenRejected as exc:
        return _failure(request, chosen, "token", exc.reason)
    try:
        outcome = services.login_resolve(provider=chosen, login=login, invitation_id=entry.get("invitation"))
    except services.LoginRefused as exc:
        return _failure(request, chosen, exc.code if exc.code in FAILURES else "provider_error", exc.code)
    if isinstance(outcome, services.Pending):
        logger.info("identity: a first login with %s waits for an administrator", chosen.key)
        request.session[session.RESULT_KEY] = {"provider": chosen.key, "reason": "pending"}
        return redirect("identity:result", provider=chosen.key)
    user, link = outcome.user, outcome.link
    auth.login(request, user, backend=BACKEND)
    if login.assurance.multi_factor:
        otp_login(request, link)  # the provider's multi-factor login stands for the one-time code
    record = services.login_session_start(link=link, session_key=request.session.session_key or "", login=login)
    session.store_login(
        request, provider_key=chosen.key, assurance=login.assurance, id_token=login.id_token, record=record.pk
    )
    logger.info(
        "identity: login with %s (multi-factor %s, strong %s)",
        chosen.key,
        login.assurance.multi_factor,
        login.assurance.strong,
    )
    target = str(entry.get("next") or "") or selectors.landing_for(user=user, assurance=login.assurance)
    response = redirect(target)
    if user.preferred_language and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        language_cookie_set(response, user.preferred_language)  # a language chosen here wins
    return response


@never_cache
@require_GET
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail: kept in the session, then the page without the secret in its address."""
    invitation = selectors.invitation_usable(token=token)
    if invitation is None:
        logger.info("identity: an invitation link that does not work (used, expired or unknown) was opened")
        return TemplateResponse(request, "identity/invitation_invalid.html", status=410)
    request.session[session.INVITATION_KEY] = invitation.pk
    return redirect("identity:invitation")


@never_cache
@require_GET
def invitation(request: HttpRequest) -> HttpResponse:
    invitation = selectors.invitation_usable(pk=request.session.get(session.INVITATION_KEY))
    chosen = provider_get(invitation.provider) if invitation is not None else None
    if invitation is None or chosen is None:
        logger.info("identity: the invitation page without an invitation that works")
        request.session.pop(session.INVITATION_KEY, None)
        return TemplateResponse(request, "identity/invitation_invalid.html", status=410)
    context = {
        "provider_label": chosen.label(),
        "start_url": reverse("identity:start", kwargs={"provider": chosen.key}),
        "expires_at": invitation.expires_at,
    }
    return TemplateResponse(request, "identity/invitation.html", context)


@csrf_exempt  # the provider posts here, server to server; the signed logout token is the proof
@never_cache
@require_POST
def backchannel_logout(request: HttpRequest, provider: str) -> HttpResponse:
    """OpenID Connect Back-Channel Logout: the provider says a session there ended; ours ends too."""
    chosen = _provider(provider)
    token = request.POST.get("logout_token", "")
    try:
        if not token:
            raise TokenRejected("no_logout_token")
        claims = ProviderBackend(chosen).verify_logout_token(token)
    except (TokenRejected, ProviderUnavailable) as exc:
        reason = exc.reason if isinstance(exc, TokenRejected) else "provider unavailable"
        logger.warning("identity: back-channel logout from %s refused: %s", chosen.key, reason)
        return JsonResponse({"error": "invalid_request"}, status=400)
    ended = services.sessions_end_from_provider(
        provider=chosen, subject=str(claims.get("sub") or ""), sid=str(claims.get("sid") or "")
    )
    logger.info("identity: back-channel logout from %s ended %d session(s)", chosen.key, ended)
    return HttpResponse(status=200)
