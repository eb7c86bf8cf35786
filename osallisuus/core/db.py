"""Abstract model bases every app builds on (``osallisuus.core.db``): time stamps, and rows
that are written once (logs). Apps import these, never ``core.models``."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Log rows are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Log rows are append-only.")


class AppendOnlyModel(models.Model):
    """Rows are written once. On PostgreSQL a trigger also refuses UPDATE and DELETE."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Log rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Log rows are append-only.")
