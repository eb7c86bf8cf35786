"""The personal-data register in one place: the project's own models and the third-party ones.

The project's models declare ``personal_data`` themselves (``osallisuus.core.personal_data``).
Third-party models (the second factor, the brute-force lockout, sessions, the admin site's
history, the task queue) cannot, so ``EXTERNAL_MODELS`` declares them here, each with a
reason. ``tests/test_personal_data_register.py`` fails when an installed model is covered by
neither, so nothing personal is forgotten by the export or the erasure.

Both kinds become ``Relation`` objects: "these rows of this model are about that person",
with what an erasure does to them. The export, the erasure plan and the "My data" page all
read the same list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData, personal_models, project_models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from osallisuus.accounts.models import User

RowsOf = Callable[["User"], QuerySet[Any]]

OTHER_PERSONS_RECORD = _(
    "Part of another person's record. It stays linked to the erased account, which no longer holds a name, "
    "e-mail or phone."
)


@dataclass(frozen=True)
class ExternalModel:
    """A third-party model, declared here because its code is not ours."""

    label: str
    """``app_label.ModelName``."""
    reason: StrOrPromise
    """Why the model does or does not hold personal data, and what happens to it. Shown on the record
    of processing when the model holds none, so those reasons are wrapped in ``gettext_lazy``."""
    relations: tuple[ExternalRelation, ...] = ()
    """How to find the rows about a person. Empty when the model holds no personal data."""
    fields: tuple[str, ...] = ()
    purpose: StrOrPromise = ""
    """Shown to the person on "My data" and in the record of processing (``gettext_lazy``)."""
    never_export: tuple[str, ...] = ()
    """Not exported: secrets (keys, session data) and text that may name other people."""
    title: StrOrPromise = ""
    """What "My data" calls these rows (``gettext_lazy``): the third party's own name of its
    model ("Access logs") often has no Finnish or Swedish."""

    @property
    def holds_personal_data(self) -> bool:
        return bool(self.relations)

    def model(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.label)
        except LookupError:
            return None


@dataclass(frozen=True)
class ExternalRelation:
    name: str
    rows: RowsOf
    erasure: Erasure
    retention: StrOrPromise = ""
    anonymise_fields: tuple[str, ...] = ()
    main: bool = True
    costly: bool = False
    """Finding the rows reads the whole table (sessions): done for an export or an erasure only."""


@dataclass(frozen=True)
class Relation:
    """Rows of one model that are about one person, found one way."""

    model: type[models.Model]
    name: str
    """The path from the model to the person (``"user"``, ``"actor"``) or a descriptive name."""
    main: bool
    """True when the person is the row's data subject; False for an ``extra_subject``."""
    rows: RowsOf
    erasure: Erasure
    retention: StrOrPromise
    purpose: StrOrPromise
    fields: tuple[str, ...]
    special_category: tuple[str, ...]
    never_export: tuple[str, ...]
    anonymise_fields: tuple[str, ...]
    costly: bool = False
    """Finding the rows reads the whole table; left out of the "My data" summary."""
    title: StrOrPromise = ""
    """What "My data" calls the rows; the model's ``verbose_name_plural`` when empty."""

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def shown_name(self) -> str:
        return str(self.title or self.model._meta.verbose_name_plural)


# -- path resolution ---------------------------------------------------------------------------


def user_model() -> type[models.Model]:
    return apps.get_model(settings.AUTH_USER_MODEL)


def path_target(model: type[models.Model], path: str) -> type[models.Model] | None:
    """The model a subject path ends at (``"pk"`` is the model itself), or None if it does not resolve."""
    if path == "pk":
        return model
    current: type[models.Model] = model
    for part in path.split("__"):
        try:
            field = current._meta.get_field(part)
        except Exception:
            return None
        if not field.is_relation or field.related_model is None or field.many_to_many or field.one_to_many:
            return None
        related = field.related_model
        if isinstance(related, str):
            return None
        current = related
    return current


def resolves_to_user(model: type[models.Model], path: str) -> bool:
    return path_target(model, path) is user_model()


def _rows_by_path(model: type[models.Model], path: str) -> RowsOf:
    def rows(subject: User) -> QuerySet[Any]:
        manager = model._base_manager
        if path == "pk":
            return manager.filter(pk=subject.pk)
        return manager.filter(**{path: subject.pk})

    return rows


# -- third-party models -----------------------------------------------------------------------


def _totp_rows(subject: User) -> QuerySet[Any]:
    return apps.get_model("otp_totp", "TOTPDevice").objects.filter(user=subject)


def _axes_rows(model_name: str) -> RowsOf:
    def rows(subject: User) -> QuerySet[Any]:
        return apps.get_model("axes", model_name).objects.filter(username__iexact=subject.email)

    return rows


