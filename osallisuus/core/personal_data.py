"""The personal-data register: every model says which of its fields hold personal data.

Each concrete model of the project declares a class attribute ``personal_data``:

* ``PersonalData(subject="user", fields=(...), special_category=(...), erasure=...)``
  when rows are about a person, or
* ``NoPersonalData(reason="...")`` when they are not.

The register drives the data-subject export (GDPR art. 15 and 20), erasure with a dry
run (art. 17) and the record of processing (art. 30). ``tests/test_personal_data_register.py``
fails when a model is not declared or a declaration names a field that does not exist.

``purpose`` and ``retention`` are shown to people ("My data", the record of processing, the
erasure dry run), so they are plain language wrapped in ``gettext_lazy`` and translated in the
app's locale files. They are lazy values: turn them into text with ``str()`` where they leave
for JSON or storage. ``NoPersonalData.reason`` is shown on the record of processing, so it is
translated too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Erasure(StrEnum):
    DELETE = "delete"  # rows about the person are deleted
    ANONYMISE = "anonymise"  # personal fields are blanked, the row stays for statistics
    RETAIN = "retain"  # kept for a legal retention period; see ``retention``


@dataclass(frozen=True)
class PersonalData:
    """Declares that rows of a model are about one person (the data subject)."""

    subject: str
    """Path from the model to the person's ``User`` (``"user"``, ``"membership__user"``, ``"pk"``)."""
    fields: tuple[str, ...]
    """Fields that hold personal data."""
    special_category: tuple[str, ...] = ()
    """Fields that hold special-category data (GDPR art. 9: health, beliefs...)."""
    purpose: StrOrPromise = ""
    """Why the data is processed (record of processing, art. 30). Shown to the person on "My data",
    so it is written for them and wrapped in ``gettext_lazy``."""
    erasure: Erasure = Erasure.DELETE
    retention: StrOrPromise = ""
    """The legal reason a row is kept when ``erasure`` is RETAIN (shown in the dry run and the record
    of processing; ``gettext_lazy``)."""
    never_export: tuple[str, ...] = ()
    """Secrets that a data-subject export must not contain (password hashes, keys)."""
    extra_subjects: tuple[str, ...] = field(default=())
    """Other paths to people the row is also about (e.g. the actor of a log entry)."""

    def all_fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.fields + self.special_category))


@dataclass(frozen=True)
class NoPersonalData:
    reason: StrOrPromise
    """Why the rows are not about a person. Shown on the record of processing (``gettext_lazy``)."""


def project_models() -> list[type[models.Model]]:
    """Concrete models of the project's own apps (the ones the register covers)."""
    labels = set(settings.PERSONAL_DATA_APPS)
    return [m for m in apps.get_models() if m._meta.app_label in labels and not m._meta.abstract and not m._meta.proxy]


def declaration(model: type[models.Model]) -> PersonalData | NoPersonalData | None:
    value = getattr(model, "personal_data", None)
    if isinstance(value, PersonalData | NoPersonalData):
        return value
    return None


def personal_models() -> list[tuple[type[models.Model], PersonalData]]:
    result = []
    for model in project_models():
        spec = declaration(model)
        if isinstance(spec, PersonalData):
            result.append((model, spec))
    return result
