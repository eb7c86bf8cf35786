from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def task_link(context_ref: str, user: Any) -> tuple[str, str] | None:
    """Measurement's link back from the task feedback (context ``agreement:<pk>``) to the task,
    for a person who may open the task; ``None`` for anyone else. Reads no personal data."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from .permissions import agreements_visible

    kind, _sep, pk = context_ref.partition(":")
    if kind != "agreement" or not pk.isdigit() or not agreements_visible(user).filter(pk=int(pk)).exists():
        return None
    return gettext("Back to the task"), reverse("experts:agreement_detail", args=[int(pk)])


class ExpertsConfig(AppConfig):
    name = "osallisuus.experts"
    label = "experts"
    verbose_name = _("Experts by experience")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from osallisuus.core.navigation import HomeEntry, NavEntry, register, register_home
        from osallisuus.measurement import services as measurement

        measurement.register_context_link("experts", task_link)

        register(
            NavEntry(
                "experts:home",
                _("Experts by experience"),
                roles=("expert", "coordinator", "orderer", "partner_worker"),
                order=20,
            )
        )
        register_home(
            HomeEntry(
                "expert",
                "experts:offers",
                _("Task offers"),
                _("Offers waiting for your answer and your agreed tasks."),
                order=10,
            )
        )
        register_home(
            HomeEntry(
                "expert",
                "experts:profile",
                _("My expert profile"),
                _("Experience areas, languages, availability and what you share."),
                order=11,
            )
        )
        register_home(
            HomeEntry(
                "expert",
                "experts:limits",
                _("My earnings limits"),
                _("See what fees do to your benefits before you accept a task."),
                order=12,
            )
        )
        register_home(
            HomeEntry(
                "coordinator",
                "experts:requests",
                _("Task requests"),
                _("Review requests, find suitable experts and make offers."),
                order=10,
            )
        )
        register_home(
            HomeEntry(
                "coordinator",
                "experts:expert_list",
                _("Experts by experience"),
                _("Profiles, training and wellbeing of your experts."),
                order=11,
            )
        )
        register_home(
            HomeEntry(
                "coordinator",
                "experts:payments",
                _("Payments"),
                _("Approve expenses and export fees for payroll."),
                order=12,
            )
        )
        register_home(
            HomeEntry(
                "orderer",
                "experts:request_new",
                _("Order an expert by experience"),
                _("File a request for a task."),
                order=10,
            )
        )
        register_home(
            HomeEntry(
                "orderer",
                "experts:requests",
                _("My organisation's requests"),
                _("Follow requests and confirm tasks that took place."),
                order=11,
            )
        )
        import datetime as dt

        from osallisuus.core import schedule

        schedule.register(
            "experts.reminders", "osallisuus.experts.tasks.reminders_send", every=dt.timedelta(minutes=15)
        )
