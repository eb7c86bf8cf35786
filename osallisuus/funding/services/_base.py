"""What every write of partnership funding shares: the refusals, reading money as people type it,
and the rules that are law or policy (``FundingRule`` rows with a date and a source)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.core import formatting
from osallisuus.core.errors import Forbidden, Refusal

from ..models import FundingRule

CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999.99")


class FundingError(Refusal):
    """A refusal of partnership funding, in the user's language."""


class FundingForbidden(Forbidden):
    pass


def money(value: Any, *, field: str, allow_zero: bool = True) -> Decimal:
    """An amount as a person typed it (``1 234,50``, ``1234.5``, ``1 234,50 €``) or a Decimal:
    never negative, never more than two decimals; a clear refusal for the field otherwise."""
    if isinstance(value, Decimal):
        amount: Decimal | None = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        raise TypeError("money is never a float")
    else:
        text = str(value or "").strip()
        if not text:
            if allow_zero:
                return Decimal("0.00")
            raise FundingError(_("Enter an amount."), field=field, code="required")
        amount = formatting.parse_decimal(text)
    if amount is None:
        raise FundingError(_("Enter the amount as a number of euros, e.g. 1 234,50."), field=field, code="not_number")
    if amount < 0:
        raise FundingError(_("The amount cannot be negative."), field=field, code="negative")
    if amount != amount.quantize(CENT):
        raise FundingError(_("Give the amount to the cent at most (two decimals)."), field=field, code="cents")
    if amount > MAX_MONEY:
        raise FundingError(_("The amount is too large."), field=field, code="too_large")
    if not allow_zero and amount == 0:
        raise FundingError(_("The amount must be more than zero."), field=field, code="zero")
    return amount.quantize(CENT)


def rule_in_force(kind: str, on: dt.date | None = None) -> FundingRule | None:
    """The rule of this kind in force on the day (today by default), or None."""
    day = on or timezone.localdate()
    return (
        FundingRule.objects.filter(kind=kind, valid_from__lte=day)
        .exclude(valid_until__lt=day)
        .order_by("-valid_from")
        .first()
    )
