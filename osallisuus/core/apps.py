import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "osallisuus.core"
    label = "core"
    verbose_name = _("Foundation")

    def ready(self) -> None:
        # Imported here: these register checks, signals, purposes and jobs once the app registry is loaded.
        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            schedule,
        )
        from .access import discover_purposes
        from .collation import install

        install()
        discover_purposes()
        schedule.register(
            "core.notifications_cleanup",
            "osallisuus.core.notifications.notifications_cleanup",
            every=dt.timedelta(days=1),
        )
        schedule.register(
            "core.access_log_partitions",
            "osallisuus.core.partitions.access_log_partitions_make",
            every=dt.timedelta(days=1),
        )
        schedule.register("core.lost_tasks", "osallisuus.core.workers.lost_tasks_reap", every=dt.timedelta(minutes=1))
        schedule.register(
            "core.idempotency_cleanup",
            "osallisuus.core.idempotency.idempotency_cleanup",
            every=dt.timedelta(days=1),
        )
