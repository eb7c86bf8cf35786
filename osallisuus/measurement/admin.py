"""Admin site: instruments are read-only (imported and locked); uploads go through the import page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Instrument, Round


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "kind", "owner", "group_reporting_only", "is_active", "created_at")
    list_filter = ("kind", "group_reporting_only", "is_active")
    fields = ("code", "version", "kind", "owner", "licence", "attribution", "group_reporting_only", "is_active")
    readonly_fields = ("code", "version", "kind", "owner", "licence", "attribution", "group_reporting_only")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # imported from a file: /measurement/instruments/import/

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("name", "instrument", "organisation", "group_key", "phase", "opens_at", "closes_at")
    list_filter = ("organisation",)
    readonly_fields = ("instrument", "organisation", "retention_done_at")
