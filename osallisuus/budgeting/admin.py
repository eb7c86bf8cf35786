"""Admin site: processes, proposals and purchases to look up, read-only.

Every change goes through the module's pages and services (they check the phase, keep the
history and write the change events). Ballots, voting codes, the list of who voted and the
voters' list are not in the admin site at all: nothing here may bring a ballot and a person
side by side.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Process, Proposal, Purchase


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Process)
class ProcessAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation", "phase", "budget", "winner_rule", "voting_from", "voting_until")
    list_filter = ("phase", "winner_rule", "ballot_style")
    search_fields = ("name",)


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "process", "status", "cost")
    list_filter = ("status",)
    search_fields = ("title",)
    exclude = ("image",)


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "kind", "provider_name", "amount", "agreed_on", "status", "delivered_on")
    list_filter = ("kind", "status")
