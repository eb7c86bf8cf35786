"""CSV that is safe to open in Excel or LibreOffice Calc: every module writes its CSV here.

A spreadsheet treats a text cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in
some programs, a tab or a carriage return) as a formula, so a name such as
``=HYPERLINK("http://evil.example", "Click")`` typed into a form would run when a
coordinator opens the export (CSV or formula injection, OWASP). Such text cells get
a leading apostrophe, which the spreadsheet shows as plain text. Numbers stay numbers.

The file is UTF-8 with a byte-order mark and semicolons between the cells, because
that is what Excel in Finnish and Swedish expects when the file is double-clicked.

    rows = [[_("Name"), _("Municipality")], *((p.full_name, p.municipality) for p in people)]
    services.job_finish(job_id=job_id, file=ContentFile(csv_bytes(rows)), filename="people.csv")
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone

# What a spreadsheet may read as the start of a formula. The full-width forms are
# included because some spreadsheet programs normalise them to the ASCII ones.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
DELIMITER = ";"
ENCODING = "utf-8-sig"


def safe_cell(value: Any) -> str:
    """One cell as text that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        # A real number is data, never a formula, even when negative.
        return str(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class SafeCsvWriter:
    """``csv.writer`` that passes every cell through ``safe_cell``."""

    def __init__(self, stream: io.TextIOBase | Any, *, delimiter: str = DELIMITER) -> None:
        self._writer = csv.writer(stream, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Iterable[Any]], *, delimiter: str = DELIMITER) -> str:
    buffer = io.StringIO()
    SafeCsvWriter(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Iterable[Any]], *, delimiter: str = DELIMITER) -> bytes:
    """The whole file as bytes, ready for ``ContentFile`` or an ``HttpResponse``."""
    return csv_text(rows, delimiter=delimiter).encode(ENCODING)
