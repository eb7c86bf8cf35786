from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallisuus.core.demo import DEMO_PASSWORD


def test_login__coordinator_with_password_and_code__reaches_people(client, personas):
    kaisa = personas.coordinator
    response = client.post("/account/login/", {"username": kaisa.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/account/people/").status_code == 302  # second factor still missing
    device = TOTPDevice.objects.get(user=kaisa)
    response = client.post("/account/second-factor/", {"code": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get("/account/people/").status_code == 200
