"""Template filters of the one formatting layer (``core.formatting``), in the page's language.

``{% load fmt %}`` then ``{{ fee|money }}``, ``{{ fee|money:"whole" }}``, ``{{ rate|money_per:"km" }}``,
``{{ days|count }}``, ``{{ mean|num:1 }}``, ``{{ share|percent }}``, ``{{ day|fdate }}``,
``{{ start|ftime }}``, ``{{ start|fdatetime }}``, ``{% time_range start end %}``,
``{% datetime_range start end %}``, ``{% num_range low high 1 %}``, ``{% money_range low high %}``,
``{{ figures|largest:"count" }}`` (the end of a chart's value axis).
"""

from __future__ import annotations

from typing import Any

from django import template

from osallisuus.core import formatting

register = template.Library()


@register.filter
def money(value: Any, arg: str = "") -> str:
    return formatting.money(value, cents=arg != "whole")


@register.filter
def money_per(value: Any, unit: str) -> str:
    return formatting.money_rate(value, unit)


@register.filter
def num(value: Any, places: int = 0) -> str:
    return formatting.number(value, int(places))


@register.filter
def count(value: Any) -> str:
    return formatting.count(value)


@register.filter
def percent(value: Any, places: int = 0) -> str:
    return formatting.percent(value, int(places))


@register.filter
def fdate(value: Any) -> str:
    return formatting.date(value)


@register.filter
def ftime(value: Any) -> str:
    return formatting.time(value)


@register.filter
def fdatetime(value: Any) -> str:
    return formatting.datetime(value)


@register.simple_tag
def time_range(start: Any, end: Any = None) -> str:
    return formatting.time_range(start, end)


@register.simple_tag
def datetime_range(start: Any, end: Any = None) -> str:
    return formatting.datetime_range(start, end)


@register.simple_tag
def num_range(low: Any, high: Any, places: int = 1) -> str:
    return formatting.number_range(low, high, int(places))


@register.simple_tag(name="money_range")
def money_range_tag(low: Any, high: Any) -> str:
    return formatting.money_range(low, high)


@register.filter
def largest(items: Any, key: Any) -> Any:
    """The largest shown figure of a chart's rows, for the end of its value axis:
    ``{{ figures|largest:"count" }}`` (an attribute or a key) or ``{{ months|largest:1 }}`` (a
    tuple's place). Hidden figures (``None``) are left out; 0 when nothing is shown."""

    def value(item: Any) -> Any:
        if isinstance(item, dict):
            return item.get(key)
        if isinstance(item, list | tuple):
            return item[int(key)]
        return getattr(item, str(key), None)

    return max((v for v in map(value, items or []) if v is not None), default=0)
