"""The admin site's part of provider logins: an administrator confirms which account a first
login belongs to (or refuses it), sends invitation links, removes a connected login and sets
whether the staff of an organisation may still log in with a password. Every change goes
through ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osallisuus.core.errors import Refusal

from . import services
from .models import Invitation, LoginRule, LoginSession, PendingLink, ProviderLink
from .providers import providers

CONFIRM = "_confirm_link"


class DeleteThroughServiceMixin:
    """The admin's delete buttons call the module's service (which records the change)."""

    def remove(self, obj: Any, actor: Any) -> None:
        raise NotImplementedError

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.remove(obj, request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.remove(obj, request.user)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PendingLink)
class PendingLinkAdmin(DeleteThroughServiceMixin, admin.ModelAdmin):
    list_display = ("claimed_name", "claimed_email", "provider", "account", "created_at", "last_seen_at")
    list_filter = ("provider",)
    search_fields = ("claimed_name", "claimed_email")
    fields = (
        "provider",
        "claimed_name",
        "claimed_email",
        "email_verified",
        "created_at",
        "last_seen_at",
        "attempts",
        "account",
    )
    readonly_fields = (
        "provider",
        "claimed_name",
        "claimed_email",
        "email_verified",
        "created_at",
        "last_seen_at",
        "attempts",
    )
    autocomplete_fields = ("account",)
    change_form_template = "admin/identity/pendinglink/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def response_change(self, request: HttpRequest, obj: PendingLink) -> HttpResponse:
        if CONFIRM not in request.POST:
            return super().response_change(request, obj)
        try:
            link = services.pending_link_confirm(pending=obj, account=obj.account, actor=request.user)  # type: ignore[arg-type]
        except Refusal as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(
            request, _("The login is now connected to %(account)s.") % {"account": link.user}, messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:identity_pendinglink_changelist"))

    def remove(self, obj: PendingLink, actor: Any) -> None:
        services.pending_link_refuse(pending=obj, actor=actor)


@admin.register(ProviderLink)
class ProviderLinkAdmin(DeleteThroughServiceMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("user", "provider", "made_by", "created_at", "last_login_at")
    list_filter = ("provider", "made_by")
    search_fields = ("user__full_name", "user__email")
    fields = ("user", "provider", "issuer", "made_by", "created_at", "last_login_at")
    readonly_fields = fields

    def remove(self, obj: ProviderLink, actor: Any) -> None:
        services.link_remove(link=obj, actor=actor)


@admin.register(LoginSession)
class LoginSessionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("link", "started_at", "multi_factor", "strong", "acr", "ended_at", "end_reason")
    list_filter = ("multi_factor", "strong", "end_reason")
    fields = ("link", "acr", "amr", "multi_factor", "strong", "started_at", "ended_at", "end_reason")
    readonly_fields = fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InvitationForm(forms.ModelForm):
    provider = forms.ChoiceField(label=_("identity provider"), choices=())

    class Meta:
        model = Invitation
        fields = ("user", "provider")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p.key, p.label()) for p in providers().values()]  # type: ignore[attr-defined]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    form = InvitationForm
    list_display = ("user", "provider", "created_at", "expires_at", "used_at")
    list_filter = ("provider",)
    search_fields = ("user__full_name", "user__email")
    autocomplete_fields = ("user",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        sent = services.invitation_send(user=obj.user, provider_key=obj.provider, actor=request.user)  # type: ignore[arg-type]
        obj.pk = sent.pk  # the admin's history names the invitation the service made
        obj._state.adding = False

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        try:
            return super().add_view(request, form_url, extra_context)
        except Refusal as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return HttpResponseRedirect(request.path)


@admin.register(LoginRule)
class LoginRuleAdmin(admin.ModelAdmin):
    list_display = ("organisation", "staff_password_login", "updated_at")
    list_filter = ("staff_password_login",)
    autocomplete_fields = ("organisation",)

    def save_model(self, request: HttpRequest, obj: LoginRule, form: Any, change: bool) -> None:
        services.login_rule_save(rule=obj, actor=request.user)  # type: ignore[arg-type]
