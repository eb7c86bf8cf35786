"""What a provider login keeps in the person's session, and the hooks accounts calls with the
request: the provider buttons on the login page, and the logout that also ends the session at
the provider (RP-initiated logout)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

from osallisuus.accounts.services import LoginSection

from . import services
from .assurance import Assurance
from .providers import ProviderUnavailable, metadata, provider_get, providers

logger = logging.getLogger("osallisuus.identity")

SESSION_KEY = "identity"
"""The provider and the level of assurance of this session's login (``acr``, ``amr``...)."""
ID_TOKEN_KEY = "identity_id_token"  # noqa: S105 - a session key name
"""The ID token, kept only to name the session when logging out at the provider (id_token_hint)."""
INVITATION_KEY = "identity_invitation"
RESULT_KEY = "identity_result"
"""Why the last login did not end in a session (its page reads it), or that it waits."""
STATES_KEY = "oidc_states"
"""mozilla-django-oidc's store of state → nonce and PKCE verifier (we add the provider and more)."""


def store_login(request: HttpRequest, *, provider_key: str, assurance: Assurance, id_token: str, record: int) -> None:
    request.session[SESSION_KEY] = {"provider": provider_key, "record": record, **assurance.as_session()}
    request.session[ID_TOKEN_KEY] = id_token
    request.session.pop(INVITATION_KEY, None)
    request.session.pop(RESULT_KEY, None)


def assurance_of(request: HttpRequest) -> dict[str, Any] | None:
    """The level of assurance of the current session's provider login, or None (a password login)."""
    value = request.session.get(SESSION_KEY)
    return value if isinstance(value, dict) else None


def safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=False):
        return value
    return ""


def login_sections(request: HttpRequest) -> list[LoginSection]:
    """The login page's buttons, one per provider (none configured: nothing is shown)."""
    configured = providers()
    if not configured:
        return []
    next_url = safe_next(request, request.GET.get("next"))
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    language = get_language()
    buttons = [
        {"label": p.label(language), "url": reverse("identity:start", kwargs={"provider": p.key}) + query}
        for p in configured.values()
    ]
    return [
        LoginSection(
            template="identity/login_options.html", context={"buttons": buttons}, stylesheet="identity/identity.css"
        )
    ]


def on_logout(request: HttpRequest) -> str | None:
    """Before the session ends: mark its record ended, and give the provider's end-session
    address so the browser logs out there too (None: a password login, or no such endpoint)."""
    login = assurance_of(request)
    if login is None:
        return None
    if request.session.session_key:
        services.login_session_end(session_key=request.session.session_key)
    provider = provider_get(str(login.get("provider", "")))
    if provider is None:
        return None
    try:
        endpoint = metadata(provider).end_session_endpoint
    except ProviderUnavailable:
        logger.warning("identity: logout at %s skipped, the provider did not answer", provider.key)
        return None
    if not endpoint:
        return None
    params = {
        "client_id": provider.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login")),
        "ui_locales": get_language() or "fi",
    }
    id_token = request.session.get(ID_TOKEN_KEY)
    if isinstance(id_token, str) and id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"
