"""The identity module's periodic job: the retention of waiting logins, invitations and session records."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def cleanup() -> dict[str, int]:
    return services.cleanup()
