"""Logins at identity providers: who is who at which provider, the sessions they started, the
logins waiting for an administrator, invitation links and the organisations' login rules."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_otp.models import Device

from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

if TYPE_CHECKING:
    from osallisuus.accounts.models import User


class ProviderLink(Device):
    """A person's account at one identity provider, known by the provider's stable subject
    identifier (``sub``) within its issuer; never by e-mail.

    A link is made only through a verified path: the person's invitation link, or an
    administrator's confirmation. It is also a django-otp device that never accepts a typed
    code: a session is marked verified with it only when the provider's ID token showed a
    multi-factor or strong identification (``acr``/``amr``), so staff skip the one-time code then.
    """

    class MadeBy(models.TextChoices):
        INVITATION = "invitation", _("the person's invitation link")
        ADMINISTRATOR = "administrator", _("an administrator's confirmation")

    # Typed here: django-otp's Device has no type information.
    user: models.ForeignKey[User, User] = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("a person's user account", "account"),
    )
    provider: models.CharField[str, str] = models.CharField(_("identity provider"), max_length=40)
    issuer: models.CharField[str, str] = models.CharField(_("issuer"), max_length=300)
    subject: models.CharField[str, str] = models.CharField(_("subject identifier at the provider"), max_length=255)
    made_by: models.CharField[str, str] = models.CharField(_("linked through"), max_length=20, choices=MadeBy.choices)
    created_at: models.DateTimeField[dt.datetime, dt.datetime] = models.DateTimeField(
        pgettext_lazy("when a login was connected", "linked"), default=timezone.now
    )
    last_login_at: models.DateTimeField[dt.datetime | None, dt.datetime | None] = models.DateTimeField(
        pgettext_lazy("login with a provider", "last login"), null=True, blank=True
    )

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=("name", "provider", "issuer", "subject", "made_by", "created_at", "last_login_at"),
        purpose=_("Let the person log in with their organisation's login or strong identification."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["provider", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="identity_link_unique_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="identity_link_one_per_issuer"),
        ]
        verbose_name = _("login with an identity provider")
        verbose_name_plural = _("logins with identity providers")

    def __str__(self) -> str:
        return f"{self.user} – {self.provider}"

    def verify_token(self, token: object) -> bool:
        """No code is ever typed for a provider login."""
        return False


class LoginSession(models.Model):
    """One session started with a provider login: the level of assurance it had, and the keys
    to end it when the provider tells us the person logged out there (back-channel logout)."""

    class EndReason(models.TextChoices):
        LOGOUT = "logout", _("logged out here")
        PROVIDER = "provider", _("logged out at the identity provider")
        EXPIRED = "expired", pgettext_lazy("a session", "expired")

    link = models.ForeignKey(ProviderLink, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=64, db_index=True)
    sid = models.CharField(_("session at the provider"), max_length=255, blank=True, db_index=True)
    acr = models.CharField(_("level of assurance (acr)"), max_length=200, blank=True)
    amr = models.JSONField(_("authentication methods (amr)"), default=list, blank=True)
    multi_factor = models.BooleanField(pgettext_lazy("a login", "multi-factor"), default=False)
    strong = models.BooleanField(_("strong identification"), default=False)
    started_at = models.DateTimeField(pgettext_lazy("a session", "started"), default=timezone.now)
    ended_at = models.DateTimeField(pgettext_lazy("a session", "ended"), null=True, blank=True)
    end_reason = models.CharField(_("how it ended"), max_length=20, choices=EndReason.choices, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="link__user",
        fields=("acr", "amr", "multi_factor", "strong", "started_at", "ended_at", "end_reason"),
        purpose=_("Know how strongly the person was identified and end the session when they log out elsewhere."),
        erasure=Erasure.DELETE,
        retention=_("Removed some time after the session ended (90 days by default)."),
        never_export=("session_key", "sid"),
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("session started with an identity provider")
        verbose_name_plural = _("sessions started with identity providers")

    def __str__(self) -> str:
        return f"{self.link} {self.started_at:%Y-%m-%d %H:%M}"


class PendingLink(models.Model):
    """A first login whose subject is not linked to any account yet. It waits for an
    administrator to confirm which account it belongs to (``account``, suggested when one
    account has the same verified e-mail, but never linked by the e-mail alone)."""

    provider = models.CharField(_("identity provider"), max_length=40)
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject identifier at the provider"), max_length=255)
    claimed_name = models.CharField(_("name given by the provider"), max_length=200, blank=True)
    claimed_email = models.EmailField(_("e-mail given by the provider"), blank=True)
    email_verified = models.BooleanField(_("the provider has verified the e-mail"), default=False)
    account = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account to link"),
        help_text=_("Choose the person's account, check that it is theirs, and confirm."),
    )
    created_at = models.DateTimeField(_("first login"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("latest login"), default=timezone.now)
    attempts = models.PositiveIntegerField(pgettext_lazy("how many times", "logins"), default=1)

    personal_data: ClassVar = PersonalData(
        subject="account",
        fields=("provider", "subject", "claimed_name", "claimed_email", "email_verified", "created_at", "last_seen_at"),
        purpose=_("Let an administrator confirm which account a first login with an identity provider belongs to."),
        erasure=Erasure.DELETE,
        retention=_("Removed when confirmed or refused, or after 30 days."),
    )

    class Meta:
        ordering = ["-last_seen_at"]
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="identity_pending_unique_subject")]
        verbose_name = _("login waiting for confirmation")
        verbose_name_plural = _("logins waiting for confirmation")

    def __str__(self) -> str:
        return f"{self.claimed_name or self.subject[:12]} – {self.provider}"


class Invitation(models.Model):
    """A link sent to a person's e-mail: logging in with the provider through it connects that
    login to the person's account. Only the SHA-256 hash of the link's secret is stored."""

    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("whom an invitation is for", "person"),
    )
    provider = models.CharField(_("identity provider"), max_length=40)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(pgettext_lazy("an invitation", "sent"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("valid until"), editable=False)
    used_at = models.DateTimeField(pgettext_lazy("an invitation", "used"), null=True, blank=True, editable=False)

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=("provider", "created_at", "expires_at", "used_at"),
        purpose=_("Let the person connect their login at an identity provider to their account."),
        erasure=Erasure.DELETE,
        retention=_("Removed 30 days after it was used or expired."),
        never_export=("token_hash",),
        extra_subjects=("created_by",),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation to log in with an identity provider")
        verbose_name_plural = _("invitations to log in with an identity provider")

    def __str__(self) -> str:
        return f"{self.user} – {self.provider}"


class LoginRule(models.Model):
    """How the staff of one organisation log in. An administrator can turn password login off,
    so staff log in only with the organisation's identity provider."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    staff_password_login = models.BooleanField(
        _("staff may log in with a password"),
        default=True,
        help_text=_(
            "Turn off when the organisation's staff log in with its identity provider. People in the "
            "organisation without a staff role (participants, experts by experience) keep their password."
        ),
    )
    updated_at = models.DateTimeField(pgettext_lazy("a login rule", "changed"), auto_now=True)

    personal_data: ClassVar = NoPersonalData(reason=_("A rule about how an organisation's staff log in."))

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("login rule")
        verbose_name_plural = _("login rules")

    def __str__(self) -> str:
        return str(self.organisation)
