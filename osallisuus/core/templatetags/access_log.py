"""``{{ entry.purpose|purpose }}``: why a person's data was read, in the reader's language."""

from __future__ import annotations

from django import template

from osallisuus.core.access import purpose_label

register = template.Library()


@register.filter
def purpose(code: str) -> str:
    return purpose_label(str(code or ""))
