"""Files: payment exports (CSV and XLSX, formula-safe), PDFs (agreement, certificate, fee
statement) and the iCalendar invite."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from openpyxl import Workbook

from osallisuus.core import formatting
from osallisuus.core.exports import csv_bytes, safe_cell

from . import fees
from .models import Agreement
from .selectors import PaymentRow


def payment_rows(rows: Iterable[PaymentRow]) -> list[list[Any]]:
    header = [
        _("Task date"),
        _("Expert"),
        _("Task"),
        _("Fee (taxable, €)"),
        _("Taxable expenses (€)"),
        _("Tax-free expenses (€)"),
        _("Total (€)"),
        _("Volunteer mode"),
        _("Expenses status"),
    ]
    out: list[list[Any]] = [header]
    for row in rows:
        a = row.agreement
        report = getattr(a, "expense_report", None)
        out.append(
            [
                timezone.localtime(a.starts_at).date(),
                a.expert.user.full_name,
                a.request.title,
                row.fee,
                row.taxable_expenses,
                row.tax_free_expenses,
                row.total,
                a.volunteer,
                report.get_status_display() if report else "",
            ]
        )
    return out


def _number_format(value: Any) -> str | None:
    """The XLSX number format of a cell (``core.formatting``): money for an amount in cents,
    one decimal for a share, thousands for a count, the Finnish date for a date."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent == -2:
            return formatting.xlsx_number_format("money")
        return "0.0" if isinstance(exponent, int) and exponent == -1 else None
    if isinstance(value, int):
        return formatting.xlsx_number_format("integer")
    if isinstance(value, dt.datetime):
        return formatting.xlsx_number_format("datetime")
    if isinstance(value, dt.date):
        return formatting.xlsx_number_format("date")
    return None


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, title: str) -> bytes:
    """An XLSX file in which no text cell can be a formula (text is written as text), and
    amounts, counts and dates carry their number formats (``1 234,56 €`` to a Finnish reader)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        cells: list[Any] = []
        for value in row:
            if isinstance(value, str):
                cells.append(safe_cell(value))
            elif isinstance(value, dt.datetime):
                cells.append(timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value)
            else:
                cells.append(value)
        sheet.append(cells)
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            number_format = _number_format(value)
            if number_format:
                cell.number_format = number_format
    for cell in sheet.iter_rows():
        for c in cell:
            if isinstance(c.value, str):
                c.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def payments_csv(rows: Iterable[PaymentRow]) -> bytes:
    return csv_bytes(payment_rows(rows))


def payments_xlsx(rows: Iterable[PaymentRow]) -> bytes:
    return xlsx_bytes(payment_rows(rows), title=_("Payments"))


def pdf_bytes(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - heavy (fonts, cairo): loaded only when a PDF is made

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def agreement_ics(agreement: Agreement) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Osallisuus//experts//FI")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    request = agreement.request
    for i in range(request.sessions):
        event = Event()
        delta = dt.timedelta(weeks=i)
        event.add("uid", f"agreement-{agreement.pk}-{i}@osallisuus")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", agreement.starts_at + delta)
        event.add("dtend", agreement.ends_at + delta)
        event.add("summary", request.title)
        event.add("location", _("Remote") if request.remote else request.address)
        event.add("description", "\n".join(fees.agreement_terms(agreement)))
        cal.add_component(event)
    return bytes(cal.to_ical())
