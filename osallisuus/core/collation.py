"""Names sorted and searched the way a Finnish reader expects, on both databases.

* Order: … X, Y, Z, Å, Ä, Ö; case and other accents do not separate names (``Émile`` sorts
  as ``Emile``, ``ü`` with ``y``). ``finnish(expr)`` wraps a field or expression in the
  collation ``fi-x-icu``: on PostgreSQL that is ICU's Finnish collation (Debian's PostgreSQL
  is built with ICU); on SQLite the same name is a collation this module registers on every
  new connection, with the same order (``finnish_key``).
* Search: ``icontains`` ignores case for every letter. PostgreSQL's ``UPPER`` already does;
  SQLite's ``LIKE`` folds only ASCII, so this module replaces SQLite's ``like()`` with one that
  folds Unicode (``"äijälä"`` finds ``"Äijälä"``). ``search_filter(q, fields)`` builds the
  usual "every word in one of these fields" condition.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import F, Q
from django.db.models.expressions import Combinable
from django.db.models.functions import Collate

COLLATION = "fi-x-icu"

# Letters of the Finnish alphabet after Z, in order; letters folded into them (CLDR fi).
_AFTER_Z = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "õ": "}"}
_FOLD = {"ü": "y", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "œ": "oe"}


@lru_cache(maxsize=20_000)
def finnish_key(text: str) -> tuple[str, str]:
    """A sort key: the letters in Finnish order, accents and case aside; then, as ICU does,
    the accents, and lower case before upper case."""
    primary = []
    for char in text.casefold():
        if char in _AFTER_Z:
            primary.append(_AFTER_Z[char])
            continue
        char = _FOLD.get(char, char)
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        primary.append(base)
    return "".join(primary), text.swapcase()


def finnish_sorted(items: Iterable[Any], key: Any = None) -> list[Any]:
    """Sort in Python the same way the database does (``finnish``)."""
    get = key or (lambda item: item)
    return sorted(items, key=lambda item: finnish_key(str(get(item) or "")))


def finnish(expression: str | Combinable) -> Collate:
    """``order_by(finnish("full_name"), "pk")`` sorts names in Finnish order on both databases."""
    return Collate(F(expression) if isinstance(expression, str) else expression, COLLATION)


def _compare(a: str | None, b: str | None) -> int:
    ka, kb = finnish_key(a or ""), finnish_key(b or "")
    return (ka > kb) - (ka < kb)


@lru_cache(maxsize=512)
def _like_pattern(pattern: str, escape: str) -> re.Pattern[str]:
    out = []
    chars = iter(pattern.casefold())
    for char in chars:
        if escape and char == escape:
            out.append(re.escape(next(chars, "")))
        elif char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.DOTALL)


def _like(pattern: str | None, value: Any, escape: str | None = None) -> bool | None:
    if pattern is None or value is None:
        return None
    return _like_pattern(pattern, escape or "").fullmatch(str(value).casefold()) is not None


def _on_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_collation(COLLATION, _compare)
    raw.create_function("like", 2, _like, deterministic=True)
    raw.create_function("like", 3, _like, deterministic=True)


def install() -> None:
    """Called from ``CoreConfig.ready``: every new SQLite connection gets the collation and LIKE."""
    connection_created.connect(_on_connection, dispatch_uid="osallisuus.core.collation")


def search_filter(query: str, fields: Sequence[str], *, max_words: int = 5) -> Q:
    """Every word of ``query`` must be found (case-insensitively) in one of ``fields``."""
    condition = Q()
    for word in query.split()[:max_words]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition
