"""``Idempotency-Key`` for API writes that create agreements or move money.

A client that is not sure its POST arrived (a timeout, a dropped connection) sends it again
with the same ``Idempotency-Key`` header; it then gets the first answer again and nothing is
written a second time. One decorator line under the route:

    @router.post("/offers/{offer_id}/accept", response={201: AgreementOut, **WRITE_ERRORS})
    @idempotent
    def offer_accept(request, offer_id: int, payload: AcceptIn) -> Status[AgreementOut]: ...

How: the key is stored per person and endpoint (method and path) in ``IdempotencyKey``, with
a unique constraint, in the same transaction as the endpoint's own writes, and the answer is
stored with it when the endpoint returns. A second request with the key waits on that row
(the unique index on PostgreSQL, the write lock on SQLite) until the first commits, then
answers the stored answer; if the first failed, nothing was kept and the second runs as new.
Only successful answers are kept: a refusal wrote nothing, so sending again is safe anyway.
The same key with a different body is refused (422), as it is surely a client bug. Keys are
kept for ``RETENTION`` (a day), then removed by the scheduled ``core.idempotency_cleanup``.
Without the header the endpoint works as before.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import json
import re
import typing
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from ninja import Status

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
RETENTION = dt.timedelta(days=1)
_KEY_RE = re.compile(r"^[\x21-\x7e]{1,200}$")


def _user_of(request: HttpRequest) -> Any:
    user = getattr(request, "auth", None)
    if getattr(user, "pk", None) is None:
        user = getattr(request, "user", None)
    return user if getattr(user, "pk", None) is not None else None


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() if request.method else b"")
    digest.update(b"\0" + request.get_full_path().encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _split(result: Any) -> tuple[int, Any]:
    if isinstance(result, Status):
        return int(result.status_code), _plain(result.value)
    return 200, _plain(result)


def _refused(message: str) -> HttpResponse:
    return JsonResponse(
        {"detail": message, "errors": [{"loc": ["header", HEADER], "type": "idempotency_key", "msg": message}]},
        status=422,
    )


def response_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Make an API write answer a repeated ``Idempotency-Key`` with its first answer."""

    @functools.wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        user = _user_of(request)
        if key is None or user is None:
            return view(request, *args, **kwargs)
        if not _KEY_RE.match(key):
            return _refused(_("The Idempotency-Key is 1–200 visible characters without spaces."))
        endpoint = f"{request.method} {request.path}"[:300]
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(
                        user=user, endpoint=endpoint, key=key, request_hash=fingerprint
                    )
            except IntegrityError:
                # Another request with the key committed first: answer what it answered.
                first = IdempotencyKey.objects.get(user=user, endpoint=endpoint, key=key)
                if first.request_hash != fingerprint:
                    return _refused(_("This Idempotency-Key was already used for a different request."))
                return Status(first.status_code or 200, first.response_body)
            result = view(request, *args, **kwargs)
            if isinstance(result, HttpResponse):
                raise TypeError("An idempotent endpoint returns data for its response schema, not a response.")
            record.status_code, record.response_body = _split(result)
            record.response_hash = response_hash(record.response_body)
            record.save(update_fields=["status_code", "response_body", "response_hash"])
            return result

    # Django Ninja reads the parameters' types from the signature; with postponed annotations
    # it would resolve them in this module, so give it the view's own, already resolved.
    hints = typing.get_type_hints(view, include_extras=True)
    signature = inspect.signature(view)
    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p.replace(annotation=hints.get(p.name, p.annotation)) for p in signature.parameters.values()],
        return_annotation=hints.get("return", signature.return_annotation),
    )
    return run


@task()
def idempotency_cleanup() -> int:
    """Remove the keys older than ``RETENTION`` (scheduled daily)."""
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - RETENTION).delete()
    return deleted


__all__ = ["HEADER", "RETENTION", "idempotency_cleanup", "idempotent", "response_hash"]
