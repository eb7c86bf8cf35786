from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "osallisuus.funding"
    label = "funding"
    verbose_name = _("Partnership funding")

    def ready(self) -> None:
        from osallisuus.core.notifications import Kind, register_kind

        from . import home

        register_kind(Kind("funding.decision", _("A funder decided on my funding application")))
        register_kind(Kind("funding.invited", _("My project idea was invited to apply for funding")))
        home.register_entries()
