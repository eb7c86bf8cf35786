"""The OpenID Connect relying party, on mozilla-django-oidc.

mozilla-django-oidc gives the token request (with the PKCE verifier), the userinfo request,
the state/nonce/PKCE values kept in the session and the nonce check. It reads one provider
from Django's settings and leaves the audience and the issuer unchecked, so
``ProviderBackend`` extends it:

* every value comes from one ``Provider`` (several providers, from the environment);
* the ID token's signature, issuer, audience (and ``azp``), expiry and issue time are checked
  (``_verify_jws``), with the provider's algorithms only;
* keys come from the provider's JWKS, kept in the cache and fetched again when a token names a
  key the cache does not know (the provider rotated its keys), at most once a minute
  (``retrieve_matching_jwk``);
* back-channel logout tokens are verified the same way (``verify_logout_token``).

Errors become ``TokenRejected(reason)``: the reason is a short code for the log, never the token.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .assurance import Assurance, assess
from .providers import Metadata, Provider, ProviderUnavailable, metadata, timeout

logger = logging.getLogger("osallisuus.identity")

BACKEND = "osallisuus.identity.oidc.ProviderBackend"
BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LOGOUT_TOKEN_MAX_AGE_SECONDS = 300
JWKS_REFETCH_SECONDS = 60
_MISSING = object()
JWT_REASONS = (
    (jwt.ExpiredSignatureError, "expired"),
    (jwt.InvalidAudienceError, "audience"),
    (jwt.InvalidIssuerError, "issuer"),
    (jwt.ImmatureSignatureError, "not_yet_valid"),
    (jwt.MissingRequiredClaimError, "claims"),
    (jwt.InvalidSignatureError, "signature"),
)
"""pyjwt's refusals → the reason in the log."""


