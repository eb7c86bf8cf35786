"""A slow job for the worker-killed drill (bench/faults.py): ten steps of half a second, each
leaving one feedback row, so the drill can count how many steps were done, and whether any was
done twice after its worker was killed."""

from __future__ import annotations

import time

from osallisuus.core import services
from osallisuus.core.jobs import job_task
from osallisuus.core.models import Feedback

STEPS = 10


@job_task()
def slow_steps(*, job_id: str) -> None:
    services.job_started(job_id=job_id, total=STEPS)
    for step in range(STEPS):
        Feedback.objects.create(topic=Feedback.Topic.SERVICE, message=f"drill-{job_id}-{step}")
        services.job_advance(job_id=job_id)
        time.sleep(0.5)
