"""Importing answers collected on paper or in an earlier system: one CSV file, constant memory,
all or nothing."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.core import events

from .. import scoring
from ..models import Answer, Item, Response, Round
from ..selectors import items_of
from .errors import MeasurementError

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


@dataclass(frozen=True)
class AnswersImportResult:
    responses: int
    answers: int


BATCH = 1000


def answers_import(
    *, round: Round, stream: Iterable[str], actor: User | None, progress: Any = None
) -> AnswersImportResult:
    """Import answers from a CSV stream in constant memory, one respondent per row.

    Header: ``respondent`` (a code from the source, not a name) and one column per item
    code. All rows are checked and saved in one transaction: a problem on any row names
    the line and the column and nothing is saved.
    """
    instrument = round.instrument
    items = items_of(instrument)
    by_code = {i.code: i for i in items}
    rules = scoring.rules_from_definition(instrument.definition)
    allowed = {i.code: {p["value"] for p in instrument.scale(i.scale)["points"]} for i in items if i.scale}
    reader = csv.reader(_lines(stream))
    header = next(reader, None)
    if not header or header[0].strip().lstrip("\ufeff") != "respondent":
        raise MeasurementError(_('line 1: the first column must be "respondent".'), field="file")
    columns = [h.strip() for h in header[1:]]
    for position, code in enumerate(columns, start=2):
        if code not in by_code:
            raise MeasurementError(
                _('line 1, column %(column)d: there is no item "%(code)s" in this instrument.')
                % {"column": position, "code": code[:60]}
            )
    responses_done = answers_done = 0
    pending: list[tuple[Response, list[tuple[int, int | None, str]]]] = []
    batch_refs: dict[str, tuple[int, str]] = {}  # digest -> (line, code), this batch only
    now = timezone.now()
    with transaction.atomic():
        for row in reader:
            line = reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise MeasurementError(
                    _("line %(line)d: %(found)d columns, the header has %(expected)d.")
                    % {"line": line, "found": len(row), "expected": len(header)}
                )
            ref = row[0].strip()
            if not ref or len(ref) > 64:
                raise MeasurementError(
                    _("line %(line)d, column respondent: give a code of 1–64 characters.") % {"line": line}
                )
            digest = hashlib.sha256(ref.encode()).hexdigest()[:16]
            if digest in batch_refs:
                raise _twice(line, ref)
            batch_refs[digest] = (line, ref)
            values: dict[str, int | None] = {}
            answers: list[tuple[int, int | None, str]] = []
            for code, cell in zip(columns, row[1:], strict=True):
                cell = cell.strip()
                item = by_code[code]
                if not cell:
                    if item.required:
                        raise MeasurementError(
                            _("line %(line)d, column %(code)s: this answer is required.") % {"line": line, "code": code}
                        )
                    continue
                if item.kind == Item.Kind.TEXT:
                    answers.append((item.pk, None, cell[:4000]))
                    continue
                try:
                    value = int(cell)
                except ValueError:
                    value = None
                if value is None or value not in allowed[code]:
                    raise MeasurementError(
                        _('line %(line)d, column %(code)s: "%(value)s" is not on the scale.')
                        % {"line": line, "code": code, "value": cell[:20]}
                    )
                values[code] = value
                answers.append((item.pk, value, ""))
            result = scoring.compute(
                method=instrument.scoring,
                transform=instrument.transform,
                bands=instrument.bands,
                rules=rules,
                values=values,
            )
            response = Response(
                instrument=instrument,
                round=round,
                external_ref=digest,
                organisation_id=round.organisation_id,
                context_module=round.context_module,
                context_ref=round.context_ref,
                area=round.area,
                status=Response.Status.SUBMITTED,
                submitted_at=now,
                raw_score=result.raw,
                score=result.score,
                band=result.band,
            )
            pending.append((response, answers))
            if len(pending) >= BATCH:
                a, b = _flush(pending)
                _check_twice(round, batch_refs)
                responses_done, answers_done = responses_done + a, answers_done + b
                pending, batch_refs = [], {}
                if progress is not None:
                    progress(responses_done)
        a, b = _flush(pending)
        _check_twice(round, batch_refs)
        responses_done, answers_done = responses_done + a, answers_done + b
    events.record(
        actor=actor, verb="measurement.round.answers_imported", target=round, data={"responses": responses_done}
    )
    return AnswersImportResult(responses_done, answers_done)


def _twice(line: int, ref: str) -> MeasurementError:
    return MeasurementError(
        _("line %(line)d: the respondent %(code)s appears twice.") % {"line": line, "code": ref[:64]}
    )


def _check_twice(round: Round, batch_refs: dict[str, tuple[int, str]]) -> None:
    """A respondent code of this batch that the round already had (earlier in the file, or from an
    earlier import): asked from the database, so memory stays constant however long the file is."""
    if not batch_refs:
        return
    twice = (
        Response.objects.filter(round=round, external_ref__in=list(batch_refs))
        .values("external_ref")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by()
        .values_list("external_ref", flat=True)
    )
    found = sorted(batch_refs[d] for d in twice)
    if found:
        raise _twice(*found[0])


def _lines(stream: Iterable[str] | Iterable[bytes]) -> Iterator[str]:
    for line in stream:
        yield line.decode("utf-8-sig") if isinstance(line, bytes) else line


def _flush(pending: list[tuple[Response, list[tuple[int, int | None, str]]]]) -> tuple[int, int]:
    """Save one batch: the responses with ``bulk_create``, their answers with one ``executemany``
    (plain rows, no model instances: the import is dominated by the answers)."""
    if not pending:
        return 0, 0
    responses = Response.objects.bulk_create([r for r, _a in pending])
    rows = [
        (response.pk, item_id, value, text)
        for response, answers in zip(responses, (a for _r, a in pending), strict=True)
        for item_id, value, text in answers
    ]
    table = connection.ops.quote_name(Answer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (response_id, item_id, value, text) VALUES (%s, %s, %s, %s)",  # noqa: S608
            rows,
        )
    return len(responses), len(rows)
