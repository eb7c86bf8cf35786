"""Background tasks of the core. ``access_log_export`` is the example for modules to copy.

The pattern, step by step:

1. ``@job_task()``: a ``django_tasks`` task whose progress the owner can watch.
2. Keyword arguments only, JSON values only (ids, ISO dates), ``job_id`` first.
3. Read through the same scoping as the pages (here: entries *about the owner*).
4. ``job_started(total=...)``, then ``job_advance`` every few hundred rows.
5. Write the file with ``osallisuus.core.exports`` (formula-safe CSV), in a temporary
   file so a large export does not fill the memory, and ``job_finish`` with it.
6. Start it from a view or an endpoint with ``job_start`` and show the progress page.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import formatting, services
from .access import purpose_label
from .exports import ENCODING, SafeCsvWriter
from .jobs import JobError, job_task
from .models import AccessLogEntry, JobProgress

ADVANCE_EVERY = 200
MEMORY_LIMIT = 5 * 1024 * 1024


@job_task()
def access_log_export(*, job_id: str, since: str | None = None, until: str | None = None) -> None:
    """CSV of the access-log entries about the job's owner: who has seen my data (act 703/2023)."""
    job = JobProgress.objects.get(pk=job_id)
    entries = AccessLogEntry.objects.filter(subject_id=job.owner_id).exclude(actor_id=job.owner_id)
    try:
        if since:
            entries = entries.filter(occurred_at__date__gte=dt.date.fromisoformat(since))
        if until:
            entries = entries.filter(occurred_at__date__lte=dt.date.fromisoformat(until))
    except ValueError:
        raise JobError(_("The dates of the export are not valid.")) from None
    entries = entries.order_by("occurred_at", "id")

    services.job_started(job_id=job_id, total=entries.count())
    with tempfile.SpooledTemporaryFile(max_size=MEMORY_LIMIT) as raw:
        text = io.TextIOWrapper(raw, encoding=ENCODING, newline="")
        writer = SafeCsvWriter(text)
        writer.writerow([_("Time"), _("Who"), _("Organisation"), _("Action"), _("What"), _("Purpose")])
        written = 0
        for entry in entries.iterator(chunk_size=500):
            writer.writerow(
                [
                    formatting.datetime(entry.occurred_at),
                    entry.actor_label,
                    entry.actor_organisation,
                    entry.get_action_display(),
                    entry.object_type,
                    purpose_label(entry.purpose),
                ]
            )
            written += 1
            if written % ADVANCE_EVERY == 0:
                services.job_advance(job_id=job_id, by=ADVANCE_EVERY)
        text.flush()
        text.detach()
        raw.seek(0)
        filename = f"access-log-{timezone.localdate().isoformat()}.csv"
        services.job_finish(
            job_id=job_id,
            file=File(raw, name=filename),
            filename=filename,
            message=ngettext("%(count)d entry.", "%(count)d entries.", written) % {"count": written},
        )

