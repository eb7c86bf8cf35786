"""Background tasks: e-mailed links of a round (invitations or reminders), and the daily runs."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from osallisuus.accounts.selectors import users_by_ids
from osallisuus.core import services as core_services
from osallisuus.core.jobs import JobError, job_task

from . import services
from .models import Round


@job_task()
def round_emails(*, job_id: str, round_id: int, kind_code: str, actor_id: int | None = None) -> None:
    """E-mail a round's personal links: the invitations not yet sent, or the reminders due."""
    actor = users_by_ids(ids=[actor_id]).get(actor_id) if actor_id else None
    round_ = Round.objects.select_related("instrument", "organisation").filter(pk=round_id).first()
    if round_ is None:
        raise JobError(_("The round no longer exists."))
    if not round_.is_open:
        raise JobError(_("The round is not open, so no e-mails were sent."))
    if kind_code == services.INVITATION_KIND:
        sent = services.invitations_email(round=round_, actor=actor)
        message = ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", sent) % {"count": sent}
    else:
        sent = services.reminders_send(round=round_, actor=actor)
        message = ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", sent) % {"count": sent}
    core_services.job_finish(job_id=job_id, message=message)


@task()
def retention_run() -> dict[str, int]:
    """Delete or anonymise the answers of rounds whose retention period has ended."""
    return services.retention_apply()


@task()
def reminders_run() -> int:
    """Remind everyone in every open round who was e-mailed a link and has not answered (at most
    every three days). First invitations are sent only when the round's manager asks."""
    return sum(services.reminders_send(round=r) for r in Round.objects.open().select_related("instrument"))
