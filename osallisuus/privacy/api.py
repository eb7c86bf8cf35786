"""Privacy endpoints: the same selectors and services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Router, Schema

from osallisuus.core.api import MAX_OFFSET, error_responses
from osallisuus.core.http import ApiRequest
from osallisuus.core.paging import clamp_limit

from . import selectors, services

router = Router(tags=["privacy"])


class AccessLogOut(Schema):
    occurred_at: dt.datetime
    actor: str
    organisation: str
    object_type: str
    action: str
    purpose: str


@router.get(
    "/who-has-seen-my-data", response={200: list[AccessLogOut], **error_responses(401, 422)}, url_name="my_access_log"
)
def my_access_log(
    request: ApiRequest,
    limit: int = 50,
    offset: int = 0,
    period: Literal["all", "30", "90", "365"] = "all",
) -> list[AccessLogOut]:
    """Entries about the caller written by others, newest first (client data act 703/2023)."""
    limit = clamp_limit(limit)
    offset = max(0, min(offset, MAX_OFFSET))
    rows = selectors.access_log_about(
        subject=request.auth,
        since=selectors.period_start(period),
    )[offset : offset + limit]
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


@router.get("/my-data", response={200: dict[str, Any], **error_responses(401)}, url_name="my_data")
def my_data(request: ApiRequest) -> dict[str, Any]:
    """Everything the register holds about the caller (the same export as the "My data" page)."""
    user = request.auth
    return services.subject_export(subject=user, actor=user, route=request.path)
