from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from . import selectors

router = Router(tags=["privacy"])


class AccessLogOut(Schema):
    occurred_at: dt.datetime
    actor: str
    organisation: str
    object_type: str
    action: str
    purpose: str


@router.get("/who-has-seen-my-data", response=list[AccessLogOut], url_name="my_access_log")
def my_access_log(request: HttpRequest, limit: int = 50, offset: int = 0) -> list[AccessLogOut]:
    limit = max(1, min(limit, 200))
    rows = selectors.access_log_about(subject=request.auth)[max(0, offset) : max(0, offset) + limit]  # type: ignore[arg-type]
    return [
        AccessLogOut(
            occurred_at=e.occurred_at,
            actor=e.actor_label,
            organisation=e.actor_organisation,
            object_type=e.object_type,
            action=e.action,
            purpose=e.purpose,
        )
        for e in rows
    ]
