"""Sortable column headings for lists made by ``core.paging.paginate``.

``{% sort_header listing "name" _("Name") %}`` renders a ``<th>`` with ``aria-sort`` and a link
that sorts by that column (a second click reverses it), keeping the search and filters.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def sort_header(listing: Any, key: str, label: str, css_class: str = "") -> SafeString:
    state = listing.aria_sort(key)
    if state == "ascending":
        hint = _("sorted in ascending order, select to sort in descending order")
        arrow = "▲"
    elif state == "descending":
        hint = _("sorted in descending order, select to sort in ascending order")
        arrow = "▼"
    else:
        hint = _("select to sort by this column")
        arrow = ""
    return format_html(
        '<th scope="col" aria-sort="{}"{}><a href="{}" class="sort-link">{}<span class="visually-hidden">, {}</span>'
        '<span aria-hidden="true" class="sort-link__arrow">{}</span></a></th>',
        state,
        format_html(' class="{}"', css_class) if css_class else "",
        listing.sort_url(key),
        label,
        hint,
        arrow,
    )


@register.filter
def page_url(listing: Any, number: int) -> str:
    return str(listing.page_url(int(number)))
