"""One way to refuse: ``Refusal`` carries a message in the user's language and, when the
refusal is about one input, the name of that field.

Each module's errors extend it (``class ExpertsError(Refusal)``). A page shows the message
beside the field (``refusal_to_form``) or at the top; the API answers every refusal the same
way (``core.api.install_error_handlers``): ``{"detail": message, "field": name}`` with
``Refusal.status`` (400 for a wrong input or a state that does not allow it, 403 where the
person may not act, 409 for a conflict such as a full activity). Missing and forbidden objects
are not refusals: they are the gates' ``Http404``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django import forms
    from django.utils.functional import _StrPromise


class Refusal(Exception):
    """A refusal the person can understand; the message is shown as it is."""

    status: int = 400

    def __init__(
        self, message: str | _StrPromise, *, field: str | None = None, code: str = "", status: int | None = None
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.code = code
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.message}
        if self.field:
            body["field"] = self.field
        if self.code:
            body["code"] = self.code
        return body


class Forbidden(Refusal):
    """The person may see the object but may not do this to it (the reason is shown)."""

    status = 403


class Conflict(Refusal):
    """The request clashes with the current state (a full activity, a taken task)."""

    status = 409


def refusal_to_form(form: forms.BaseForm, refusal: Refusal) -> None:
    """Show a refusal beside its field when the form has that field, otherwise at the top."""
    field = refusal.field if refusal.field and refusal.field in form.fields else None
    form.add_error(field, refusal.message)
