"""The module's refusals: ``core.errors.Refusal`` with the message in the person's language.

``ExpertsError`` is a wrong input or a state that does not allow the change (400);
``ExpertsForbidden`` is a person who may not act on the object (403). The API maps both
through the foundation's handler; pages show the message beside its field or at the top.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from osallisuus.accounts.permissions import Decision
from osallisuus.core.errors import Forbidden, Refusal

from .permissions import NotYours


class ExpertsError(Refusal):
    """A refusal the user can understand; the message is shown as it is. ``field`` names the
    form field the refusal is about, when there is one (the page shows it beside the field)."""


class ExpertsForbidden(ExpertsError, Forbidden):
    """The person may see the object but may not do this to it (403)."""


class FeedbackNotYours(ExpertsForbidden):
    """The person may see the agreement but is not one of the two sides who give feedback."""


def refuse_unless(
    decision: Decision, *, field: str | None = None, forbidden: type[ExpertsForbidden] = ExpertsForbidden
) -> None:
    """Raise the decision's refusal: 403 when the person may not act, 400 for the state."""
    if decision:
        return
    if isinstance(decision, NotYours):
        raise forbidden(decision.reason, field=field)
    raise ExpertsError(decision.reason, field=field)


def validation_message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)
