"""Code lists, fee schedules, reference figures and recommendations are data the
administrator edits here; each carries its effective date and source."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.core.access import log_access

from . import models, selectors, services


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
            for org in selectors.brokering_organisations():
                services.fee_schedule_copy(
                    example=example, organisation=org, valid_from=timezone.localdate(), actor=request.user
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


class TrainingCourseInline(admin.TabularInline):
    """Courses are recorded by the coordinator (the totals used in matching follow them)."""

    model = models.TrainingCourse
    extra = 0
    can_delete = False
    fields = ("kind", "title", "organiser", "contact_days", "hours", "months", "completed_on")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Expert)
class ExpertAdmin(admin.ModelAdmin):
    """The registry for administrators. Coordinators add experts and change their status on the
    expert pages, which grant the role, tell the expert and withdraw offers; so adding,
    deleting (history must stay) and the status are not done here. The diagnoses, the story and
    the reason for a pause are not shown at all; the expert's own choices are read-only."""

    list_display = ("user", "organisation", "status", "paused_until", "ended_on", "region", "training_hours")
    list_filter = ("organisation", "status", "perspective")
    list_select_related = ("user", "organisation")
    search_fields = ("user__full_name", "user__email")
    filter_horizontal = ("experience_areas", "task_types")
    inlines = [TrainingCourseInline]
    fieldsets = (
        (None, {"fields": ("user", "organisation", "status", "paused_until", "ended_on")}),
        (
            _("Profile"),
            {
                "fields": (
                    "experience_areas",
                    "perspective",
                    "languages",
                    "region",
                    "municipalities",
                    "task_types",
                    "works_remotely",
                    "works_on_site",
                )
            },
        ),
        (
            _("The expert's own choices"),
            {
                "fields": (
                    "contact_preferences",
                    "share_diagnoses",
                    "share_story",
                    "share_contact",
                    "consent_recorded_at",
                    "story_students",
                    "story_professionals",
                    "story_media",
                    "story_recordings",
                )
            },
        ),
        (
            _("Training and offers"),
            {"fields": ("training_hours", "training_months", "training_contact_days", "last_offered_at")},
        ),
    )
    readonly_fields = (
        "user",
        "organisation",
        "status",
        "paused_until",
        "ended_on",
        "perspective",
        "contact_preferences",
        "share_diagnoses",
        "share_story",
        "share_contact",
        "consent_recorded_at",
        "story_students",
        "story_professionals",
        "story_media",
        "story_recordings",
        "training_hours",
        "training_months",
        "training_contact_days",
        "last_offered_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        expert = self.get_object(request, unquote(object_id))
        if expert is not None and expert.user_id != request.user.pk:
            log_access(
                actor=request.user,  # type: ignore[arg-type]
                subject_id=expert.user_id,
                obj=expert,
                purpose="expert profile (administrator)",
                route=request.path,
            )
        return super().change_view(request, object_id, form_url, extra_context)
