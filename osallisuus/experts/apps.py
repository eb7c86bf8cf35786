import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "osallisuus.experts"
    label = "experts"
    verbose_name = _("Experts by experience")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import ngettext

        from osallisuus.accounts.permissions import register_relationship_policy
        from osallisuus.core import schedule
        from osallisuus.core.navigation import HomeEntry, NavEntry, QueueEntry, register, register_home, register_queue
        from osallisuus.measurement import services as measurement

        from . import notices
        from .feedback import task_link
        from .permissions import PLACEMENT_PARTNER, P, placement_partner_fields
        from .selectors import queues

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

        # What waits for each role, first on the front page (one COUNT query each).
        for queue in (
            QueueEntry(
                key="experts.new_requests",
                label=lambda n: ngettext("%(n)d new task request", "%(n)d new task requests", n) % {"n": n},
                url_name="experts:requests",
                url_query="status=submitted",
                count=lambda r: queues.new_requests_count(actor=r.user),  # type: ignore[arg-type]
                permission=P.BROKER,
                order=20,
            ),
            QueueEntry(
                key="experts.unanswered_offers",
                label=lambda n: (
                    ngettext("%(n)d offer unanswered for 3 days", "%(n)d offers unanswered for 3 days", n) % {"n": n}
                ),
                url_name="experts:requests",
                url_query="status=open",
                count=lambda r: queues.unanswered_offers_count(actor=r.user),  # type: ignore[arg-type]
                permission=P.BROKER,
                order=21,
            ),
            QueueEntry(
                key="experts.expenses_to_approve",
                label=lambda n: (
                    ngettext("%(n)d expense report to approve", "%(n)d expense reports to approve", n) % {"n": n}
                ),
                url_name="experts:payments",
                count=lambda r: queues.expenses_to_approve_count(actor=r.user),  # type: ignore[arg-type]
                permission=P.BROKER,
                order=22,
            ),
            QueueEntry(
                key="experts.no_supervision",
                label=lambda n: (
                    ngettext(
                        "%(n)d expert with no supervision in 60 days", "%(n)d experts with no supervision in 60 days", n
                    )
                    % {"n": n}
                ),
                url_name="experts:wellbeing",
                url_query="signal=no_supervision",
                count=lambda r: queues.no_supervision_count(actor=r.user),  # type: ignore[arg-type]
                permission=P.BROKER,
                order=23,
            ),
            QueueEntry(
                key="experts.workload",
                label=lambda n: (
                    ngettext("%(n)d expert with many tasks this month", "%(n)d experts with many tasks this month", n)
                    % {"n": n}
                ),
                url_name="experts:wellbeing",
                url_query="signal=many_tasks",
                count=lambda r: queues.workload_signal_count(actor=r.user),  # type: ignore[arg-type]
                permission=P.BROKER,
                order=24,
            ),
            QueueEntry(
                key="experts.open_offers",
                label=lambda n: (
                    ngettext("%(n)d task offer waits for your answer", "%(n)d task offers wait for your answer", n)
                    % {"n": n}
                ),
                url_name="experts:offers",
                count=lambda r: queues.open_offers_count(actor=r.user),  # type: ignore[arg-type]
                permission=P.ACT,
                order=20,
            ),
            QueueEntry(
                key="experts.next_tasks",
                label=lambda n: (
                    ngettext("%(n)d agreed task in the coming week", "%(n)d agreed tasks in the coming week", n)
                    % {"n": n}
                ),
                url_name="experts:offers",
                count=lambda r: queues.tasks_this_week_count(actor=r.user),  # type: ignore[arg-type]
                permission=P.ACT,
                order=21,
            ),
            QueueEntry(
                key="experts.to_confirm",
                label=lambda n: (
                    ngettext(
                        "%(n)d task to confirm: did it take place?", "%(n)d tasks to confirm: did they take place?", n
                    )
                    % {"n": n}
                ),
                url_name="experts:home",
                count=lambda r: queues.tasks_to_confirm_count(actor=r.user),  # type: ignore[arg-type]
                permission=P.ORDER,
                order=20,
            ),
        ):
            register_queue(queue)
