from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "osallisuus.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from osallisuus.core.navigation import NavEntry, register

        from .permissions import P

        register(NavEntry("core:home", _("Front page"), order=0))
        register(NavEntry("accounts:people", _("People"), permission=P.PEOPLE_VIEW_ORGANISATION, order=80))
        register(
            NavEntry(
                "accounts:people",
                _("My clients"),
                permission=P.PEOPLE_VIEW_CLIENTS,
                order=81,
                when=lambda r: not r.user.permissions.has(P.PEOPLE_VIEW_ORGANISATION),  # type: ignore[union-attr]
            )
        )
