"""Shared API pieces: error handlers that answer bad input with 4xx, never 500, and the jobs endpoint."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .models import JobProgress

router = Router(tags=["core"])


class JobOut(Schema):
    id: uuid.UUID
    label: str
    status: str
    total: int
    done: int
    percent: int
    message: str
    download_url: str | None


@router.get("/jobs/{job_id}", response=JobOut, url_name="job")
def job_get(request: HttpRequest, job_id: uuid.UUID) -> JobOut:
    job = get_object_or_404(JobProgress, pk=job_id, owner=request.auth)
    from django.urls import reverse

    return JobOut(
        id=job.pk,
        label=job.label,
        status=job.status,
        total=job.total,
        done=job.done,
        percent=job.percent,
        message=job.message,
        download_url=reverse("core:job_download", args=[job.pk]) if job.status == job.Status.DONE else None,
    )


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(
            request, {"detail": _("Check the data you sent."), "errors": exc.errors}, status=422
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": _("Log in or send a valid token.")}, status=401)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
