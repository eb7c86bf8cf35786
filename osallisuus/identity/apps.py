import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "osallisuus.identity"
    label = "identity"
    verbose_name = _("Login with an identity provider")

    def ready(self) -> None:
        # Imported here: these modules read models and the settings of the loaded project.
        from osallisuus.accounts.services import LoginHooks, login_hooks_register
        from osallisuus.core import schedule
        from osallisuus.core.notifications import Kind, register_kind

        from . import checks, selectors, session

        checks.register()
        login_hooks_register(
            LoginHooks(
                name="identity",
                sections=session.login_sections,
                password_refusal=selectors.password_login_refusal,
                on_logout=session.on_logout,
            )
        )
        register_kind(Kind("identity.link_requested", _("Logins waiting for an administrator's confirmation")))
        register_kind(Kind("identity.linked", _("A login with an identity provider connected to your account")))
        schedule.register("identity.cleanup", "osallisuus.identity.tasks.cleanup", every=dt.timedelta(hours=6))
