from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from osallisuus.core.access import Action

from .selectors import AccessLogQuery

DATE_ERROR = _("Write the date as day.month.year, for example 31.12.2026.")


class PeriodForm(forms.Form):
    """The period filter of "who has seen my data"."""

    PERIODS = [
        ("all", _("All time")),
        ("30", _("The last 30 days")),
        ("90", _("The last 3 months")),
        ("365", _("The last 12 months")),
    ]

    period = forms.ChoiceField(
        label=_("Show"),
        choices=PERIODS,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the periods in the list.")},
    )

    def period_code(self) -> str:
        return self.cleaned_data.get("period") or "all"


class AccessLogSearchForm(forms.Form):
    actor = forms.CharField(
        label=_("Who read the data"),
        help_text=_("Part of a name or e-mail address."),
        max_length=100,
        required=False,
    )
    subject = forms.CharField(
        label=_("Whose data"),
        help_text=_("Part of a name or e-mail address."),
        max_length=100,
        required=False,
    )
    object_type = forms.CharField(
        label=_("Kind of record"),
        help_text=_("For example accounts.user."),
        max_length=100,
        required=False,
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("Any action")), *Action.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the actions in the list.")},
    )
    date_from = forms.DateField(
        label=_("From (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": DATE_ERROR},
    )
    date_to = forms.DateField(
        label=_("To (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": DATE_ERROR},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data

    def has_criteria(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)

    def to_query(self) -> AccessLogQuery:
        d = self.cleaned_data
        return AccessLogQuery(
            actor=d.get("actor", "").strip(),
            subject=d.get("subject", "").strip(),
            object_type=d.get("object_type", "").strip(),
            action=d.get("action", ""),
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
        )


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or e-mail of the person who made the request"),
        min_length=2,
        max_length=100,
        required=False,
        error_messages={"min_length": _("Write at least 2 characters.")},
    )


class ErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the person's identity and the list above. Erase the data."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
