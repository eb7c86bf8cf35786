"""Measurement endpoints: the same selectors, reports and suppression as the pages.

* ``GET /measurement/instruments``: the instruments (no answers).
* ``GET /measurement/my-responses``: your own answers (never a score: respondents get no verdict).
* ``GET /measurement/rounds/{id}/report``: a group report with small groups hidden.
* ``GET /measurement/shared/{id}``: answers a client shared with you (logged; never a group-only
  instrument, and never a score of one).

Refusals are ``core.errors.Refusal`` answered by the core handler (``{"detail", "field", "code"}``
in the user's language); anything missing or not yours is the same 404.
"""

from __future__ import annotations

from typing import Any

from ninja import Path, Query, Router, Schema

from osallisuus.core.api import error_responses
from osallisuus.core.errors import Forbidden
from osallisuus.core.http import ApiRequest
from osallisuus.core.paging import clamp_limit

from . import reports, selectors
from .models import Response
from .permissions import can_view_reports

router = Router(tags=["measurement"])
MAX_ID = 2**63 - 1
MAX_OFFSET = 1_000_000


class PageIn(Schema):
    limit: int = 50
    """How many rows at most: clamped to 1–200."""
    offset: int = 0


class InstrumentOut(Schema):
    id: int
    code: str
    version: str
    name: str
    kind: str
    owner: str
    group_reporting_only: bool
    is_demo: bool


class AnswerOut(Schema):
    item: str
    question: str
    value: int | None
    text: str


class ResponseOut(Schema):
    id: int
    instrument: str
    version: str
    status: str
    submitted_at: str | None
    answers: list[AnswerOut]


class CellOut(Schema):
    label: str
    hidden: bool
    n: int | None
    share: float | None
    mean: float | None


class TableOut(Schema):
    title: str
    cells: list[CellOut]


class ReportOut(Schema):
    round: int
    name: str
    threshold: int
    shown: bool
    n: int | None
    mean: float | None
    tables: list[TableOut]


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _page(page: PageIn) -> slice:
    offset = min(max(page.offset, 0), MAX_OFFSET)
    return slice(offset, offset + clamp_limit(page.limit))


def _response_out(response: Response) -> ResponseOut:
    """A response's answers, never its score or band."""
    return ResponseOut(
        id=response.pk,
        instrument=response.instrument.code,
        version=response.instrument.version,
        status=response.status,
        submitted_at=response.submitted_at.isoformat() if response.submitted_at else None,
        answers=[
            AnswerOut(item=row.code, question=row.question, value=row.value, text=row.text)
            for row in selectors.answer_rows(response)
        ],
    )


@router.get(
    "/instruments",
    response={200: list[InstrumentOut], **error_responses(401, 422)},
    url_name="measurement_instruments",
)
def instruments(request: ApiRequest, page: Query[PageIn]) -> list[InstrumentOut]:
    return [
        InstrumentOut(
            id=i.pk,
            code=i.code,
            version=i.version,
            name=i.display_name,
            kind=i.kind,
            owner=i.owner,
            group_reporting_only=i.group_reporting_only,
            is_demo=i.is_demo,
        )
        for i in selectors.instruments_all()[_page(page)]
    ]


@router.get(
    "/my-responses",
    response={200: list[ResponseOut], **error_responses(401, 422)},
    url_name="measurement_my_responses",
)
def my_responses(request: ApiRequest, page: Query[PageIn]) -> list[ResponseOut]:
    """Your own answers. No score or band: a respondent gets a thank-you, never a verdict."""
    return [_response_out(r) for r in selectors.my_responses(person=request.auth)[_page(page)]]


@router.get(
    "/rounds/{round_id}/report",
    response={200: ReportOut, **error_responses(401, 403, 404, 422)},
    url_name="measurement_round_report",
)
def round_report(request: ApiRequest, round_id: int = Path(..., ge=1, le=MAX_ID)) -> ReportOut:
    """A round's group figures; cells under the threshold, and their complements, are null."""
    decision = can_view_reports(request.auth)
    if not decision:
        raise Forbidden(decision.reason)
    round_ = selectors.round_get_for_report(actor=request.auth, pk=round_id)
    report = reports.round_report(round=round_)
    return ReportOut(
        round=round_.pk,
        name=round_.name,
        threshold=report.threshold,
        shown=report.shown,
        n=report.n if report.shown else None,
        mean=_num(report.mean),
        tables=[
            TableOut(
                title=t.title,
                cells=[
                    CellOut(label=c.label, hidden=not c.shown, n=c.n, share=_num(c.share), mean=_num(c.mean))
                    for c in t.cells
                ],
            )
            for t in report.tables
        ],
    )


@router.get(
    "/shared/{response_id}",
    response={200: ResponseOut, **error_responses(401, 404, 422)},
    url_name="measurement_shared",
)
def shared(request: ApiRequest, response_id: int = Path(..., ge=1, le=MAX_ID)) -> ResponseOut:
    """Answers a client chose to share with you. The read is logged."""
    response = selectors.response_get_for_worker(worker=request.auth, pk=response_id, route=request.path)
    return _response_out(response)