def session_keys_of(subject: User) -> list[str]:
    """The keys of the sessions in which the person is logged in (read from the session data)."""
    keys = []
    wanted = str(subject.pk)
    for session in Session.objects.iterator(chunk_size=500):
        try:
            data = session.get_decoded()
        except Exception:  # a corrupt session holds nothing we can attribute to anyone  # noqa: S112
            continue
        if str(data.get(SESSION_KEY, "")) == wanted:
            keys.append(session.session_key)
    return keys


def _session_rows(subject: User) -> QuerySet[Any]:
    return Session.objects.filter(session_key__in=session_keys_of(subject))


def _admin_log_by(subject: User) -> QuerySet[Any]:
    return LogEntry.objects.filter(user=subject)


def _admin_log_about(subject: User) -> QuerySet[Any]:
    content_type = ContentType.objects.get_for_model(user_model())
    return LogEntry.objects.filter(content_type=content_type, object_id=str(subject.pk))


LOGIN_SECURITY = _("Protect accounts against password guessing (django-axes).")

EXTERNAL_MODELS: tuple[ExternalModel, ...] = (
    ExternalModel(
        label="otp_totp.TOTPDevice",
        title=_("authenticator apps for logging in"),
        reason="The person's authenticator app for the second factor. Deleted with the account.",
        purpose=_("Second factor (TOTP) for staff who see personal data."),
        fields=("user", "name", "created_at", "last_used_at"),
        never_export=("key",),
        relations=(ExternalRelation("user", _totp_rows, Erasure.DELETE),),
    ),
    ExternalModel(
        label="axes.AccessAttempt",
        title=_("failed logins"),
        reason="Failed logins, matched by the e-mail typed into the login form. Deleted on erasure.",
        purpose=LOGIN_SECURITY,
        fields=("username", "ip_address", "user_agent", "attempt_time"),
        never_export=("post_data", "get_data"),
        relations=(ExternalRelation("username", _axes_rows("AccessAttempt"), Erasure.DELETE),),
    ),
    ExternalModel(
        label="axes.AccessFailureLog",
        title=_("log of failed logins"),
        reason="Log of failed logins, matched by the e-mail typed into the login form. Deleted on erasure.",
        purpose=LOGIN_SECURITY,
        fields=("username", "ip_address", "user_agent", "attempt_time"),
        relations=(ExternalRelation("username", _axes_rows("AccessFailureLog"), Erasure.DELETE),),
    ),
    ExternalModel(
        label="axes.AccessLog",
        title=_("log of logins"),
        reason="Log of successful logins, matched by the e-mail. Deleted on erasure: the client data act "
        "log in core.AccessLogEntry is the record that must be kept, not the login history.",
        purpose=LOGIN_SECURITY,
        fields=("username", "ip_address", "user_agent", "attempt_time", "logout_time"),
        never_export=("session_hash",),
        relations=(ExternalRelation("username", _axes_rows("AccessLog"), Erasure.DELETE),),
    ),
    ExternalModel(
        label="axes.AccessAttemptExpiration",
        reason=_("Only the expiry time of an axes.AccessAttempt; deleted together with it."),
    ),
    ExternalModel(
        label="sessions.Session",
        title=_("login sessions"),
        reason="Login sessions hold the person's id. Deleted on erasure, which logs the person out everywhere.",
        purpose=_("Keep a logged-in person logged in."),
        fields=("session_data", "expire_date"),
        never_export=("session_key", "session_data"),
        relations=(ExternalRelation("session", _session_rows, Erasure.DELETE, costly=True),),
    ),
    ExternalModel(
        label="admin.LogEntry",
        title=_("changes made in the admin site"),
        reason="The admin site's history: who changed what. Kept as an audit trail; the name of an erased "
        "person is removed from the rows about their account.",
        purpose=_("Audit trail of changes made in the admin site."),
        fields=("user", "object_repr", "change_message"),
        never_export=("object_repr", "change_message"),
        relations=(
            ExternalRelation(
                "user",
                _admin_log_by,
                Erasure.RETAIN,
                retention=_("Audit trail of changes an administrator made in the admin site."),
            ),
            ExternalRelation(
                "object",
                _admin_log_about,
                Erasure.ANONYMISE,
                anonymise_fields=("object_repr", "change_message"),
            ),
        ),
    ),
    ExternalModel(
        label="django_tasks_database.DBTaskResult",
        reason=_(
            "The task queue. Tasks receive ids only, never personal data; what a task produces for a "
            "person is stored in core.JobProgress, which is declared."
        ),
    ),
    ExternalModel(label="auth.Permission", reason=_("Code list of Django's model permissions.")),
    ExternalModel(label="auth.Group", reason=_("Named groups of permissions; not about a person.")),
    ExternalModel(label="contenttypes.ContentType", reason=_("Code list of the installed models.")),
)


