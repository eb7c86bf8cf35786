from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "osallisuus.privacy"
    label = "privacy"
    verbose_name = _("Privacy and data-subject rights")

    def ready(self) -> None:
        from osallisuus.accounts.permissions import P
        from osallisuus.core.navigation import HomeEntry, NavEntry, register, register_home

        register(NavEntry("privacy:my_data", _("My data"), order=90))
        register(NavEntry("privacy:access_log_search", _("Access log"), permission=P.ACCESSLOG_SEARCH, order=95))
        register(
            NavEntry("privacy:requests", _("Data-subject requests"), permission=P.PRIVACY_HANDLE_REQUESTS, order=96)
        )
        register_home(
            HomeEntry(
                "administrator",
                "privacy:requests",
                _("Data-subject requests"),
                _("Give a person a copy of their data, or erase it."),
                permission=P.PRIVACY_HANDLE_REQUESTS,
                order=95,
            )
        )
        register_home(
            HomeEntry(
                "administrator",
                "privacy:access_log_search",
                _("Access log"),
                _("Search who has read whose personal data."),
                permission=P.ACCESSLOG_SEARCH,
                order=96,
            )
        )
        register_home(
            HomeEntry(
                "administrator",
                "privacy:record_of_processing",
                _("Record of processing"),
                _("What personal data the service keeps, why, and for how long."),
                permission=P.PRIVACY_HANDLE_REQUESTS,
                order=97,
            )
        )