class TokenRejected(Exception):
    """A token (or the answer carrying it) that is not accepted; ``reason`` is for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TokenExchangeFailed(Exception):
    """The provider refused to give tokens for the code (e.g. a wrong PKCE verifier)."""


@dataclass(frozen=True)
class VerifiedLogin:
    """What a login at a provider tells us, after every check. Only these claims are kept."""

    provider_key: str
    issuer: str
    subject: str
    sid: str = ""
    name: str = ""
    email: str = ""
    email_verified: bool = False
    assurance: Assurance = field(default_factory=Assurance)
    id_token: str = field(default="", repr=False)


class ProviderBackend(OIDCAuthenticationBackend):
    """An authentication backend for one provider (``ProviderBackend(provider)``).

    Django also builds it without arguments to load a logged-in person (``get_user``) and to
    ask about permissions; ``authenticate`` answers only this app's callback, never a password.
    """

    def __init__(self, provider: Provider | None = None, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()
        self.provider = provider
        if provider is None:
            return
        self.meta: Metadata = metadata(provider)
        self._purpose = "id_token"
        super().__init__(*args, **kwargs)  # reads the provider's values through get_settings

    # -- the library's settings, from one provider ----------------------------------------------
    def get_settings(self, attr: str, *args: Any) -> Any:
        if self.provider is None:
            raise ImproperlyConfigured(attr)
        provider, meta = self.provider, self.meta
        values: dict[str, Any] = {
            "OIDC_OP_TOKEN_ENDPOINT": meta.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": meta.userinfo_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": meta.jwks_uri,
            "OIDC_RP_CLIENT_ID": provider.client_id,
            "OIDC_RP_CLIENT_SECRET": provider.client_secret,
            "OIDC_RP_SIGN_ALGO": provider.algorithms[0],
            "OIDC_RP_IDP_SIGN_KEY": None,
            "OIDC_RP_SCOPES": provider.scopes,
            "OIDC_TOKEN_USE_BASIC_AUTH": provider.token_auth == "client_secret_basic",  # noqa: S105 - a method
            "OIDC_USE_NONCE": True,
            "OIDC_ALLOW_UNSECURED_JWT": False,
            "OIDC_VERIFY_SSL": True,
            "OIDC_VERIFY_KID": True,
            "OIDC_TIMEOUT": timeout(),
            "OIDC_PROXY": None,
            "OIDC_STORE_ACCESS_TOKEN": False,
            "OIDC_STORE_ID_TOKEN": False,
        }
        value = values.get(attr, _MISSING)
        if value is _MISSING:
            if args:
                return args[0]
            raise ImproperlyConfigured(attr)
        return value

    # -- Django's backend interface --------------------------------------------------------------
    def authenticate(self, request: Any, **kwargs: Any) -> None:
        """Never from ``django.contrib.auth.authenticate``: the callback view calls
        ``login_with_code`` and logs the person in itself."""

    def get_user(self, user_id: Any) -> Any:
        # Django's own check: a deactivated account is logged out on its next request.
        return ModelBackend.get_user(self, user_id)

    # -- the login -------------------------------------------------------------------------------
    def login_with_code(self, *, code: str, redirect_uri: str, nonce: str, code_verifier: str) -> VerifiedLogin:
        """Trade the authorization code for tokens (with the PKCE verifier) and check them."""
        assert self.provider is not None
        payload = {
            "client_id": self.provider.client_id,
            "client_secret": self.provider.client_secret,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        try:
            tokens = self.get_token(payload)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            raise TokenExchangeFailed(f"token endpoint answered {status}") from None
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(type(exc).__name__) from None
        id_token = tokens.get("id_token") if isinstance(tokens, dict) else None
        if not isinstance(id_token, str) or not id_token:
            raise TokenRejected("no_id_token")
        self._purpose = "id_token"
        try:
            claims = self.verify_token(id_token, nonce=nonce)
        except SuspiciousOperation:
            raise TokenRejected("nonce") from None  # the only check the library itself makes here
        userinfo = self._userinfo(str(tokens.get("access_token") or ""), claims)
        return self._login_from(claims, userinfo, id_token)

    def _userinfo(self, access_token: str, claims: dict[str, Any]) -> dict[str, Any]:
        assert self.provider is not None
        if not (self.provider.use_userinfo and self.meta.userinfo_endpoint and access_token):
            return {}
        try:
            info = self.get_userinfo(access_token, None, claims)
        except (requests.RequestException, ValueError):
            logger.warning("identity: userinfo of %s did not answer; the ID token's claims are used", self.provider.key)
            return {}
        if not isinstance(info, dict):
            return {}
        if info.get("sub") != claims.get("sub"):
            # OpenID Connect Core 5.3.2: the userinfo answer is about the same person or ignored.
            raise TokenRejected("userinfo_subject")
        return info

    def _login_from(self, claims: dict[str, Any], userinfo: dict[str, Any], id_token: str) -> VerifiedLogin:
        assert self.provider is not None
        provider = self.provider

        def claim(name: str) -> Any:
            if not name:
                return None
            value = userinfo.get(name)
            return claims.get(name) if value in (None, "") else value

        name = claim(provider.name_claim)
        if not isinstance(name, str) or not name.strip():
            given, family = claim("given_name"), claim("family_name")
            name = " ".join(v.strip() for v in (given, family) if isinstance(v, str) and v.strip())
        email = claim(provider.email_claim) if provider.email_claim else None
        verified = claim("email_verified") if provider.email_claim else None
        return VerifiedLogin(
            provider_key=provider.key,
            issuer=provider.issuer,
            subject=str(claims["sub"])[:255],
            sid=str(claims.get("sid") or "")[:255],
            name=name.strip()[:200] if isinstance(name, str) else "",
            email=email.strip()[:254] if isinstance(email, str) else "",
            email_verified=verified is True or verified == "true",
            # acr and amr are read from the signed ID token only, never from userinfo.
            assurance=assess(
                acr=claims.get("acr"),
                amr=claims.get("amr"),
                strong_acr=provider.strong_acr,
                mfa_amr=provider.mfa_amr,
                mfa_acr=provider.mfa_acr,
            ),
            id_token=id_token,
        )

    # -- back-channel logout ---------------------------------------------------------------------
    def verify_logout_token(self, token: str) -> dict[str, Any]:
        """A logout token (OpenID Connect Back-Channel Logout 1.0, 2.6): signed by the provider's
        key, for us, recent, with the logout event, a ``sub`` or ``sid``, no nonce, used once."""
        assert self.provider is not None
        self._purpose = "logout_token"
        try:
            claims = self.verify_token(token)
        except SuspiciousOperation:
            raise TokenRejected("nonce") from None
        events = claims.get("events")
        if not isinstance(events, dict) or not isinstance(events.get(BACKCHANNEL_LOGOUT_EVENT), dict):
            raise TokenRejected("logout_event")
        if "nonce" in claims:
            raise TokenRejected("logout_nonce")
        if not (isinstance(claims.get("sub"), str) and claims["sub"]) and not (
            isinstance(claims.get("sid"), str) and claims["sid"]
        ):
            raise TokenRejected("logout_subject")
        if float(claims["iat"]) < time.time() - LOGOUT_TOKEN_MAX_AGE_SECONDS - self.provider.leeway_seconds:
            raise TokenRejected("logout_stale")
        jti = str(claims.get("jti") or "")
        lifetime = LOGOUT_TOKEN_MAX_AGE_SECONDS + 2 * self.provider.leeway_seconds
        if not jti or not cache.add(f"identity:logout-jti:{self.provider.issuer}:{jti}"[:250], 1, lifetime):
            raise TokenRejected("logout_replayed")
        return claims

    # -- checks the library leaves out -----------------------------------------------------------
    def _verify_jws(self, payload: Any, key: Any) -> dict[str, Any]:
        assert self.provider is not None
        provider = self.provider
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.InvalidTokenError:
            raise TokenRejected("malformed") from None
        alg = header.get("alg")
        if alg not in provider.algorithms:
            raise TokenRejected("algorithm")
        required = ["iss", "aud", "exp", "iat", "sub"] if self._purpose == "id_token" else ["iss", "aud", "iat", "jti"]
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=provider.client_id,
                issuer=provider.issuer,
                leeway=provider.leeway_seconds,
                options={"require": required},
            )
        except jwt.InvalidTokenError as exc:
            reason = next((r for kind, r in JWT_REASONS if isinstance(exc, kind)), "malformed")
            raise TokenRejected(reason) from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        azp = claims.get("azp")
        if (len(audiences) > 1 or azp is not None) and azp != provider.client_id:
            # OpenID Connect Core 3.1.3.7: a token for several parties names us as the one it is for.
            raise TokenRejected("audience")
        if self._purpose == "id_token" and not (isinstance(claims["sub"], str) and claims["sub"]):
            raise TokenRejected("claims")
        return claims

    def retrieve_matching_jwk(self, token: Any) -> Any:
        assert self.provider is not None
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise TokenRejected("malformed") from None
        cache_key = f"identity:jwks:{self.provider.issuer}"
        keys = cache.get(cache_key)
        fetched = False
        if keys is None:
            keys, fetched = self._jwks_fetch(cache_key), True
        key = _matching_key(keys, header)
        if key is None and not fetched and cache.add(f"{cache_key}:refetch", 1, JWKS_REFETCH_SECONDS):
            # A key we do not know: the provider may have rotated its keys since we fetched them.
            keys = self._jwks_fetch(cache_key)
            key = _matching_key(keys, header)
        if key is None:
            raise TokenRejected("unknown_key")
        try:
            return jwt.PyJWK(key)
        except jwt.PyJWKError:
            raise TokenRejected("unknown_key") from None

    def _jwks_fetch(self, cache_key: str) -> list[dict[str, Any]]:
        assert self.provider is not None
        try:
            response = requests.get(self.meta.jwks_uri, timeout=timeout())
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(type(exc).__name__) from None
        keys = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(keys, list):
            raise ProviderUnavailable("jwks")
        keys = [k for k in keys if isinstance(k, dict)]
        cache.set(cache_key, keys, self.provider.jwks_cache_seconds)
        return keys


def _matching_key(keys: list[dict[str, Any]], header: dict[str, Any]) -> dict[str, Any] | None:
    """The signing key the token's header names (its ``kid``; with no ``kid``, the only one)."""
    alg, kid = header.get("alg"), header.get("kid")
    family = {"RS": "RSA", "ES": "EC"}.get(str(alg)[:2])
    usable = [
        k
        for k in keys
        if k.get("use", "sig") == "sig" and k.get("alg", alg) == alg and (family is None or k.get("kty") == family)
    ]
    if kid is not None:
        return next((k for k in usable if k.get("kid") == kid), None)
    return usable[0] if len(usable) == 1 else None
