from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "osallisuus.privacy"
    label = "privacy"
