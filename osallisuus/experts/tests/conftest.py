"""Fixtures the experts tests share."""

from __future__ import annotations

import pytest

from osallisuus.accounts import services as accounts_services


@pytest.fixture
def other_coordinator(personas):
    """Olli, coordinator of another brokering organisation (with a verified second factor)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    olli = accounts_services.user_create(email="olli.koordinaattori@example.fi", full_name="Olli Koordinaattori")
    accounts_services.membership_grant(user=olli, organisation=personas.organisations["ngo2"], roles=["coordinator"])
    TOTPDevice.objects.create(user=olli, name="Testi", confirmed=True)
    return olli
