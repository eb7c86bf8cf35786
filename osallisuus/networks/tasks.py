"""Background jobs of networked work: a snapshot's analysis and layout, computed once."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from osallisuus.core import services as core
from osallisuus.core.jobs import job_task

from . import services


@job_task()
def snapshot_compute_task(*, job_id: str, snapshot_id: int) -> None:
    core.job_started(job_id=job_id, total=4)
    messages = {1: _("Ties read"), 2: _("Figures computed"), 3: _("Picture laid out")}

    def progress(step: int) -> None:
        core.job_advance(job_id=job_id, message=messages.get(step, ""))

    services.snapshot_compute(snapshot_id=snapshot_id, progress=progress)
    core.job_advance(job_id=job_id)
    core.job_finish(job_id=job_id, message=_("The picture is ready."))


@task()
def monthly_snapshots_task() -> int:
    """The periodic job (``core.schedule``, daily): the snapshot of each open network on the first
    day of the month, computed once."""
    return services.monthly_snapshots()
