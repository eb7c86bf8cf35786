"""When a provider login counts as the second factor (acr/amr), and how providers are read from
the environment. Property tests: more methods never lower the assurance; one kind of factor
alone is never multi-factor unless the provider says so."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from osallisuus.identity.assurance import INHERENCE, KNOWLEDGE, POSSESSION, assess
from osallisuus.identity.oidc import _matching_key
from osallisuus.identity.providers import DEFAULT_MFA_AMR, DEFAULT_STRONG_ACR, parse

STRONG = frozenset(DEFAULT_STRONG_ACR)
MFA = frozenset(DEFAULT_MFA_AMR)
METHODS = sorted(KNOWLEDGE | POSSESSION | INHERENCE | {"mfa", "user", "geo", "rba"})


def test_suomi_fi_levels__are_strong_and_multi_factor():
    for acr in ("http://ftn.ficora.fi/2017/loa3", "http://eidas.europa.eu/LoA/substantial"):
        level = assess(acr=acr, amr=None, strong_acr=STRONG, mfa_amr=MFA)
        assert level.strong
        assert level.multi_factor


def test_password_only__is_not_multi_factor():
    level = assess(acr="1", amr=["pwd"], strong_acr=STRONG, mfa_amr=MFA)
    assert not level.strong
    assert not level.multi_factor


@pytest.mark.parametrize("amr", [["pwd", "otp"], ["pin", "hwk"], ["fpt", "swk"], ["mfa"], "mfa"])
def test_two_kinds_of_factor_or_mfa__is_multi_factor(amr):
    assert assess(acr="", amr=amr, strong_acr=STRONG, mfa_amr=MFA).multi_factor


@pytest.mark.parametrize("amr", [["otp"], ["otp", "sms", "hwk"], ["pwd", "pin", "kba"], [{"x": 1}], 42])
def test_one_kind_of_factor_or_nonsense__is_not_multi_factor(amr):
    assert not assess(acr="", amr=amr, strong_acr=STRONG, mfa_amr=MFA).multi_factor


@given(
    st.lists(st.sampled_from(METHODS), max_size=6),
    st.lists(st.sampled_from(METHODS), max_size=3),
    st.sampled_from(["", "1", *DEFAULT_STRONG_ACR]),
)
def test_more_methods__never_lower_the_assurance(amr, more, acr):
    before = assess(acr=acr, amr=amr, strong_acr=STRONG, mfa_amr=MFA)
    after = assess(acr=acr, amr=amr + more, strong_acr=STRONG, mfa_amr=MFA)
    assert after.multi_factor >= before.multi_factor
    assert after.strong == before.strong


@given(
    st.sampled_from([KNOWLEDGE, POSSESSION, INHERENCE]).flatmap(lambda kind: st.lists(st.sampled_from(sorted(kind))))
)
def test_one_kind_of_factor__is_never_multi_factor(amr):
    assert not assess(acr="urn:x", amr=amr, strong_acr=STRONG, mfa_amr=MFA).multi_factor


def test_a_provider_can_name_its_own_values():
    level = assess(acr="substantial", amr=["suomi_fi"], strong_acr=frozenset({"substantial"}), mfa_amr=MFA)
    assert level.strong
    level = assess(acr="", amr=["suomi_fi"], strong_acr=STRONG, mfa_amr=frozenset({"suomi_fi"}))
    assert level.multi_factor
    assert not level.strong
    level = assess(acr="2", amr=None, strong_acr=STRONG, mfa_amr=MFA, mfa_acr=frozenset({"2"}))
    assert level.multi_factor
    assert not level.strong


# -- providers from the environment --------------------------------------------------------------
BASE = {"issuer": "https://login.example.fi/realms/staff", "client_id": "osallisuus", "client_secret": "s"}


def test_provider_settings__defaults():
    provider = parse("county", {**BASE, "label_fi": "Hyvinvointialueen tunnus", "organisations": "A, 1234567-8"})
    assert provider.label("fi") == "Hyvinvointialueen tunnus"
    assert provider.label("sv") == "Hyvinvointialueen tunnus"  # falls back to Finnish
    assert provider.organisations == ("A", "1234567-8")
    assert provider.scopes == "openid profile email"
    assert provider.token_auth == "client_secret_basic"
    assert provider.algorithms == ("RS256",)
    assert parse("county", BASE).serves_everyone


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("county", {**BASE, "issuer": "http://login.example.fi"}, "https"),
        ("county", {**BASE, "client_secret": ""}, "OIDC_COUNTY_CLIENT_SECRET"),
        ("invitation", BASE, "usable"),
        ("County X", BASE, "usable"),
        ("county", {**BASE, "signing_algorithms": "HS256"}, "not supported"),
        ("county", {**BASE, "token_auth": "none"}, "TOKEN_AUTH"),
    ],
)
def test_provider_settings__mistakes_are_named(key, raw, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse(key, raw)


def test_provider_settings__http_only_on_this_machine():
    assert parse("local", {**BASE, "issuer": "http://127.0.0.1:8080/o"}).issuer == "http://127.0.0.1:8080/o"


def test_signing_key__is_found_by_kid_alg_and_use():
    keys = [
        {"kid": "a", "kty": "RSA", "alg": "RS256", "use": "sig"},
        {"kid": "b", "kty": "RSA", "use": "enc"},
        {"kid": "c", "kty": "EC", "alg": "ES256"},
    ]
    assert _matching_key(keys, {"alg": "RS256", "kid": "a"})["kid"] == "a"
    assert _matching_key(keys, {"alg": "RS256", "kid": "b"}) is None  # an encryption key
    assert _matching_key(keys, {"alg": "RS256", "kid": "c"}) is None  # another kind of key
    assert _matching_key(keys, {"alg": "ES256"})["kid"] == "c"  # no kid: the only one that fits
    assert _matching_key(keys, {"alg": "RS256", "kid": "z"}) is None
