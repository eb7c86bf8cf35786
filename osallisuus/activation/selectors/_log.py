"""The access-log rows of the lists activation shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from osallisuus.core import access

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


def log_rows(*, actor: User, rows: list[tuple[int, models.Model]], purpose: str, route: str = "") -> None:
    """One access-log row per person shown in a list, in one insert; ``rows`` are (person id, object)."""
    access.log_listing(
        actor=actor,
        rows=rows,
        subject_of=lambda row: row[0],
        object_of=lambda row: (row[1]._meta.label_lower, row[1].pk),
        purpose=purpose,
        route=route,
    )
