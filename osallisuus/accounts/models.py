from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

from .permission_cache import invalidate_all, invalidate_user

if TYPE_CHECKING:
    from .permissions import UserPermissions


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Identified by e-mail; roles come from memberships."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")], default="fi"
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    personal_data: ClassVar = PersonalData(
        subject="pk",
        fields=("email", "full_name", "phone", "municipality", "preferred_language", "last_login", "date_joined"),
        purpose=_("Identify the person, let them log in and reach them."),
        erasure=Erasure.ANONYMISE,
        never_export=("password",),
    )

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Deactivated accounts are few: matching excludes them through this small index
        # instead of joining every user row.
        indexes = [models.Index(fields=["id"], condition=models.Q(is_active=False), name="user_inactive_idx")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    if TYPE_CHECKING:
        # Attached in AccountsConfig.ready (``accounts.permissions`` reads these models).
        @cached_property
        def permissions(self) -> UserPermissions: ...


class EveryoneRightsQuerySet(models.QuerySet[Any]):
    """A bulk change of organisations, roles or permissions forgets everyone's cached rights."""

    def update(self, **kwargs: Any) -> int:
        count = super().update(**kwargs)
        invalidate_all()
        return count


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        WELLBEING_COUNTY = "wellbeing_county", _("Wellbeing services county")
        NGO = "ngo", _("Non-governmental organisation")
        FUNDER = "funder", _("Funder")
        SCHOOL = "school", _("School")
        COMPANY = "company", _("Company")
        OTHER = "other", pgettext_lazy("a kind of organisation", "Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    business_id = models.CharField(_("business ID"), max_length=20, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    may_order_experts = models.BooleanField(_("staff may order experts by experience"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    objects = EveryoneRightsQuerySet.as_manager()

    personal_data: ClassVar = NoPersonalData(reason=_("Organisations are legal persons, not natural persons."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Permission(models.Model):
    """Something a role allows, e.g. ``people.view_organisation``. Seeded as data; editable."""

    code = models.CharField(_("code"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300)

    personal_data: ClassVar = NoPersonalData(reason=_("Code list."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("permission")
        verbose_name_plural = _("permissions")

    def __str__(self) -> str:
        return self.code


class Role(models.Model):
    """A role from the brief (coordinator, own worker, participant...). Permissions are data."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    requires_second_factor = models.BooleanField(
        _("requires a second factor"),
        default=False,
        help_text=_("Staff roles that see people's personal data must log in with a one-time code."),
    )
    is_staff_role = models.BooleanField(_("staff role"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=100)
    permissions = models.ManyToManyField(Permission, related_name="roles", blank=True)

    objects = EveryoneRightsQuerySet.as_manager()

    personal_data: ClassVar = NoPersonalData(reason=_("Code list."))

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "fi")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_fi)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def update(self, **kwargs: Any) -> int:
        """A bulk change of memberships also forgets the cached rights of those people at once."""
        user_ids = set(self.values_list("user_id", flat=True))
        count = super().update(**kwargs)
        for user_id in user_ids:
            invalidate_user(user_id)
        return count

    def current(self, on: dt.date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
            organisation__is_active=True,
        )


class Membership(TimeStampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    roles = models.ManyToManyField(Role, related_name="memberships")
    title = models.CharField(pgettext_lazy("a person's job title", "title"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=("title", "valid_from", "valid_until"),
        purpose=_("Which organisations a person acts for, and in which roles."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class RelationshipQuerySet(models.QuerySet["Relationship"]):
    def current(self, on: dt.date | None = None) -> RelationshipQuerySet:
        """In force on ``on``: started on or before it and not yet ended. ``ended_on`` is the day
        the relationship ended, so from that day on it no longer gives access (an agreement that
        ends today closes the person page today, not tomorrow)."""
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))


class Relationship(TimeStampedModel):
    """A working relationship that gives a worker access to one person's data.

    An own worker (omatyöntekijä) and their client; a lähityöntekijä and the expert by
    experience they walk beside on one agreed task (made by that agreement, ended with it:
    ``source_ref`` names it). Modules create these through ``accounts.services``. What each
    kind shows of the person is ``accounts.permissions.person_view``.
    """

    class Kind(models.TextChoices):
        OWN_WORKER = "own_worker", _("Own worker and client")
        PLACEMENT_PARTNER = "placement_partner", _("Works beside an expert by experience on an agreed task")

    worker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="clients_rel")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="workers_rel")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="relationships")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    started_on = models.DateField(_("started"), default=timezone.localdate)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    source_ref = models.CharField(
        _("made by"),
        max_length=100,
        blank=True,
        help_text=_("What made the relationship and ends it, e.g. an agreement (no personal data)."),
    )

    objects = RelationshipQuerySet.as_manager()

    personal_data: ClassVar = PersonalData(
        subject="person",
        fields=("started_on", "ended_on", "kind"),
        purpose=_("Who works with the person and may therefore see their data."),
        erasure=Erasure.DELETE,
        extra_subjects=("worker",),
    )

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(condition=~Q(worker=models.F("person")), name="relationship_not_self"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="relationship_ends_after_start",
            ),
        ]
        verbose_name = _("working relationship")
        verbose_name_plural = _("working relationships")

    def __str__(self) -> str:
        return f"{self.worker} → {self.person} ({self.kind})"


class ApiToken(TimeStampedModel):
    """A personal API token. Only its SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=("name", "last_used_at"),
        purpose=_("Let a person use the API with their own rights."),
        erasure=Erasure.DELETE,
        never_export=("token_hash", "prefix"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
