"""The second factor (TOTP): who must give it, setting it up, wrong codes, throttling and
where the user is sent afterwards."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
import time_machine
from django.utils import timezone
from django.utils.translation import gettext, ngettext, override
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallisuus.accounts import services
from osallisuus.accounts.demo import PEOPLE
from osallisuus.accounts.models import Role
from osallisuus.core.demo import DEMO_PASSWORD
from osallisuus.core.models import ChangeEvent

SECOND_FACTOR_URL = "/account/second-factor/"
PERSONA_KEYS = [person.key for person in PEOPLE]


def _code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=offset_steps):06d}"


def _wrong_code(device: TOTPDevice) -> str:
    right = {_code(device, offset_steps=n) for n in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in right)


def _roles_need_second_factor(user) -> bool:
    return Role.objects.filter(memberships__user=user, requires_second_factor=True).exists()


def _new_staff_member_without_device():
    from osallisuus.accounts.models import Organisation

    user = services.user_create(email="uusi.koordinaattori@demo.osallisuus.fi", full_name="Uusi Koordinaattori")
    services.membership_grant(
        user=user, organisation=Organisation.objects.get(name__startswith="Kokemustoimijat"), roles=["coordinator"]
    )
    return user


# -- who must give a second factor -----------------------------------------------------


def test_second_factor_roles__personas__cover_both_kinds(db):
    # the parametrised test below means something only if both kinds of persona exist
    assert Role.objects.filter(requires_second_factor=True).exists()
    assert Role.objects.filter(requires_second_factor=False).exists()


@pytest.mark.parametrize("persona", PERSONA_KEYS)
def test_second_factor__persona_logged_in_with_password__is_sent_to_code_page_only_if_a_role_needs_it(
    client, personas, persona
):
    # given a persona who has just logged in with e-mail and password
    user = personas[persona]
    response = client.post("/account/login/", {"username": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    # when they open their own details page
    response = client.get("/account/?tab=1")
    # then exactly those whose roles require it are sent to give the code, and come back afterwards
    if _roles_need_second_factor(user):
        assert response.status_code == 302
        assert response["Location"] == f"{SECOND_FACTOR_URL}?next={quote('/account/?tab=1', safe='')}"
    else:
        assert response.status_code == 200


def test_second_factor__every_role_that_requires_it__is_enforced(client, personas):
    # given a fresh person for every role marked as needing a second factor (data on Role)
    from osallisuus.accounts.models import Organisation

    organisation = Organisation.objects.get(name__startswith="Kokemustoimijat")
    codes = list(Role.objects.filter(requires_second_factor=True).values_list("code", flat=True))
    assert codes
    for code in codes:
        user = services.user_create(email=f"{code}.testi@demo.osallisuus.fi", full_name=f"Testi {code}")
        services.membership_grant(user=user, organisation=organisation, roles=[code])
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        # then every page that is not part of logging in sends them to the code page
        response = client.get("/account/people/")
        assert response.status_code == 302, code
        assert response["Location"].startswith(SECOND_FACTOR_URL), code
        client.logout()


def test_second_factor__htmx_request_before_code__gets_hx_redirect(client, personas):
    client.force_login(personas.coordinator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/account/people/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(SECOND_FACTOR_URL)


def test_second_factor__api_with_session_before_code__is_refused(client, personas):
    client.force_login(personas.coordinator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/api/v1/people/")
    assert response.status_code == 401


# -- verifying with a set-up device ------------------------------------------------------


def test_second_factor__right_code__verifies_and_returns_to_next(client, personas):
    kaisa = personas.coordinator
    client.force_login(kaisa, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.get(user=kaisa, confirmed=True)
    response = client.post(SECOND_FACTOR_URL, {"code": _code(device), "next": "/account/people/?q=Aino"})
    assert response.status_code == 302
    assert response["Location"] == "/account/people/?q=Aino"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/account/people/").status_code == 200


def test_second_factor__wrong_code__is_400_with_message_and_not_verified(client, personas):
    kaisa = personas.coordinator
    client.force_login(kaisa, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.get(user=kaisa, confirmed=True)
    response = client.post(SECOND_FACTOR_URL, {"code": _wrong_code(device), "next": "/account/people/"})
    assert response.status_code == 400
    with override("fi"):
        assert (
            gettext("The code is not right. Check that the clock of your phone is correct and try again.")
            in response.content.decode()
        )
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/account/people/").status_code == 302


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12a456", "1" * 100, "\x00" * 6, "٠١٢٣٤٥"])
def test_second_factor__malformed_code__is_400_with_message(client, personas, code):
    kaisa = personas.coordinator
    client.force_login(kaisa, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.get(user=kaisa)
    response = client.post(SECOND_FACTOR_URL, {"code": code})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 0  # a typing mistake does not count as a guess
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "shape",
    [
        lambda c: f"{c[:3]} {c[3:]}",
        lambda c: f" {c}\t",
        lambda c: c.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    ],
    ids=["grouped-like-the-app-shows-it", "spaces-around", "full-width-digits"],
)
def test_second_factor__right_code_typed_in_other_shape__is_accepted(client, personas, shape):
    kaisa = personas.coordinator
    client.force_login(kaisa, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.get(user=kaisa, confirmed=True)
    response = client.post(SECOND_FACTOR_URL, {"code": shape(_code(device))})
    assert response.status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_second_factor__used_code__cannot_be_used_again(client, personas):
    kaisa = personas.coordinator
    device = TOTPDevice.objects.get(user=kaisa, confirmed=True)
    code = _code(device)
    client.force_login(kaisa, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(SECOND_FACTOR_URL, {"code": code}).status_code == 302
    client.logout()
    client.force_login(kaisa, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(SECOND_FACTOR_URL, {"code": code})
    assert response.status_code == 400
    assert DEVICE_ID_SESSION_KEY not in client.session


# -- throttling ------------------------------------------------------------------------


def test_second_factor__many_wrong_codes__are_throttled_with_a_message_not_an_error(client, personas):
    # given Kaisa typing wrong codes again and again
    kaisa = personas.coordinator
    client.force_login(kaisa, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.get(user=kaisa, confirmed=True)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for n in range(4):
            client.post(SECOND_FACTOR_URL, {"code": _wrong_code(device)})
            traveller.shift(dt.timedelta(seconds=2**n + 1))  # past each pause
        client.post(SECOND_FACTOR_URL, {"code": _wrong_code(device)})
        # when she then types the right code at once
        response = client.post(SECOND_FACTOR_URL, {"code": _code(device)})
        # then she is asked to wait, calmly, and is not let in
        assert response.status_code == 400
        html = response.content.decode()
        with override("fi"):
            expected = ngettext(
                "Too many wrong codes. Wait %(seconds)d second and try again with a new code.",
                "Too many wrong codes. Wait %(seconds)d seconds and try again with a new code.",
                16,
            ) % {"seconds": 16}
        assert expected in html
        assert DEVICE_ID_SESSION_KEY not in client.session
        # and after the pause the right code works
        traveller.shift(dt.timedelta(seconds=17))
        response = client.post(SECOND_FACTOR_URL, {"code": _code(device)})
        assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


# -- first-time set-up -----------------------------------------------------------------


def test_second_factor_setup__first_visit__shows_qr_code_and_key(client, personas):
    user = _new_staff_member_without_device()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(SECOND_FACTOR_URL)
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    html = response.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert response.context["secret"] in html
    # the page shows the same device on every visit (no pile of unconfirmed devices)
    client.get(SECOND_FACTOR_URL)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_second_factor_setup__wrong_code__is_400_and_device_stays_unconfirmed(client, personas):
    user = _new_staff_member_without_device()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.get(SECOND_FACTOR_URL)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SECOND_FACTOR_URL, {"code": _wrong_code(device)})
    assert response.status_code == 400
    with override("fi"):
        assert (
            gettext("The code is not right. Check that the clock of your phone is correct and try again.")
            in response.content.decode()
        )
    assert 'src="data:image/svg+xml' in response.content.decode()  # the QR code is still there
    device.refresh_from_db()
    assert device.confirmed is False
    assert not ChangeEvent.objects.filter(verb="accounts.second_factor.set_up", subject=user).exists()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_second_factor_setup__right_code__confirms_device_and_records_event(client, personas):
    user = _new_staff_member_without_device()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.get(SECOND_FACTOR_URL)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SECOND_FACTOR_URL, {"code": _code(device), "next": "/account/people/"})
    assert response.status_code == 302
    assert response["Location"] == "/account/people/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/account/people/").status_code == 200
    event = ChangeEvent.objects.get(verb="accounts.second_factor.set_up", subject=user)
    assert event.actor_id == user.pk
    # and the next login asks for the code without showing the key again
    client.logout()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(SECOND_FACTOR_URL)
    assert 'src="data:image/svg+xml' not in response.content.decode()


# -- where the user goes afterwards ----------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "\\\\evil.example",
        "/\\evil.example",
        "https:///evil.example",
    ],
)
def test_second_factor__next_to_another_site__goes_to_front_page(client, personas, target):
    kaisa = personas.coordinator
    client.force_login(kaisa, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.get(user=kaisa, confirmed=True)
    response = client.post(SECOND_FACTOR_URL, {"code": _code(device), "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_second_factor__page_does_not_echo_unsafe_next(client, personas):
    client.force_login(personas.coordinator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(SECOND_FACTOR_URL, {"next": "https://evil.example/"})
    html = response.content.decode()
    assert '<input type="hidden" name="next" value="/">' in html
    assert 'value="https://evil.example/"' not in html


def test_second_factor__already_verified__goes_on_to_safe_next(client, personas, login):
    login(personas.coordinator)
    assert client.get(SECOND_FACTOR_URL, {"next": "/account/people/"})["Location"] == "/account/people/"
    assert client.get(SECOND_FACTOR_URL, {"next": "https://evil.example/"})["Location"] == "/"


def test_second_factor__anonymous__is_sent_to_login(client, db):
    response = client.get(SECOND_FACTOR_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
