from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    name = "osallisuus.measurement"
    label = "measurement"
    verbose_name = _("Measuring inclusion")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from osallisuus.core.navigation import HomeEntry, NavEntry, register, register_home
        from osallisuus.core.notifications import Kind, register_kind

        from .permissions import P
        from .services import INVITATION_KIND, REMINDER_KIND
        from .signals import import_shipped_instruments

        post_migrate.connect(import_shipped_instruments, sender=self, dispatch_uid="measurement_instruments")
        # Answering is voluntary: a person who turns these e-mails off still sees the invitation
        # under Questionnaires (no force_email).
        register_kind(
            Kind(
                INVITATION_KIND,
                _("Invitations to answer a questionnaire"),
                description=_("The e-mail brings your personal link; the invitation is always under Questionnaires."),
            )
        )
        register_kind(
            Kind(
                REMINDER_KIND,
                _("Reminders to answer a questionnaire"),
                description=_("At most one every three days, only while you have not sent your answers."),
            )
        )

        register(NavEntry("measurement:my_questionnaires", _("Questionnaires"), order=60))
        register(NavEntry("measurement:reports", _("Inclusion reports"), permission=P.VIEW_REPORTS, order=61))
        register(NavEntry("measurement:rounds", _("Measurement rounds"), permission=P.MANAGE_ROUNDS, order=62))
        register(NavEntry("measurement:instruments", _("Instruments"), permission=P.MANAGE_INSTRUMENTS, order=63))
        register(NavEntry("measurement:external", _("External instruments"), permission=P.RECORD_EXTERNAL, order=64))
        register_home(
            HomeEntry(
                "own_worker",
                "measurement:external",
                _("External instruments"),
                _("Record that Kykyviisari or AVAIN was done with a client, and where the result is kept."),
                permission=P.RECORD_EXTERNAL,
                order=63,
            )
        )
        for role in ("participant", "expert"):
            register_home(
                HomeEntry(
                    role,
                    "measurement:my_questionnaires",
                    _("Questionnaires"),
                    _("Answer the questionnaires you have been invited to and see your own answers."),
                    order=60,
                )
            )
        register_home(
            HomeEntry(
                "analyst",
                "measurement:reports",
                _("Inclusion reports"),
                _("Group results of the measurement rounds. Small groups are hidden."),
                permission=P.VIEW_REPORTS,
                order=60,
            )
        )
        for role in ("own_worker", "coordinator"):
            register_home(
                HomeEntry(
                    role,
                    "measurement:shared_with_me",
                    _("Answers shared with me"),
                    _("Questionnaire answers your clients have chosen to share with you."),
                    order=61,
                )
            )
            register_home(
                HomeEntry(
                    role,
                    "measurement:rounds",
                    _("Measurement rounds"),
                    _("Invite a group to answer a questionnaire and follow how many have answered."),
                    permission=P.MANAGE_ROUNDS,
                    order=62,
                )
            )
        import datetime as dt

        from osallisuus.core import schedule

        schedule.register(
            "measurement.retention", "osallisuus.measurement.tasks.retention_run", every=dt.timedelta(days=1)
        )
        schedule.register(
            "measurement.reminders", "osallisuus.measurement.tasks.reminders_run", every=dt.timedelta(days=1)
        )
