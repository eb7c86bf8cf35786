"""Who may do what in measurement. Permissions are data (migration 0002), held per organisation.

* ``measurement.view_reports``: group reports of the rounds of one's organisation (never
  individual answers or scores).
* ``measurement.manage_rounds``: create rounds and invite people one may see.
* ``measurement.manage_instruments``: import instruments from their owners' files.
* ``measurement.record_external``: record that an external instrument (Kykyviisari,
  AVAIN) was done for a client, and where its result lives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from osallisuus.accounts.permissions import ALLOW, Decision

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


class MP:
    VIEW_REPORTS = "measurement.view_reports"
    MANAGE_ROUNDS = "measurement.manage_rounds"
    MANAGE_INSTRUMENTS = "measurement.manage_instruments"
    RECORD_EXTERNAL = "measurement.record_external"


def can_manage_instruments(user: User) -> Decision:
    if user.permissions.has(MP.MANAGE_INSTRUMENTS) or user.is_superuser:
        return ALLOW
    return Decision(False, _("Only administrators import instruments."))


def report_organisations(user: User) -> set[int]:
    return user.permissions.organisations_with(MP.VIEW_REPORTS)


def round_organisations(user: User) -> set[int]:
    return user.permissions.organisations_with(MP.MANAGE_ROUNDS)


def external_organisations(user: User) -> set[int]:
    return user.permissions.organisations_with(MP.RECORD_EXTERNAL)
