import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "osallisuus.experts"
    label = "experts"
    verbose_name = _("Experts by experience")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from osallisuus.accounts.permissions import register_relationship_policy
        from osallisuus.core import schedule
        from osallisuus.core.navigation import HomeEntry, NavEntry, register, register_home
        from osallisuus.measurement import services as measurement

        from . import notices
        from .feedback import task_link
        from .permissions import PLACEMENT_PARTNER, placement_partner_fields

        notices.register_kinds()
        # What the lähityöntekijä sees on the expert's person page: the expert's consent decides.
        register_relationship_policy(PLACEMENT_PARTNER, placement_partner_fields)
        measurement.register_context_link("experts", task_link)
        schedule.register(
            "experts.reminders", "osallisuus.experts.tasks.reminders_send", every=dt.timedelta(minutes=15)
        )

        register(
            NavEntry(
                "experts:home",
                _("Experts by experience"),
                roles=("expert", "coordinator", "orderer", "partner_worker"),
                order=20,
            )
        )
        for entry in (
            HomeEntry(
                "expert",
                "experts:offers",
                _("Task offers"),
                _("Offers waiting for your answer and your agreed tasks."),
                order=10,
            ),
            HomeEntry(
                "expert",
                "experts:profile",
                _("My expert profile"),
                _("Experience areas, languages, availability and what you share."),
                order=11,
            ),
            HomeEntry(
                "expert",
                "experts:limits",
                _("My earnings limits"),
                _("See what fees do to your benefits before you accept a task."),
                order=12,
            ),
            HomeEntry(
                "coordinator",
                "experts:requests",
                _("Task requests"),
                _("Review requests, find suitable experts and make offers."),
                order=10,
            ),
            HomeEntry(
                "coordinator",
                "experts:expert_list",
                _("Experts by experience"),
                _("Profiles, training and wellbeing of your experts."),
                order=11,
            ),
            HomeEntry(
                "coordinator",
                "experts:payments",
                _("Payments"),
                _("Approve expenses and export fees for payroll."),
                order=12,
            ),
            HomeEntry(
                "orderer",
                "experts:request_new",
                _("Order an expert by experience"),
                _("File a request for a task."),
                order=10,
            ),
            HomeEntry(
                "orderer",
                "experts:requests",
                _("My organisation's requests"),
                _("Follow requests and confirm tasks that took place."),
                order=11,
            ),
        ):
            register_home(entry)
