from functools import cached_property

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "osallisuus.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        # Imported here: models and the navigation registry need the app registry loaded.
        from osallisuus.core import navigation
        from osallisuus.core.navigation import NavEntry, register

        from . import signals
        from .models import User
        from .permissions import P, UserPermissions
        from .selectors import memberships_of

        prop = cached_property(UserPermissions)
        prop.__set_name__(User, "permissions")
        User.permissions = prop  # type: ignore[method-assign,assignment]
        signals.connect()
        navigation.set_memberships_loader(lambda user: list(memberships_of(user=user)))

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
