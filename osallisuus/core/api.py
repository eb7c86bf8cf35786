"""Shared API pieces: error answers in the user's language, paging, and the jobs endpoints.

Every error is JSON ``{"detail": "..."}`` (validation errors add ``errors``: where and
what, each with a plain message). Bad input gets 400, 404 or 422, never 500. Modules
reuse ``PageQuery`` for lists and ``error_responses`` to document their errors.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import model_validator

from . import tasks
from .errors import Refusal
from .jobs import job_get_for_owner, job_start
from .models import JobProgress

MAX_PAGE_SIZE = 200
MAX_OFFSET = 1_000_000

router = Router(tags=["jobs"])


# -- error answers ----------------------------------------------------------------------
class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in the user's language.")
    field: str | None = Field(None, description="The input the refusal is about, when there is one.")
    code: str | None = Field(None, description="A stable code for the kind of refusal, when there is one.")


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(description="Where: the part of the request and the field.")
    type: str = Field(description="A stable code for the kind of error.")
    msg: str = Field(description="What to fix, in the user's language.")


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


_ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


def error_responses(*codes: int) -> dict[int, type[Schema]]:
    """Document error answers in the schema: ``response={200: X, **error_responses(401, 404)}``."""
    return {code: _ERROR_SCHEMAS[code] for code in codes}


class PageQuery(Schema):
    """Paging for list endpoints: ``Query[PageQuery]``."""

    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="How many rows at most (1–200).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many rows to skip.")


def _field_error_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This value is required.")
    if kind in {"int_parsing", "int_type", "int_from_float", "int_parsing_size"}:
        return _("Give a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type"}:
        return _("Give a number.")
    if kind in {"uuid_parsing", "uuid_type", "uuid_version"}:
        return _("The identifier is not valid.")
    if kind.startswith("date") and "datetime" not in kind:
        return _("Give a date in the form YYYY-MM-DD.")
    if kind.startswith("datetime"):
        return _("Give a date and time in the form YYYY-MM-DDTHH:MM.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Give true or false.")
    if kind == "greater_than_equal":
        return _("Give a number of at least %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "greater_than":
        return _("Give a number greater than %(limit)s.") % {"limit": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("Give a number of at most %(limit)s.") % {"limit": ctx.get("le")}
    if kind == "less_than":
        return _("Give a number less than %(limit)s.") % {"limit": ctx.get("lt")}
    if kind == "string_too_long":
        return _("Use at most %(count)s characters.") % {"count": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Use at least %(count)s characters.") % {"count": ctx.get("min_length")}
    if kind in {"string_type", "string_unicode"}:
        return _("Give text.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("Send a JSON object.")
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Send a list.")
    if kind in {"enum", "literal_error"}:
        return _("Choose one of the allowed values.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind == "value_error" and isinstance(ctx.get("error"), ValueError | str):
        # Our own validators raise ValueError with a message already in the user's language.
        return str(ctx["error"])
    return _("This value is not valid.")


def _field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "loc": [part if isinstance(part, int) else str(part) for part in error.get("loc", ())],
            "type": str(error.get("type", "")),
            "msg": _field_error_message(error),
        }
        for error in errors
        if isinstance(error, dict)
    ]


# Messages Django Ninja raises itself, in English, and what the user sees instead.
def _ninja_message(exc: HttpError) -> str:
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        return _("The request body is not valid JSON.")
    if message == "CSRF check Failed":
        return _("The security check failed. Reload the page and try again.")
    if exc.status_code == 429:
        return _("Too many requests. Wait a moment and try again.")
    return message


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(Refusal)
    def refused(request: HttpRequest, exc: Refusal) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        body = {"detail": _("Check the data you sent."), "errors": _field_errors(list(exc.errors))}
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = api.create_response(request, {"detail": _("Log in or send a valid token.")}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="osallisuus"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": _ninja_message(exc)}, status=exc.status_code)


# -- jobs ---------------------------------------------------------------------------------
class JobOut(Schema):
    id: uuid.UUID
    label: str
    status: str = Field(description="queued, running, done or failed.")
    total: int
    done: int
    percent: int
    message: str
    progress_url: str = Field(description="The page that shows the progress.")
    download_url: str | None = Field(description="The result file, once the job is done.")


def job_out(job: JobProgress) -> JobOut:
    has_file = job.status == JobProgress.Status.DONE and bool(job.result_file)
    return JobOut(
        id=job.pk,
        label=job.label,
        status=job.status,
        total=job.total,
        done=job.done,
        percent=job.percent,
        message=job.message,
        progress_url=reverse("core:job_progress", args=[job.pk]),
        download_url=reverse("core:job_download", args=[job.pk]) if has_file else None,
    )


class AccessLogExportIn(Schema):
    since: dt.date | None = Field(None, description="First day to include (YYYY-MM-DD).")
    until: dt.date | None = Field(None, description="Last day to include (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _in_order(self) -> AccessLogExportIn:
        if self.since and self.until and self.until < self.since:
            raise ValueError(_("The last day must not be before the first day."))
        return self


@router.post(
    "/jobs/access-log-export",
    response={202: JobOut, **error_responses(400, 401, 403, 422)},
    url_name="job_access_log_export",
    summary="Export who has seen my data (CSV) in the background",
)
def job_access_log_export(request: HttpRequest, payload: AccessLogExportIn | None = None) -> Status[JobOut]:
    payload = payload or AccessLogExportIn(since=None, until=None)
    job = job_start(
        owner=request.auth,  # type: ignore[attr-defined]
        kind="core.access_log_export",
        label=_("Who has seen my data (CSV)"),
        task=tasks.access_log_export,
        since=payload.since.isoformat() if payload.since else None,
        until=payload.until.isoformat() if payload.until else None,
    )
    job.refresh_from_db()
    return Status(202, job_out(job))


@router.get("/jobs/{job_id}", response={200: JobOut, **error_responses(401, 404, 422)}, url_name="job")
def job_get(request: HttpRequest, job_id: uuid.UUID) -> JobOut:
    """The progress of one of your own background jobs. Others' jobs give 404."""
    return job_out(job_get_for_owner(owner=request.auth, job_id=job_id))  # type: ignore[attr-defined]
