from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallisuus.core.suppression import min_cell_size

from .models import Instrument, Item, Round, in_language
from .reports import DIMENSIONS
from .selectors import external_instruments, questionnaires_in_use, scored_questionnaires

MODULES = [
    ("", _("No module")),
    ("activation", _("Participant-led activation")),
    ("experts", _("Experts by experience")),
    ("funding", _("Partnership funding")),
    ("networks", _("Networks")),
]


def answer_form_class(*, instrument: Instrument, items: list[Item]) -> type[forms.Form]:
    """A form with one field per item: radio buttons on the item's scale, or a text box."""
    fields: dict[str, forms.Field] = {}
    for item in items:
        label = item.display_text
        if item.kind == Item.Kind.TEXT:
            fields[item.code] = forms.CharField(
                label=label,
                required=False,
                max_length=4000,
                help_text=item.display_help,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"max_length": _("Shorten your answer to at most %(limit_value)d characters.")},
            )
        else:
            points = instrument.scale(item.scale)["points"]
            fields[item.code] = forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[(p["value"], in_language(p["label"])) for p in points],
                widget=forms.RadioSelect,
                help_text=item.display_help,
                error_messages={"invalid_choice": _("Choose one of the options.")},
            )
    return type("AnswerForm", (forms.Form,), fields)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


DATE_ERRORS = {"invalid": _("Give a date, for example 31.12.2026."), "required": _("Give a date.")}


def organisation_field(organisations: list[Any]) -> forms.TypedChoiceField | None:
    """The organisation the person acts for, asked only when they act for several
    (``accounts.selectors.acting_organisation`` decides)."""
    if len(organisations) < 2:
        return None
    return forms.TypedChoiceField(
        label=_("Organisation"),
        coerce=int,
        choices=[("", _("Choose the organisation")), *((o.pk, o.name) for o in organisations)],
        error_messages={"required": _("Choose the organisation."), "invalid_choice": _("Choose the organisation.")},
    )


def _add_organisation(form: forms.Form, organisations: list[Any]) -> None:
    field = organisation_field(organisations)
    if field is not None:
        form.fields["organisation"] = field
        form.order_fields(["organisation", *[name for name in form.fields if name != "organisation"]])


class RoundForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("Questionnaire"),
        queryset=Instrument.objects.none(),
        error_messages={"required": _("Choose a questionnaire."), "invalid_choice": _("Choose a questionnaire.")},
    )
    name = forms.CharField(
        label=_("Name of the round"), max_length=200, error_messages={"required": _("Give the round a name.")}
    )
    group_kind = forms.ChoiceField(label=pgettext_lazy("a group of people", "Group"), choices=Round.GroupKind.choices)
    group_key = forms.SlugField(
        label=_("Group identifier"),
        max_length=80,
        help_text=_(
            "Use the same identifier for the baseline and the follow-ups of one group, e.g. cohort-2026-spring."
        ),
        error_messages={
            "required": _("Give the group an identifier."),
            "invalid": _("Use only letters a–z, digits and hyphens."),
        },
    )
    phase = forms.IntegerField(
        label=_("Point in time"),
        min_value=0,
        max_value=20,
        initial=0,
        help_text=_("0 = baseline, 1 = first follow-up, 2 = second follow-up…"),
        error_messages={"required": _("Give the point in time."), "invalid": _("Give a whole number.")},
    )
    context_module = forms.ChoiceField(label=_("Module"), choices=MODULES, required=False)
    area = forms.CharField(label=_("Area (optional)"), max_length=100, required=False)
    purpose = forms.CharField(
        label=_("Why the answers are collected"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to every respondent before the first question. Say who sees the answers."),
        error_messages={"required": _("Tell the respondents why the answers are collected.")},
    )
    opens_on = forms.DateField(label=_("Opens"), widget=DateInput(), error_messages=DATE_ERRORS)
    closes_on = forms.DateField(label=_("Closes"), widget=DateInput(), error_messages=DATE_ERRORS)
    retention_until = forms.DateField(label=_("Answers kept until"), widget=DateInput(), error_messages=DATE_ERRORS)
    retention_action = forms.ChoiceField(
        label=_("When the retention period ends"), choices=Round.RetentionAction.choices
    )
    min_cell_size = forms.IntegerField(label=_("Smallest group shown in reports"), max_value=50)

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instrument = self.fields["instrument"]
        assert isinstance(instrument, forms.ModelChoiceField)
        instrument.queryset = questionnaires_in_use()
        floor = min_cell_size()
        smallest = self.fields["min_cell_size"]
        smallest.initial = floor
        smallest.widget.attrs["min"] = floor
        smallest.help_text = _("Groups smaller than this are hidden in every report; at least %(count)d.") % {
            "count": floor
        }
        _add_organisation(self, organisations)
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + dt.timedelta(days=28)
        self.fields["retention_until"].initial = today + dt.timedelta(days=3 * 365)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes, keep = data.get("opens_on"), data.get("closes_on"), data.get("retention_until")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The round must close after it opens."))
        if closes and keep and keep < closes:
            self.add_error("retention_until", _("Keep the answers at least until the round closes."))
        return data


class InviteForm(forms.Form):
    people = forms.TypedMultipleChoiceField(
        label=_("People to invite"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person."), "invalid_choice": _("Choose from the list.")},
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(p.pk, p.full_name) for p in people]


class SheetsForm(forms.Form):
    invitations = forms.TypedMultipleChoiceField(
        label=_("Print a sheet for"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for people who do not use e-mail. A sheet replaces any link sent to the person earlier."),
        error_messages={"required": _("Choose at least one person."), "invalid_choice": _("Choose from the list.")},
    )

    def __init__(self, *args: Any, invitations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["invitations"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(i.pk, i.person.full_name) for i in invitations]


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Instrument file (JSON)"),
        help_text=_("The file format is described in the documentation and in the JSON Schema."),
        error_messages={"required": _("Choose a file."), "empty": _("The file is empty.")},
    )


class AnswersImportForm(forms.Form):
    file = forms.FileField(
        label=_("Answers (CSV)"),
        help_text=_("First column respondent (a code, not a name), then one column per item code."),
        error_messages={"required": _("Choose a file."), "empty": _("The file is empty.")},
    )


class ExternalAssessmentForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Client"), coerce=int, error_messages={"required": _("Choose the client.")})
    instrument = forms.ModelChoiceField(
        label=_("Instrument"),
        queryset=Instrument.objects.none(),
        error_messages={"required": _("Choose the instrument."), "invalid_choice": _("Choose the instrument.")},
    )
    done_on = forms.DateField(label=_("Done on"), widget=DateInput(), error_messages=DATE_ERRORS)
    result_location = forms.CharField(
        label=_("Where the result is kept"),
        max_length=300,
        help_text=_(
            "For example: the client plan in the county's client information system. Do not copy the result here."
        ),
        error_messages={"required": _("Say where the result is kept.")},
    )

    def __init__(self, *args: Any, people: list[Any], organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.TypedChoiceField)
        person.choices = [(p.pk, p.full_name) for p in people]
        instrument = self.fields["instrument"]
        assert isinstance(instrument, forms.ModelChoiceField)
        instrument.queryset = external_instruments()
        _add_organisation(self, organisations)

    def clean_done_on(self) -> dt.date:
        value = self.cleaned_data["done_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ShareForm(forms.Form):
    worker = forms.TypedChoiceField(label=_("Share my answers with"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, workers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Nobody")), *((w.pk, w.full_name) for w in workers)]


class BreakdownForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("Questionnaire"),
        queryset=Instrument.objects.none(),
        error_messages={"required": _("Choose a questionnaire."), "invalid_choice": _("Choose a questionnaire.")},
    )
    dimension = forms.ChoiceField(
        label=_("Group the answers by"),
        choices=list(
            zip(
                DIMENSIONS,
                [
                    pgettext_lazy("a measurement round", "Round"),
                    _("Module"),
                    _("Activity"),
                    _("Area"),
                    _("Quarter of the year"),
                ],
                strict=True,
            )
        ),
        initial="round",
    )
    module = forms.ChoiceField(
        label=_("Only the module"), choices=[("", _("All modules")), *MODULES[1:]], required=False
    )
    area = forms.CharField(label=_("Only the area"), max_length=100, required=False)
    since = forms.DateField(label=_("Answered from"), required=False, widget=DateInput(), error_messages=DATE_ERRORS)
    until = forms.DateField(label=_("Answered until"), required=False, widget=DateInput(), error_messages=DATE_ERRORS)

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instrument = self.fields["instrument"]
        assert isinstance(instrument, forms.ModelChoiceField)
        instrument.queryset = scored_questionnaires()
        _add_organisation(self, organisations)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date must be after the start date."))
        return data
