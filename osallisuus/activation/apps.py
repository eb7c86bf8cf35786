from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivationConfig(AppConfig):
    name = "osallisuus.activation"
    label = "activation"
    verbose_name = _("Participant-led activation")

    def ready(self) -> None:
        from django.utils.translation import ngettext

        from osallisuus.core.navigation import HomeEntry, NavEntry, QueueEntry, register, register_home, register_queue
        from osallisuus.measurement import services as measurement

        from . import notices, selectors
        from .permissions import P

        notices.register_kinds()
        measurement.register_context_link("activation", selectors.plan_link)
        register(NavEntry("activation:my_plan", _("My plan"), permission=P.HAVE_PLAN, order=20))
        register(NavEntry("activation:catalogue", _("Activities"), permission=P.HAVE_PLAN, order=21))
        register(NavEntry("activation:caseload", _("My clients' plans"), permission=P.VIEW_CASELOAD, order=22))
        register(NavEntry("activation:provider_home", _("My activities"), permission=P.MANAGE_ACTIVITIES, order=23))
        register(NavEntry("activation:reports", _("Activation reports"), permission=P.VIEW_REPORTS, order=60))
        register_home(
            HomeEntry(
                "participant",
                "activation:my_plan",
                _("My plan"),
                _("Your goals, your activities and what happens next."),
                permission=P.HAVE_PLAN,
                order=10,
            )
        )
        register_home(
            HomeEntry(
                "participant",
                "activation:catalogue",
                _("Find an activity"),
                _("Activities near you that you can join."),
                permission=P.HAVE_PLAN,
                order=11,
            )
        )
        register_home(
            HomeEntry(
                "own_worker",
                "activation:caseload",
                _("My clients' plans"),
                _("The plans of the people you are own worker for, and their meeting requests."),
                permission=P.VIEW_CASELOAD,
                order=10,
            )
        )
        register_queue(
            QueueEntry(
                key="activation.meeting_requests",
                label=lambda n: (
                    ngettext("%(n)d meeting request waits for a time", "%(n)d meeting requests wait for a time", n)
                    % {"n": n}
                ),
                url_name="activation:caseload",
                count=lambda request: selectors.meeting_requests_count(actor=request.user),  # type: ignore[arg-type]
                permission=P.VIEW_CASELOAD,
                order=20,
            )
        )
        register_queue(
            QueueEntry(
                key="activation.plans_changed",
                label=lambda n: (
                    ngettext(
                        "%(n)d client's plan has changed since your last visit",
                        "%(n)d clients' plans have changed since your last visit",
                        n,
                    )
                    % {"n": n}
                ),
                url_name="activation:caseload",
                url_query="changed=1",
                count=lambda request: selectors.plans_changed_count(actor=request.user),  # type: ignore[arg-type]
                permission=P.VIEW_CASELOAD,
                order=21,
            )
        )
        register_home(
            HomeEntry(
                "activity_provider",
                "activation:provider_home",
                _("My activities"),
                _("Publish activities, see who has signed up and mark attendance."),
                permission=P.MANAGE_ACTIVITIES,
                order=10,
            )
        )
        for role in ("analyst", "civic_unit", "coordinator"):
            register_home(
                HomeEntry(
                    role,
                    "activation:reports",
                    _("Activation reports"),
                    _("Anonymous figures about plans, goals, activities and outcomes."),
                    permission=P.VIEW_REPORTS,
                    order=30,
                )
            )
