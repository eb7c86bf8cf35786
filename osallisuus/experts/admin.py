"""Code lists, fee schedules, reference figures and recommendations are data the
administrator edits here; each carries its effective date and source."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import models, services


@admin.register(models.ExperienceArea, models.TaskType)
class CodeListAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fi", "name_sv", "name_en", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")


@admin.register(models.TrainingRecommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ("name", "min_hours", "min_months", "min_contact_days", "is_default", "source", "valid_from")


@admin.register(models.ReferenceFigure)
class ReferenceFigureAdmin(admin.ModelAdmin):
    list_display = ("kind", "amount", "valid_from", "valid_until", "unconfirmed", "source")
    list_filter = ("kind", "unconfirmed")


class FeeItemInline(admin.TabularInline):
    model = models.FeeItem
    extra = 1


@admin.register(models.FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "organisation",
        "valid_from",
        "valid_until",
        "is_example",
        "free_cancellation_hours",
        "travel_per_km",
    )
    list_filter = ("organisation", "is_example")
    inlines = [FeeItemInline]
    actions = ["copy_for_brokers"]

    @admin.action(description=_("Copy the example table for every organisation with experts, from today"))
    def copy_for_brokers(self, request: Any, queryset: Any) -> None:
        made = 0
        for example in queryset.filter(organisation__isnull=True):
            for org in services.brokering_organisations():
                services.fee_schedule_copy(
                    example=example, organisation=org, valid_from=dt.date.today(), actor=request.user
                )
                made += 1
        self.message_user(request, _("%(count)d fee schedules copied.") % {"count": made}, messages.SUCCESS)


@admin.register(models.SupportSession)
class SupportSessionAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "held_on")
    filter_horizontal = ("attendees",)


@admin.register(models.PeerEvent)
class PeerEventAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "kind", "starts_at", "capacity")
