"""Figures of the experts module through ``core.formatting``: ``{{ course.hours|hours }}``
gives ``50`` or ``2,5`` (a whole number without decimals)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from osallisuus.core import formatting
from osallisuus.experts import languages

register = template.Library()


@register.filter
def hours(value: Any) -> str:
    if value is None or value == "":
        return ""
    amount = formatting.to_decimal(value)
    return formatting.number(amount, 0 if amount == amount.to_integral_value() else 1)


@register.filter
def whole(value: Any) -> str:
    """A count shown whole: ``20``, ``1 234``."""
    if value is None or value == "":
        return ""
    return formatting.number(Decimal(value), 0)


@register.filter
def language_names(codes: Any) -> str:
    """Language codes named in the reader's language: ``["fi", "en"]`` gives ``suomi, englanti``."""
    if isinstance(codes, str):
        codes = [codes]
    return languages.language_names(codes or [])
