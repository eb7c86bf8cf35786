"""Shared form pieces of the experts pages: date and time inputs, choice helpers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATETIME_ERROR = _("Give the date and time, for example 31.12.2026 14.30.")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class PersonChoiceField(forms.ModelChoiceField[Any]):
    """A choice of people shown by their names."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


def datetime_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H.%M", "%d.%m.%Y %H:%M"],
        error_messages={"invalid": DATETIME_ERROR, "required": DATETIME_ERROR},
        **kwargs,
    )
