"""The claims of the test provider's ID tokens, and the misbehaviours the tests ask for."""

from __future__ import annotations

import time
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings

from .models import Profile, Quirk

# How a person logged in → the acr and amr the provider puts in the ID token.
METHODS: dict[str, dict[str, Any]] = {
    "pwd": {"acr": "urn:test:password", "amr": ["pwd"]},  # a password only
    "mfa": {"acr": "urn:test:two-factor", "amr": ["pwd", "otp"]},  # a password and a one-time code
    "strong": {"acr": "http://ftn.ficora.fi/2017/loa3"},  # strong identification (like Suomi.fi, high)
}


def quirks() -> dict[str, Any]:
    return dict(Quirk.objects.values_list("name", "value"))


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "acr": "openid",
        "amr": "openid",
        "sid": "openid",
        "national_id_number": "profile",
        "health_note": "profile",
    }

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        profile, _created = Profile.objects.get_or_create(user=user)
        claims: dict[str, Any] = {
            "name": f"{user.first_name} {user.last_name}".strip(),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "email": user.email,
            "email_verified": True,
            "sid": profile.sid,
            **METHODS.get(profile.method, METHODS["pwd"]),
        }
        if profile.method == "strong" and profile.national_id_number:
            # What a Suomi.fi broker passes on; the service must not keep either.
            claims["national_id_number"] = profile.national_id_number
            claims["health_note"] = "special-category data the service must never keep"
        return claims

    def get_id_token_dictionary(self, token: Any, token_handler: Any, request: Any) -> tuple[dict[str, Any], Any]:
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        q = quirks()
        if "id_token_audience" in q:
            claims["aud"] = q["id_token_audience"]
        if "id_token_issuer" in q:
            claims["iss"] = q["id_token_issuer"]
        if "id_token_nonce" in q:
            claims["nonce"] = q["id_token_nonce"]
        if "id_token_lifetime" in q:
            claims["exp"] = int(time.time()) + int(q["id_token_lifetime"])
        if "id_token_amr" in q:
            claims["amr"] = q["id_token_amr"]
        return claims, expiration

    def finalize_id_token(self, id_token: Any, token: Any, token_handler: Any, request: Any) -> str:
        unpublished = quirks().get("sign_with_unpublished_key")
        if not unpublished:
            return super().finalize_id_token(id_token, token, token_handler, request)
        # Sign with a key the provider does not publish in its JWKS (a forged token).
        published = oauth2_settings.OIDC_RSA_PRIVATE_KEY
        oauth2_settings.OIDC_RSA_PRIVATE_KEY = unpublished
        try:
            return super().finalize_id_token(id_token, token, token_handler, request)
        finally:
            oauth2_settings.OIDC_RSA_PRIVATE_KEY = published
