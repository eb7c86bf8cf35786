"""People for the activation tests: participants who may have a plan in the county."""

from __future__ import annotations

from typing import Any

from osallisuus.accounts import services as account_services


def participant(organisation: Any, email: str, full_name: str) -> Any:
    """A participant of ``organisation`` (the role that holds ``activation.have_plan``)."""
    user = account_services.user_create(email=email, password="x", full_name=full_name)
    account_services.membership_grant(user=user, organisation=organisation, roles=("participant",))
    return user
