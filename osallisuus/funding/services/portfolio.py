"""The portfolio report as a file: one XLSX with a sheet for each of the page's tables, sums as
numbers in the money format (a Finnish reader sees ``1 234,56 €``), hidden group figures left
empty with a note, never a person's data."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from osallisuus.core import formatting
from osallisuus.core.exports import safe_cell

from ..selectors.portfolio import Portfolio, Row

MONEY = formatting.xlsx_number_format("money")


def _rows_sheet(book: Workbook, title: str, label: str, rows: list[Row]) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append([label, _("Projects"), _("Amount (€)")])
    for r in rows:
        sheet.append([safe_cell(r.label), r.projects, r.amount])
        sheet.cell(row=sheet.max_row, column=3).number_format = MONEY


def portfolio_xlsx(report: Portfolio) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = _("Envelope")[:31]
    summary.append([safe_cell(str(report.funder.programme)), safe_cell(str(report.funder)), report.year])
    rows: list[list[Any]] = [[_("Projects funded"), report.projects], [_("Granted (€)"), report.granted]]
    if report.envelope is not None:
        rows += [
            [_("Cap (€)"), report.envelope.cap],
            [_("Decided (€)"), report.envelope.decided],
            [_("Paid (€)"), report.envelope.paid],
            [_("Remaining (€)"), report.envelope.remaining],
        ]
    for row in rows:
        summary.append(row)
        if isinstance(row[1], type(report.granted)):
            summary.cell(row=summary.max_row, column=2).number_format = MONEY
    _rows_sheet(book, _("By theme"), _("Theme"), report.by_theme)
    _rows_sheet(book, _("By area"), _("Area"), report.by_area)
    _rows_sheet(book, _("Payments"), _("Kind"), report.payments)
    outputs = book.create_sheet(_("Outputs")[:31])
    outputs.append([_("Unit"), _("Outputs"), _("Planned"), _("Reached"), _("Outputs reached"), _("Outputs verified")])
    for o in report.outputs:
        outputs.append([safe_cell(o.unit), o.outputs, o.planned, o.reached, o.reached_outputs, o.verified_outputs])
    for inc in report.inclusion:
        sheet = book.create_sheet(safe_cell(inc.title)[:31] or _("Inclusion"))
        if not inc.shown:
            sheet.append([inc.too_small_message])
            continue
        sheet.append([_("Group"), _("Number of people"), _("Mean")])
        for table in inc.tables[:1]:
            for cell in table.cells:
                sheet.append([safe_cell(cell.label), cell.n if cell.shown else None, cell.mean if cell.shown else None])
        sheet.append([_("Empty cells are hidden to protect the privacy of small groups.")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
