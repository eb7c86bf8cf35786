"""Shared pieces of the package: imports, constants and helpers."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")

RECORD_RETENTION = _(
    "Funding applications, reviews, decisions and payments are public-money records. They are kept "
    "for the funders' statutory retention period (ESF+ projects: until the programme's accounts are "
    "closed), with the names of the people who wrote them."
)


def _tracking_number() -> str:
    return uuid.uuid4().hex[:8].upper()
