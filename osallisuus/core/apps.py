from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "osallisuus.core"
    label = "core"
