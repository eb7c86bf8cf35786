"""The test provider's own pages: its login (with the method: password, two factors or strong
identification), its logout (which tells relying parties by back-channel logout), and a
control interface for the tests, behind a secret bearer token."""

from __future__ import annotations

import hmac
import json
import os
import secrets
import time
import uuid
from typing import Any

import requests
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from jwcrypto import jwk, jwt
from oauth2_provider.models import Application, IDToken
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.utils import jwk_from_pem
from oauth2_provider.views import RPInitiatedLogoutView

from .models import Profile, Quirk, RelyingParty
from .validators import METHODS

BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    error = ""
    if request.method == "POST":
        user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
        if user is not None:
            login(request, user)
            profile, _created = Profile.objects.get_or_create(user=user)
            profile.method = request.POST.get("method") if request.POST.get("method") in METHODS else "pwd"
            profile.sid = secrets.token_urlsafe(16)
            profile.save()
            return redirect(next_url)
        error = "Wrong username or password."
    return render(request, "idp/login.html", {"next": next_url, "error": error, "methods": list(METHODS)})


def logout_view(request: HttpRequest) -> HttpResponse:
    """Logging out at the provider ends the person's sessions at every relying party too."""
    if request.method == "POST" and request.user.is_authenticated:
        notify_logout(request.user)
        logout(request)
        return render(request, "idp/logged_out.html")
    return render(request, "idp/logout.html")


class RPLogoutView(RPInitiatedLogoutView):
    """The toolkit's RP-initiated logout, which also sends back-channel logout tokens."""

    def do_logout(self, application=None, post_logout_redirect_uri=None, state=None, token_user=None):  # type: ignore[no-untyped-def]
        user = token_user or self.request.user
        if user is not None and user.is_authenticated:
            notify_logout(user)
        return super().do_logout(application, post_logout_redirect_uri, state, token_user)


def logout_token(user: Any, application: Application, **overrides: Any) -> str:
    key = jwk_from_pem(overrides.pop("_key", None) or oauth2_settings.OIDC_RSA_PRIVATE_KEY)
    profile, _created = Profile.objects.get_or_create(user=user)
    now = int(time.time())
    claims = {
        "iss": oauth2_settings.OIDC_ISS_ENDPOINT,
        "sub": str(user.pk),
        "aud": application.client_id,
        "iat": now,
        "exp": now + 120,
        "jti": str(uuid.uuid4()),
        "events": {BACKCHANNEL_LOGOUT_EVENT: {}},
        "sid": profile.sid,
    }
    for name, value in overrides.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    token = jwt.JWT(header={"typ": "logout+jwt", "alg": "RS256", "kid": key.thumbprint()}, claims=claims)
    token.make_signed_token(key)
    return str(token.serialize())


def notify_logout(user: Any) -> list[dict[str, Any]]:
    """POST a logout token to every relying party the person logged in to."""
    results = []
    for party in RelyingParty.objects.select_related("application").exclude(backchannel_logout_uri=""):
        if not IDToken.objects.filter(user=user, application=party.application).exists():
            continue
        try:
            response = requests.post(
                party.backchannel_logout_uri, data={"logout_token": logout_token(user, party.application)}, timeout=10
            )
            results.append({"client_id": party.application.client_id, "status": response.status_code})
        except requests.RequestException as exc:
            results.append({"client_id": party.application.client_id, "status": 0, "error": type(exc).__name__})
    return results


# -- control, for the tests ----------------------------------------------------------------------
@csrf_exempt
def control(request: HttpRequest, action: str) -> HttpResponse:
    secret = os.environ.get("IDP_CONTROL_SECRET", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not secret or not hmac.compare_digest(given, secret) or request.method != "POST":
        return JsonResponse({"error": "forbidden"}, status=403)
    data = json.loads(request.body or b"{}")
    handler = ACTIONS.get(action)
    if handler is None:
        return JsonResponse({"error": "unknown action"}, status=404)
    return JsonResponse(handler(data))


def _user(data: dict[str, Any]) -> dict[str, Any]:
    user, _created = get_user_model().objects.get_or_create(username=data["username"])
    user.first_name = data.get("first_name", "")
    user.last_name = data.get("last_name", "")
    user.email = data.get("email", "")
    user.set_password(data["password"])
    user.save()
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.national_id_number = data.get("national_id_number", "")
    profile.save()
    return {"sub": str(user.pk)}


def _client(data: dict[str, Any]) -> dict[str, Any]:
    application = Application.objects.filter(client_id=data["client_id"]).first() or Application(
        client_id=data["client_id"]
    )
    application.name = data.get("name", data["client_id"])
    application.client_type = Application.CLIENT_CONFIDENTIAL
    application.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    application.algorithm = Application.RS256_ALGORITHM
    application.skip_authorization = True
    application.client_secret = data["client_secret"]
    redirect_uris = set(application.redirect_uris.split()) | set(data.get("redirect_uris", []))
    logout_uris = set(application.post_logout_redirect_uris.split()) | set(data.get("post_logout_redirect_uris", []))
    application.redirect_uris = " ".join(sorted(redirect_uris))
    application.post_logout_redirect_uris = " ".join(sorted(logout_uris))
    application.save()
    party, _created = RelyingParty.objects.get_or_create(application=application)
    if "backchannel_logout_uri" in data:
        party.backchannel_logout_uri = data["backchannel_logout_uri"]
        party.save()
    return {"client_id": application.client_id}


def _quirks(data: dict[str, Any]) -> dict[str, Any]:
    Quirk.objects.all().delete()
    for name, value in data.items():
        Quirk.objects.create(name=name, value=value)
    return {"quirks": sorted(data)}


def _new_key() -> str:
    return jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None).decode()


def _rotate_key(data: dict[str, Any]) -> dict[str, Any]:
    """A new signing key; the old one stays published as inactive (a provider's key rotation)."""
    old = oauth2_settings.OIDC_RSA_PRIVATE_KEY
    oauth2_settings.OIDC_RSA_PRIVATE_KEY = _new_key()
    oauth2_settings.OIDC_RSA_PRIVATE_KEYS_INACTIVE = [old, *oauth2_settings.OIDC_RSA_PRIVATE_KEYS_INACTIVE][:2]
    return {"kid": jwk_from_pem(oauth2_settings.OIDC_RSA_PRIVATE_KEY).thumbprint()}


def _unpublished_key(data: dict[str, Any]) -> dict[str, Any]:
    return {"pem": _new_key()}


def _logout(data: dict[str, Any]) -> dict[str, Any]:
    """The person's session at the provider ends (e.g. the county ended it): relying parties are told."""
    user = get_user_model().objects.get(username=data["username"])
    results = notify_logout(user)
    Profile.objects.filter(user=user).update(sid="")
    for session in Session.objects.all():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
    return {"delivered": results}


def _logout_token(data: dict[str, Any]) -> dict[str, Any]:
    """A logout token for the tests to post themselves (with claims changed or left out: None)."""
    user = get_user_model().objects.get(username=data["username"])
    application = Application.objects.get(client_id=data["client_id"])
    return {"logout_token": logout_token(user, application, **data.get("claims", {}))}


ACTIONS = {
    "user": _user,
    "client": _client,
    "quirks": _quirks,
    "rotate-key": _rotate_key,
    "unpublished-key": _unpublished_key,
    "logout": _logout,
    "logout-token": _logout_token,
}
