"""Printed answer sheets: one page per person, in the person's own language, with their personal
link as a QR code and as a printed address (for people who do not use e-mail)."""

from __future__ import annotations

from collections.abc import Sequence

import segno
from django.template.loader import render_to_string
from django.utils import translation

from osallisuus.core.mail import language_of

from .models import Round
from .services import Sheet


def answer_sheets_pdf(*, round_: Round, sheets: Sequence[Sheet]) -> bytes:
    pages = []
    for sheet in sheets:
        person = sheet.invitation.person
        with translation.override(language_of(person)):
            pages.append(
                render_to_string(
                    "measurement/pdf/sheet.html",
                    {
                        "round": round_,
                        "instrument": round_.instrument,
                        "person": person,
                        "url": sheet.url,
                        "expires_at": sheet.expires_at,
                        "qr": segno.make(sheet.url, error="m").svg_data_uri(scale=4),
                    },
                )
            )
    from weasyprint import HTML  # noqa: PLC0415 - takes over a second to import; only this PDF needs it

    html = render_to_string("measurement/pdf/sheets.html", {"round": round_, "pages": pages})
    return bytes(HTML(string=html).write_pdf())