def external_model(label: str) -> ExternalModel | None:
    for entry in EXTERNAL_MODELS:
        if entry.label.lower() == label.lower():
            return entry
    return None


# -- the relations ---------------------------------------------------------------------------


def relations() -> list[Relation]:
    """Every way rows can be about a person: declared project models, then third-party models."""
    result: list[Relation] = []
    for model, spec in personal_models():
        result.append(
            Relation(
                model=model,
                name=spec.subject,
                main=True,
                rows=_rows_by_path(model, spec.subject),
                erasure=spec.erasure,
                retention=spec.retention,
                purpose=spec.purpose,
                fields=spec.fields,
                special_category=spec.special_category,
                never_export=spec.never_export,
                anonymise_fields=spec.all_fields(),
            )
        )
        for path in spec.extra_subjects:
            # A row where the person is only an extra party belongs to someone else's record
            # (the client's plan, the log of who read whose data). It is never deleted or
            # rewritten for this person: it stays linked to their account, which the erasure
            # empties of name, e-mail and phone.
            result.append(
                Relation(
                    model=model,
                    name=path,
                    main=False,
                    rows=_rows_by_path(model, path),
                    erasure=Erasure.RETAIN,
                    retention=spec.retention if spec.erasure == Erasure.RETAIN else OTHER_PERSONS_RECORD,
                    purpose=spec.purpose,
                    fields=spec.fields,
                    special_category=spec.special_category,
                    never_export=spec.never_export,
                    anonymise_fields=(),
                )
            )
    for entry in EXTERNAL_MODELS:
        external = entry.model()
        if external is None:
            continue
        for rel in entry.relations:
            result.append(
                Relation(
                    model=external,
                    name=rel.name,
                    main=rel.main,
                    rows=rel.rows,
                    erasure=rel.erasure,
                    retention=rel.retention,
                    purpose=entry.purpose,
                    fields=entry.fields,
                    special_category=(),
                    never_export=entry.never_export,
                    anonymise_fields=rel.anonymise_fields,
                    costly=rel.costly,
                    title=entry.title,
                )
            )
    return result


def personal_model_labels() -> list[str]:
    """Labels of every model whose rows can be about a person (the keys of an export)."""
    return list(dict.fromkeys(r.label for r in relations()))


@dataclass(frozen=True)
class ProcessingRecord:
    """One line of the record of processing activities (GDPR art. 30)."""

    label: str
    name: str
    fields: list[str]
    special_category: list[str]
    purpose: StrOrPromise
    erasure: list[str]
    retention: list[StrOrPromise]
    third_party: bool


def _verbose(model: type[models.Model], names: tuple[str, ...]) -> list[str]:
    result = []
    for name in names:
        try:
            result.append(str(getattr(model._meta.get_field(name), "verbose_name", name)))
        except Exception:
            result.append(name)
    return result


def record_of_processing() -> list[ProcessingRecord]:
    rows: dict[str, ProcessingRecord] = {}
    for rel in relations():
        existing = rows.get(rel.label)
        erasure = f"{rel.name}: {rel.erasure.value}"
        if existing is None:
            rows[rel.label] = ProcessingRecord(
                label=rel.label,
                name=str(rel.model._meta.verbose_name_plural),
                fields=_verbose(rel.model, rel.fields),
                special_category=_verbose(rel.model, rel.special_category),
                purpose=rel.purpose,
                erasure=[erasure],
                retention=[rel.retention] if rel.retention else [],
                third_party=external_model(rel.model._meta.label) is not None,
            )
        else:
            existing.erasure.append(erasure)
            if rel.retention and rel.retention not in existing.retention:
                existing.retention.append(rel.retention)
    return sorted(rows.values(), key=lambda r: (r.third_party, r.label))


def models_without_personal_data() -> list[tuple[str, str, StrOrPromise]]:
    """(label, name, reason) of the models that declare they hold no personal data."""
    result = []
    for model in project_models():
        spec = getattr(model, "personal_data", None)
        if isinstance(spec, NoPersonalData):
            result.append((model._meta.label_lower, str(model._meta.verbose_name_plural), spec.reason))
    for entry in EXTERNAL_MODELS:
        external = entry.model()
        if external is not None and not entry.holds_personal_data:
            result.append((external._meta.label_lower, str(external._meta.verbose_name_plural), entry.reason))
    return sorted(result)


__all__ = [
    "EXTERNAL_MODELS",
    "Erasure",
    "ExternalModel",
    "ExternalRelation",
    "PersonalData",
    "ProcessingRecord",
    "Relation",
    "external_model",
    "models_without_personal_data",
    "path_target",
    "personal_model_labels",
    "record_of_processing",
    "relations",
    "resolves_to_user",
    "session_keys_of",
    "user_model",
]
