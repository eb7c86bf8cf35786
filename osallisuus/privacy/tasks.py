"""Background jobs of privacy: the "download my data" export."""

from __future__ import annotations

import json

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from osallisuus.core import services as core_services
from osallisuus.core.jobs import job_task

from . import register, services


def export_filename() -> str:
    """``osallisuus-omat-tiedot-2026-11-28.json`` in the active language."""
    stem = slugify(_("my data")) or "my-data"
    return f"osallisuus-{stem}-{timezone.localdate():%Y-%m-%d}.json"


@job_task()
def subject_export_job(*, job_id: str, subject_id: int, actor_id: int) -> None:
    """Write the person's export as a JSON file on the job, for the job's owner to download."""
    core_services.job_started(job_id=job_id, total=1)
    people = register.user_model()._base_manager
    subject = people.get(pk=subject_id)
    actor = people.get(pk=actor_id)
    data = services.subject_export(subject=subject, actor=actor)  # type: ignore[arg-type]
    payload = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    core_services.job_finish(job_id=job_id, file=ContentFile(payload), filename=export_filename())
