"""The measurement module's refusals: a message in the user's language, and the field when there is one."""

from __future__ import annotations

from django.utils.translation import gettext as _

from osallisuus.core.errors import Refusal


class MeasurementError(Refusal):
    """A refusal the user can understand; the message is shown as it is (pages and the API)."""


class InstrumentVersionConflict(MeasurementError):
    status = 409


class LinkInvalid(MeasurementError):
    """A personal link that does not open (unknown, expired, not open yet, or already used)."""

    status = 410


class AnswersInvalid(MeasurementError):
    """Answers that need checking: ``errors`` has a message per item code."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Some answers need checking."), code="answers_invalid")
        self.errors = errors
