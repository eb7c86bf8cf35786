"""Numbers, money, dates and times as the reader expects them: one layer for pages, PDFs,
XLSX files, e-mails and service messages.

Finnish (and plain Finnish): ``1 234,56 €`` (no-break space between thousands, decimal comma,
no-break space before the sign), ``0,57 €/km``, ``1,4–1,8``, ``4.12.2026``, ``klo 9.30``,
``klo 9.30–11.00``. Swedish as written in Finland: ``1 234,56 €``, ``4.12.2026``,
``kl. 9.30``. English: ``€1,234.56``, ``4 Dec 2026``, ``9:30``.

Every function takes ``lang`` (a language code) and uses the active language when it is not
given. Datetimes are shown in Finnish time (``settings.TIME_ZONE``). Money is ``Decimal``;
a float is refused, so no rounding noise reaches a page. Template filters of the same names
are in ``core/templatetags/fmt.py``; XLSX number formats come from ``xlsx_number_format``.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone, translation

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
EN_DASH = "\u2013"

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _lang(lang: str | None) -> str:
    code = (lang or translation.get_language() or "fi").lower()
    return "en" if code.startswith("en") else "sv" if code.startswith("sv") else "fi"


def to_decimal(value: Any) -> Decimal:
    """A Decimal from a Decimal, an int or a numeric string; a float is refused."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise TypeError("money and measured figures are Decimal, never float")
    try:
        return Decimal(str(value).strip().replace(NBSP, "").replace(" ", "").replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def parse_decimal(text: str) -> Decimal | None:
    """What a person typed: ``1 234,50``, ``1234.50`` or ``1234,5 €``; ``None`` if it is no number."""
    cleaned = str(text).strip().replace("€", "").replace(NBSP, "").replace(NARROW_NBSP, "").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _group(digits: str, separator: str) -> str:
    out: list[str] = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return separator.join(out)


def number(value: Any, places: int = 0, *, lang: str | None = None, group: bool = True) -> str:
    """``1 234``, ``1 234,5``, ``0,57`` (fi, sv) or ``1,234.5`` (en); rounded half up.

    A float is accepted here for shown ratios and means (``Avg`` of a column), never for money."""
    if value is None or value == "":
        return ""
    amount = Decimal(repr(value)) if isinstance(value, float) else to_decimal(value)
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    language = _lang(lang)
    whole, _dot, fraction = f"{abs(amount):f}".partition(".")
    thousands, decimal_mark = (",", ".") if language == "en" else (NBSP, ",")
    text = _group(whole, thousands) if group else whole
    if places:
        text = f"{text}{decimal_mark}{fraction}"
    if amount < 0:
        text = f"-{text}" if language == "en" else f"\u2212{text}"
    return text


def money(value: Any, *, lang: str | None = None, cents: bool = True) -> str:
    """``1 234,56 €`` (fi, sv), ``€1,234.56`` (en). ``cents=False`` for whole euros: ``300 €``."""
    if value is None or value == "":
        return ""
    language = _lang(lang)
    text = number(to_decimal(value), 2 if cents else 0, lang=language)
    if language == "en":
        return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"
    return f"{text}{NBSP}€"


def money_rate(value: Any, unit: str, *, lang: str | None = None) -> str:
    """A rate: ``0,57 €/km``, ``25,00 €/h`` (fi, sv), ``€0.57/km`` (en)."""
    return f"{money(value, lang=lang)}/{unit}"


def number_range(low: Any, high: Any, places: int = 1, *, lang: str | None = None) -> str:
    """``1,4–1,8`` (fi, sv), ``1.4–1.8`` (en)."""
    return f"{number(low, places, lang=lang)}{EN_DASH}{number(high, places, lang=lang)}"


def money_range(low: Any, high: Any, *, lang: str | None = None) -> str:
    """``100,00–600,00 €`` (fi, sv), ``€100.00–€600.00`` (en)."""
    language = _lang(lang)
    if language == "en":
        return f"{money(low, lang=language)}{EN_DASH}{money(high, lang=language)}"
    return f"{number(to_decimal(low), 2, lang=language)}{EN_DASH}{money(high, lang=language)}"


def percent(value: Any, places: int = 0, *, lang: str | None = None) -> str:
    """``45 %`` (fi, sv, with a no-break space), ``45%`` (en)."""
    text = number(value, places, lang=lang)
    return f"{text}%" if _lang(lang) == "en" else f"{text}{NBSP}%"


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def date(value: dt.date | dt.datetime | None, *, lang: str | None = None) -> str:
    """``4.12.2026`` (fi, sv), ``4 Dec 2026`` (en)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    if _lang(lang) == "en":
        return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value.day}.{value.month}.{value.year}"


def _clock(value: dt.time, language: str) -> str:
    return f"{value.hour}:{value.minute:02d}" if language == "en" else f"{value.hour}.{value.minute:02d}"


def _prefix(language: str) -> str:
    return {"fi": f"klo{NBSP}", "sv": f"kl.{NBSP}"}.get(language, "")


def time(value: dt.time | dt.datetime | None, *, lang: str | None = None, prefix: bool = True) -> str:
    """``klo 9.30`` (fi), ``kl. 9.30`` (sv), ``9:30`` (en)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).time()
    language = _lang(lang)
    return f"{_prefix(language) if prefix else ''}{_clock(value, language)}"


def time_range(start: dt.datetime | dt.time, end: dt.datetime | dt.time | None, *, lang: str | None = None) -> str:
    """``klo 9.30–11.00`` (fi), ``kl. 9.30–11.00`` (sv), ``9:30–11:00`` (en)."""
    if end is None:
        return time(start, lang=lang)
    language = _lang(lang)
    return f"{time(start, lang=language)}{EN_DASH}{time(end, lang=language, prefix=False)}"


def datetime(value: dt.datetime | None, *, lang: str | None = None) -> str:
    """``4.12.2026 klo 9.30`` (fi), ``4.12.2026 kl. 9.30`` (sv), ``4 Dec 2026 9:30`` (en)."""
    if value is None:
        return ""
    return f"{date(value, lang=lang)} {time(value, lang=lang)}"


def datetime_range(start: dt.datetime, end: dt.datetime | None, *, lang: str | None = None) -> str:
    """``4.12.2026 klo 9.30–11.00``; over midnight: ``4.12.2026 klo 22.00 – 5.12.2026 klo 1.00``."""
    if end is None:
        return datetime(start, lang=lang)
    if _local(start).date() == _local(end).date():
        return f"{date(start, lang=lang)} {time_range(start, end, lang=lang)}"
    return f"{datetime(start, lang=lang)} {EN_DASH} {datetime(end, lang=lang)}"


def count(value: int | None, *, lang: str | None = None) -> str:
    """A whole number of things: ``20``, ``1 234``."""
    return number(value, 0, lang=lang) if value is not None else ""


XLSX_MONEY = '#,##0.00\\ "€"'
XLSX_INTEGER = "#,##0"
XLSX_DATE = "d.m.yyyy"
XLSX_DATETIME = "d.m.yyyy h:mm"


def xlsx_number_format(kind: str) -> str:
    """The XLSX number format for a kind of value. Spreadsheet programs show the separators of
    the reader's own locale, so a Finnish reader sees ``1 234,56 €``."""
    return {"money": XLSX_MONEY, "integer": XLSX_INTEGER, "date": XLSX_DATE, "datetime": XLSX_DATETIME}[kind]
