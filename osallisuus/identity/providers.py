"""The identity providers this service trusts, configured from the environment.

``OIDC_PROVIDERS=county,suomifi`` names them; each has its own ``OIDC_<KEY>_*`` variables
(``config/settings.py`` collects them into ``settings.IDENTITY_PROVIDERS``; docs/identity.md
lists them all). The endpoints come from the provider's discovery document
(``<issuer>/.well-known/openid-configuration``), cached, unless set one by one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

logger = logging.getLogger("osallisuus.identity")

# Suomi.fi e-Identification's levels of assurance (the Finnish Trust Network and eIDAS): a login
# at one of these is strong electronic identification (act 617/2009), which is multi-factor.
DEFAULT_STRONG_ACR = (
    "http://ftn.ficora.fi/2017/loa2",
    "http://ftn.ficora.fi/2017/loa3",
    "http://eidas.europa.eu/LoA/substantial",
    "http://eidas.europa.eu/LoA/high",
)
DEFAULT_MFA_AMR = ("mfa",)
SUPPORTED_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")
TOKEN_AUTH_METHODS = ("client_secret_basic", "client_secret_post")
RESERVED_KEYS = {"invitation"}
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
DISCOVERY_CACHE_SECONDS = 3600
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint")


class ProviderUnavailable(Exception):
    """The provider did not answer, or answered something that is not OpenID Connect."""


@dataclass(frozen=True)
class Provider:
    key: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    labels: dict[str, str] = field(default_factory=dict)
    organisations: tuple[str, ...] = ()
    """Names or business IDs of the organisations whose members log in here; () = every organisation."""
    scopes: str = "openid profile email"
    name_claim: str = "name"
    email_claim: str = "email"
    strong_acr: frozenset[str] = frozenset(DEFAULT_STRONG_ACR)
    mfa_amr: frozenset[str] = frozenset(DEFAULT_MFA_AMR)
    mfa_acr: frozenset[str] = frozenset()
    acr_values: str = ""
    prompt: str = ""
    token_auth: str = "client_secret_basic"  # noqa: S105 - the name of a method, not a secret
    algorithms: tuple[str, ...] = ("RS256",)
    endpoints: dict[str, str] = field(default_factory=dict)
    """Endpoints set one by one (``OIDC_<KEY>_TOKEN_ENDPOINT``...); the rest come from discovery."""
    use_userinfo: bool = True
    jwks_cache_seconds: int = 3600
    leeway_seconds: int = 60

    def label(self, language: str | None = None) -> str:
        lang = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        return self.labels.get(lang) or self.labels.get("") or self.labels.get("fi") or self.key

    @property
    def serves_everyone(self) -> bool:
        return not self.organisations


@dataclass(frozen=True)
class Metadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str = ""
    end_session_endpoint: str = ""


def _words(value: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    items = tuple(v.strip() for v in re.split(r"[,\s]+", value or "") if v.strip())
    return items or default


def _bool(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _https_or_loopback(url: str, variable: str) -> None:
    parts = urlsplit(url)
    loopback = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise ImproperlyConfigured(f"{variable} must be an https:// address (http only on this machine): {url!r}")


def parse(key: str, raw: dict[str, str]) -> Provider:
    """One provider from its ``OIDC_<KEY>_*`` values (keys lower-case, without the prefix)."""
    prefix = f"OIDC_{key.upper().replace('-', '_')}_"
    if not KEY_PATTERN.match(key) or key in RESERVED_KEYS:
        raise ImproperlyConfigured(f"OIDC_PROVIDERS: {key!r} is not a usable name (a-z, 0-9 and -; not 'invitation').")
    for required in ("issuer", "client_id", "client_secret"):
        if not raw.get(required, "").strip():
            raise ImproperlyConfigured(f"{prefix}{required.upper()} is missing.")
    issuer = raw["issuer"].strip()
    _https_or_loopback(issuer, f"{prefix}ISSUER")
    labels = {"": raw.get("label", "").strip()}
    for lang, _name in settings.LANGUAGES:
        if raw.get(f"label_{lang}", "").strip():
            labels[lang] = raw[f"label_{lang}"].strip()
    organisations = tuple(o.strip() for o in raw.get("organisations", "*").split(",") if o.strip())
    token_auth = raw.get("token_auth", "client_secret_basic").strip() or "client_secret_basic"
    if token_auth not in TOKEN_AUTH_METHODS:
        raise ImproperlyConfigured(f"{prefix}TOKEN_AUTH must be one of {', '.join(TOKEN_AUTH_METHODS)}.")
    algorithms = _words(raw.get("signing_algorithms", ""), ("RS256",))
    unsupported = [a for a in algorithms if a not in SUPPORTED_ALGORITHMS]
    if unsupported:
        raise ImproperlyConfigured(f"{prefix}SIGNING_ALGORITHMS: {', '.join(unsupported)} not supported.")
    endpoints = {}
    for name in ENDPOINTS:
        value = raw.get(name, "").strip()
        if value:
            _https_or_loopback(value, f"{prefix}{name.upper()}")
            endpoints[name] = value
    scopes = " ".join(_words(raw.get("scopes", ""), ("openid", "profile", "email")))
    if "openid" not in scopes.split():
        scopes = f"openid {scopes}"
    return Provider(
        key=key,
        issuer=issuer,
        client_id=raw["client_id"].strip(),
        client_secret=raw["client_secret"],
        labels=labels,
        organisations=() if organisations in ((), ("*",)) else organisations,
        scopes=scopes,
        name_claim=raw.get("claim_name", "name").strip(),
        email_claim=raw.get("claim_email", "email").strip(),
        strong_acr=frozenset(_words(raw.get("strong_acr", ""), DEFAULT_STRONG_ACR)),
        mfa_amr=frozenset(_words(raw.get("mfa_amr", ""), DEFAULT_MFA_AMR)),
        mfa_acr=frozenset(_words(raw.get("mfa_acr", ""))),
        acr_values=" ".join(_words(raw.get("acr_values", ""))),
        prompt=raw.get("prompt", "").strip(),
        token_auth=token_auth,
        algorithms=algorithms,
        endpoints=endpoints,
        use_userinfo=_bool(raw.get("userinfo"), True),
        jwks_cache_seconds=max(60, int(raw.get("jwks_cache_seconds", "3600") or 3600)),
        leeway_seconds=max(0, min(300, int(raw.get("clock_leeway_seconds", "60") or 60))),
    )


def _configured() -> dict[str, dict[str, str]]:
    return getattr(settings, "IDENTITY_PROVIDERS", {}) or {}


def _usable(key: str, raw: dict[str, str]) -> Provider | None:
    try:
        return parse(key, raw)
    except ImproperlyConfigured as exc:
        # manage.py check reports it (identity.E001); the login page and the password login go on.
        logger.error("identity: provider %s is not in use: %s", key, exc)
        return None


def providers() -> dict[str, Provider]:
    """Every provider configured so that it can work, in the order of ``OIDC_PROVIDERS``."""
    usable = {key: _usable(key, raw) for key, raw in _configured().items()}
    return {key: provider for key, provider in usable.items() if provider is not None}


def provider_get(key: str) -> Provider | None:
    raw = _configured().get(key)
    return _usable(key, raw) if raw is not None else None


def configuration_errors() -> list[str]:
    """What is wrong in the providers' settings, one line each."""
    errors = []
    for key, raw in _configured().items():
        try:
            parse(key, raw)
        except ImproperlyConfigured as exc:
            errors.append(str(exc))
    return errors


def timeout() -> float:
    return float(getattr(settings, "IDENTITY_HTTP_TIMEOUT_SECONDS", 10))


def metadata(provider: Provider) -> Metadata:
    """The provider's endpoints: those set in the environment, the rest from its discovery
    document (kept for an hour; its ``issuer`` must be exactly the configured one)."""
    given = provider.endpoints
    if all(given.get(name) for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")):
        return Metadata(issuer=provider.issuer, **{k: given.get(k, "") for k in ENDPOINTS})
    cache_key = f"identity:discovery:{provider.issuer}"
    document: dict[str, Any] | None = cache.get(cache_key)
    if document is None:
        url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=timeout())
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            logger.warning("identity: discovery of %s failed: %s", provider.key, type(exc).__name__)
            raise ProviderUnavailable(provider.key) from exc
        if not isinstance(document, dict) or document.get("issuer") != provider.issuer:
            logger.warning("identity: discovery of %s names another issuer", provider.key)
            raise ProviderUnavailable(provider.key)
        cache.set(cache_key, document, DISCOVERY_CACHE_SECONDS)
    values = {name: str(given.get(name) or document.get(name) or "") for name in ENDPOINTS}
    if not all(values[name] for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")):
        logger.warning("identity: discovery of %s lacks an endpoint", provider.key)
        raise ProviderUnavailable(provider.key)
    return Metadata(issuer=provider.issuer, **values)
