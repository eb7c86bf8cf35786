"""Admin site: the rules (law and policy as data) and the programme frame are kept here; the
records of applying (applications, reviews, decisions) are read-only lookups, since every change to
them goes through the module's services (which check the deadline and the envelope, lock the
envelope row and write the change events). An envelope's ``decided`` and ``paid`` are never edited
by hand: only its cap and source."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Application,
    Call,
    Criterion,
    Decision,
    Envelope,
    FrameDocument,
    Funder,
    FundingRule,
    InfoEvent,
    Programme,
    Review,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FundingRule)
class FundingRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "value", "valid_from", "valid_until", "source")
    list_filter = ("kind",)


class FunderInline(admin.TabularInline):
    model = Funder
    extra = 0


class FrameDocumentInline(admin.TabularInline):
    model = FrameDocument
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "model", "year_from", "year_until")
    list_filter = ("model",)
    search_fields = ("name",)
    inlines = (FunderInline, FrameDocumentInline)


@admin.register(Envelope)
class EnvelopeAdmin(admin.ModelAdmin):
    list_display = ("funder", "year", "cap", "decided", "paid", "source")
    readonly_fields = ("decided", "paid")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.decisions.exists()


@admin.register(InfoEvent)
class InfoEventAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "starts_at", "attendance")


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "opens_at", "closes_at", "year")
    inlines = (CriterionInline,)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("title", "applicant", "call", "status", "tracking_number", "submitted_at")
    list_filter = ("status",)
    search_fields = ("title", "tracking_number", "eura_project_code", "diary_number")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("application", "funder", "submitted_at")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("number", "application", "funder", "outcome", "amount", "decided_on")
    list_filter = ("outcome",)
