"""Data-subject rights: the export (GDPR art. 15 and 20) and erasure with a dry run (art. 17).

Both walk the register (``register.relations()``), so a model that declares its personal
data is exported and erased without any change here.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.core import events
from osallisuus.core.access import Action, log_access
from osallisuus.core.personal_data import Erasure, PersonalData

from . import register
from .register import Relation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from osallisuus.accounts.models import User

EXPORT_FORMAT = "osallisuus.subject-export/1"
ERASED_DOMAIN = "erased.invalid"


class ErasureRefused(Exception):
    """The erasure cannot be done; the message says why and nothing was changed."""


# -- export ------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_value(v) for v in value]
    if isinstance(value, bytes | memoryview):
        return None
    return str(value)


def _related_is_personal(model: type[models.Model]) -> bool:
    """Rows of a related model that is itself about a person are shown by id only, never by name."""
    if isinstance(getattr(model, "personal_data", None), PersonalData):
        return True
    external = register.external_model(model._meta.label)
    return external is not None and external.holds_personal_data


def _export_row(obj: models.Model, rel: Relation, subject: User) -> dict[str, Any]:
    """One row as plain JSON values. Secrets are left out. Other people appear by their id only
    in rows about the subject (the names of those who read the data are in the log's own
    "who at the time" column). In rows where the subject is only an extra party (the worker
    of a relationship, the reader in the access log) the row belongs to someone else's
    record: its declared personal fields and its links to other people are left out."""
    user_model = register.user_model()
    # In a row about someone else, the fields declared personal are *their* data: left out.
    hidden = set(rel.never_export) if rel.main else {*rel.never_export, *rel.fields, *rel.special_category}
    row: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in hidden:
            continue
        if f.is_relation and f.related_model is not None and not isinstance(f.related_model, str):
            raw = getattr(obj, f.attname)
            if raw is None:
                row[f.name] = None
            elif f.related_model is user_model:
                if raw == subject.pk or rel.main:
                    row[f.name] = raw
            elif _related_is_personal(f.related_model):
                row[f.name] = _json_value(raw)
            else:
                related = getattr(obj, f.name, None)
                row[f.name] = str(related) if related is not None else _json_value(raw)
            continue
        if isinstance(f, models.FileField):
            file = getattr(obj, f.attname)
            row[f.name] = file.name if file else ""
            continue
        row[f.name] = _json_value(f.value_from_object(obj))
    if rel.main:
        for m2m in obj._meta.many_to_many:
            if m2m.name in rel.never_export or m2m.related_model is None or isinstance(m2m.related_model, str):
                continue
            related = getattr(obj, m2m.name).all()
            if _related_is_personal(m2m.related_model):
                row[m2m.name] = sorted(r.pk for r in related)
            else:
                row[m2m.name] = sorted(str(r) for r in related)
    return row


def subject_export(
    *,
    subject: User,
    actor: User | None,
    purpose: str = "data-subject request: export",
    route: str = "",
) -> dict[str, Any]:
    """Everything the register knows about the person, as JSON-serialisable data.

    Every declared model is a key, with an empty list when nothing is stored. Rows where
    the person is an extra party (e.g. the worker of a relationship, the reader in the
    access log) are included and marked. Secrets (``never_export``) are never included.
    An export made by someone other than the person is written to the access log.
    """
    relations = register.relations()
    exported: dict[str, dict[str, Any]] = {}
    seen: dict[str, set[Any]] = {}
    for rel in relations:
        entry = exported.setdefault(
            rel.label,
            {"name": str(rel.model._meta.verbose_name_plural), "purpose": str(rel.purpose), "rows": []},
        )
        done = seen.setdefault(rel.label, set())
        for obj in rel.rows(subject).order_by("pk"):
            if obj.pk in done:
                continue
            done.add(obj.pk)
            row = _export_row(obj, rel, subject)
            row["about_you_as"] = "subject" if rel.main else rel.name
            entry["rows"].append(row)
    if actor is None or actor.pk != subject.pk:
        log_access(actor=actor, subject_id=subject.pk, obj=subject, action=Action.EXPORT, purpose=purpose, route=route)
    return {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now().isoformat(),
        "subject_id": subject.pk,
        "models": exported,
    }


# -- erasure -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanItem:
    """What an erasure does to the rows of one model found one way."""

    label: str
    name: str
    relation: str
    rows: int
    action: Erasure
    retention: StrOrPromise
    main: bool

    @property
    def changes(self) -> bool:
        return self.rows > 0 and self.action != Erasure.RETAIN


@dataclass(frozen=True)
class ErasurePlan:
    subject_id: int
    items: list[PlanItem]
    already_erased: bool

    @property
    def changes(self) -> list[PlanItem]:
        return [i for i in self.items if i.changes]

    @property
    def retained(self) -> list[PlanItem]:
        return [i for i in self.items if i.rows and i.action == Erasure.RETAIN]

    def summary(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for item in self.items:
            if item.rows:
                bucket = result.setdefault(item.action.value, {})
                key = f"{item.label}:{item.relation}"
                bucket[key] = bucket.get(key, 0) + item.rows
        return result


def subject_erasure_plan(*, subject: User) -> ErasurePlan:
    """The dry run: per model and relation, how many rows and what erasure would do. Changes nothing."""
    items = []
    for rel in register.relations():
        count = rel.rows(subject).count()
        items.append(
            PlanItem(
                label=rel.label,
                name=str(rel.model._meta.verbose_name_plural),
                relation=rel.name,
                rows=count,
                action=rel.erasure,
                retention=rel.retention,
                main=rel.main,
            )
        )
    return ErasurePlan(subject_id=subject.pk, items=items, already_erased=subject.erased_at is not None)


def _anonymised_value(field: models.Field, obj: models.Model) -> tuple[bool, Any]:
    """(change?, value) for one personal field of a row being anonymised."""
    if isinstance(field, models.FileField):
        return True, ""
    if isinstance(field, models.EmailField) and field.unique:
        return True, f"erased-{obj.pk}@{ERASED_DOMAIN}"
    if isinstance(field, models.CharField | models.TextField) and field.unique:
        return True, f"erased-{obj.pk}"
    if field.null:
        return True, None
    if isinstance(field, models.CharField | models.TextField) and not field.choices:
        return True, ""
    if field.has_default():
        return True, field.get_default()
    return False, None


def _anonymise_rows(model: type[models.Model], pks: list[Any], field_names: tuple[str, ...]) -> list[tuple[Any, str]]:
    """Blank the personal fields of the rows; returns the (storage, name) of files to remove after commit."""
    files: list[tuple[Any, str]] = []
    concrete = [
        f for f in model._meta.concrete_fields if f.name in field_names and not f.primary_key and not f.is_relation
    ]
    for obj in model._base_manager.filter(pk__in=pks):
        changed = []
        for field in concrete:
            if isinstance(field, models.FileField):
                file = getattr(obj, field.attname)
                if file:
                    files.append((file.storage, file.name))
            change, value = _anonymised_value(field, obj)
            if change:
                setattr(obj, field.attname, value)
                changed.append(field.attname)
        if changed:
            obj.save(update_fields=changed)
    return files


def _files_of(model: type[models.Model], pks: list[Any]) -> list[tuple[Any, str]]:
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    if not file_fields:
        return []
    result = []
    for obj in model._base_manager.filter(pk__in=pks):
        for f in file_fields:
            file = getattr(obj, f.attname)
            if file:
                result.append((file.storage, file.name))
    return result


def _finish_user(user: User) -> None:
    """What only the account itself needs: no login, no admin rights, the time of erasure."""
    user.email = f"erased-{user.pk}@{ERASED_DOMAIN}"
    user.full_name = ""
    user.phone = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


@transaction.atomic
def subject_erase(*, subject: User, actor: User | None) -> ErasurePlan:
    """Apply the erasure plan in one transaction and return the plan that was applied.

    The account is anonymised (it stays so that the retained log rows still point somewhere),
    rows declared ``delete`` are deleted, ``anonymise`` rows lose their personal fields and
    ``retain`` rows (the access log and change events, which are append-only) stay as they are.
    """
    user_model = register.user_model()
    subject = user_model._base_manager.select_for_update().get(pk=subject.pk)  # type: ignore[assignment]
    if actor is not None and actor.pk == subject.pk:
        raise ErasureRefused(_("You cannot erase your own account here. Ask another administrator."))
    relations = register.relations()
    # Find every row first: some relations are matched by the e-mail, which the erasure changes.
    found: list[tuple[Relation, list[Any]]] = [
        (rel, list(rel.rows(subject).values_list("pk", flat=True)))
        for rel in relations
        if rel.erasure != Erasure.RETAIN
    ]
    plan = subject_erasure_plan(subject=subject)
    files: list[tuple[Any, str]] = []
    try:
        for rel, pks in found:
            if not pks:
                continue
            if rel.erasure == Erasure.DELETE:
                files.extend(_files_of(rel.model, pks))
                rel.model._base_manager.filter(pk__in=pks).delete()
            elif rel.erasure == Erasure.ANONYMISE:
                files.extend(_anonymise_rows(rel.model, pks, rel.anonymise_fields))
    except (ProtectedError, RestrictedError) as exc:
        raise ErasureRefused(
            _("Other records still depend on this person's data. Nothing was erased: %(detail)s")
            % {"detail": exc.args[0] if exc.args else ""}
        ) from exc
    subject.refresh_from_db()
    _finish_user(subject)
    events.record(
        actor=actor,
        verb="privacy.subject.erased",
        target=subject,
        subject=subject,
        data=plan.summary(),
    )

    def _remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(_remove_files)
    return plan
