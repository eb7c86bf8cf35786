"""Background tasks: reminders for a round, and the retention run (cron or the worker)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from osallisuus.core import services as core_services
from osallisuus.core.jobs import JobError, job_task

from . import services
from .models import Round


@job_task()
def round_reminders(*, job_id: str, round_id: int) -> None:
    round_ = Round.objects.select_related("instrument").filter(pk=round_id).first()
    if round_ is None:
        raise JobError(_("The round no longer exists."))
    if not round_.is_open:
        raise JobError(_("The round is not open, so no reminders were sent."))
    sent = services.reminders_send(round=round_)
    core_services.job_finish(
        job_id=job_id,
        message=ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", sent) % {"count": sent},
    )


@task()
def retention_run() -> dict[str, int]:
    """Delete or anonymise the answers of rounds whose retention period has ended."""
    return services.retention_apply()


@task()
def reminders_run() -> int:
    """Remind everyone in every open round who has not answered (at most every three days)."""
    return sum(services.reminders_send(round=r) for r in Round.objects.open().select_related("instrument"))
