"""The languages an expert can work in, named in the reader's language ("suomi, englanti" on a
Finnish page, "finska, engelska" on a Swedish one). The expert's record keeps the codes."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

LANGUAGE_NAMES = {
    "fi": _("Finnish"),
    "sv": _("Swedish"),
    "en": _("English"),
    "ru": _("Russian"),
    "so": _("Somali"),
    "ar": _("Arabic"),
}


def language_name(code: str) -> str:
    """The language's name in the reader's language; an unknown code as it is."""
    return str(LANGUAGE_NAMES.get(code, code))


def language_names(codes: Iterable[str]) -> str:
    return ", ".join(language_name(code) for code in codes)
