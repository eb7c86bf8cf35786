"""Forms of the registry and the expert's own pages: profile, limits, courses, check-in,
statements, support sessions, registering an expert."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import EarningsLimit, ExperienceArea, Expert, SupportSession, TaskType, TrainingCourse
from .base import DateInput, _choice, _model_choice

EXPERT_LANGUAGES = [
    ("fi", "suomi"),
    ("sv", "svenska"),
    ("en", "English"),
    ("ru", "русский"),
    ("so", "Soomaali"),
    ("ar", "العربية"),
]


class ProfileForm(forms.ModelForm):
    languages_list = forms.MultipleChoiceField(
        label=_("Languages"),
        widget=forms.CheckboxSelectMultiple,
        choices=EXPERT_LANGUAGES,
        error_messages={"required": _("Choose at least one language.")},
    )
    paused_until = forms.DateField(
        label=_("Not available until"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Give a date, for example 31.12.2026.")},
    )

    class Meta:
        model = Expert
        fields = [
            "experience_areas",
            "perspective",
            "region",
            "municipalities",
            "task_types",
            "works_remotely",
            "works_on_site",
            "paused_until",
            "pause_reason",
            "contact_preferences",
            "diagnoses",
            "story",
            "share_diagnoses",
            "share_story",
            "share_contact",
            "story_students",
            "story_professionals",
            "story_media",
            "story_recordings",
        ]
        widgets = {
            "experience_areas": forms.CheckboxSelectMultiple,
            "task_types": forms.CheckboxSelectMultiple,
            "diagnoses": forms.Textarea(attrs={"rows": 2}),
            "story": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "diagnoses": _("Only you and your coordinator see this, unless you allow orderers to see it."),
            "story": _("Your own tool. Only you see it, unless you allow orderers to read it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "experience_areas").queryset = ExperienceArea.objects.filter(is_active=True)
        _model_choice(self, "task_types").queryset = TaskType.objects.filter(is_active=True)
        if self.instance.pk:
            self.initial["languages_list"] = self.instance.language_list

    def changes(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["languages"] = "," + ",".join(self.cleaned_data["languages_list"]) + ","
        return data


class LimitForm(forms.ModelForm):
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=DateInput(),
        error_messages={
            "invalid": _("Give a date, for example 1.1.2026."),
            "required": _("Give the date from which the limit applies."),
        },
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DateInput(),
        required=False,
        error_messages={"invalid": _("Give a date, for example 31.12.2026.")},
    )

    class Meta:
        model = EarningsLimit
        fields = ["kind", "amount", "period", "consecutive_months", "valid_from", "valid_until", "source"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("valid_until") and data.get("valid_from") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The end date must be after the start date."))
        return data


class CourseForm(forms.ModelForm):
    completed_on = forms.DateField(
        label=_("Completed on"),
        widget=DateInput(),
        required=False,
        error_messages={"invalid": _("Give a date, for example 31.5.2026.")},
    )

    class Meta:
        model = TrainingCourse
        fields = ["kind", "title", "organiser", "contact_days", "hours", "months", "completed_on"]


class CheckInForm(forms.Form):
    coping = forms.TypedChoiceField(
        label=_("How are you coping at the moment?"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("Well")),
            (4, _("Quite well")),
            (3, _("So-so")),
            (2, _("It is hard")),
            (1, _("It is very hard")),
        ],
        error_messages={"required": _("Choose the answer closest to how you feel.")},
    )
    wants_contact = forms.BooleanField(label=_("I would like the coordinator to contact me"), required=False)


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("File format"),
        choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")],
        error_messages={"invalid_choice": _("Choose CSV or XLSX.")},
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class StatementForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month (empty for the whole year)"), min_value=1, max_value=12, required=False)


class SupportSessionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=SupportSession.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of session.")},
    )
    held_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={
            "invalid": _("Give a date, for example 31.5.2026."),
            "required": _("Give the date of the session."),
        },
    )
    attendees = forms.MultipleChoiceField(
        label=_("Who took part"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one expert.")},
    )

    def __init__(self, *args: Any, experts: list[Expert], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "attendees").choices = [(str(e.pk), e.user.full_name) for e in experts]

    def clean_held_on(self) -> dt.date:
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Record a session after it has been held."))
        return value


class ExpertRegisterForm(forms.Form):
    """The least the coordinator records when adding an expert; the expert fills in the rest."""

    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose the organisation."), "invalid_choice": _("Choose the organisation.")},
    )
    full_name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Write the person's name.")}
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("The person gets a link to this address to choose their own password."),
        error_messages={
            "required": _("Write the person's e-mail address."),
            "invalid": _("Check the e-mail address, for example name@example.fi."),
        },
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of the messages"),
        choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")],
        initial="fi",
    )
    languages_list = forms.MultipleChoiceField(
        label=_("Languages the expert can work in"),
        widget=forms.CheckboxSelectMultiple,
        choices=EXPERT_LANGUAGES,
        initial=["fi"],
        error_messages={"required": _("Choose at least one language.")},
    )
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    experience_areas = forms.ModelMultipleChoiceField(
        label=_("Experience areas"),
        queryset=ExperienceArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The expert can add and change these in their own profile."),
    )
    perspective = forms.ChoiceField(
        label=_("Perspective"),
        choices=Expert.Perspective.choices,
        widget=forms.RadioSelect,
        initial=Expert.Perspective.OWN,
        error_messages={"required": _("Choose the perspective.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Expert.Status.ACTIVE, _("Active: can be offered tasks")),
            (Expert.Status.IN_TRAINING, _("In training")),
        ],
        widget=forms.RadioSelect,
        initial=Expert.Status.ACTIVE,
        error_messages={"required": _("Choose the status.")},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "organisation").queryset = organisations
        first_two = list(organisations[:2])
        # A coordinator of one organisation adds experts to it without choosing.
        self.only_organisation = first_two[0] if len(first_two) == 1 else None
        if self.only_organisation is not None:
            del self.fields["organisation"]
        _model_choice(self, "experience_areas").queryset = ExperienceArea.objects.filter(is_active=True)
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def registration(self) -> dict[str, Any]:
        """The keyword arguments of ``services.expert_register``."""
        d = self.cleaned_data
        organisation = d.get("organisation") or self.only_organisation
        assert organisation is not None  # the field is required when there is a choice
        return {
            "organisation_id": organisation.pk,
            "email": d["email"],
            "full_name": d["full_name"],
            "preferred_language": d["preferred_language"],
            "status": d["status"],
            "languages": "," + ",".join(d["languages_list"]) + ",",
            "region": d["region"].strip(),
            "experience_areas": list(d["experience_areas"]),
            "perspective": d["perspective"],
        }


class ExpertStatusForm(forms.Form):
    """Active, on a pause until a date (with a reason), in training, not active, or left the registry."""

    PAUSED = "paused"

    status = forms.ChoiceField(
        label=_("Status"),
        widget=forms.RadioSelect,
        choices=[
            (Expert.Status.ACTIVE, _("Active: can be offered tasks")),
            (PAUSED, _("On a pause until a date")),
            (Expert.Status.IN_TRAINING, _("In training")),
            (Expert.Status.INACTIVE, _("Not active for now")),
            (Expert.Status.ENDED, _("Left the registry (tasks, fees and training are kept)")),
        ],
        error_messages={"required": _("Choose the status."), "invalid_choice": _("Choose the status.")},
    )
    paused_until = forms.DateField(
        label=_("On a pause until"),
        widget=DateInput(),
        required=False,
        help_text=_("The expert is not offered tasks up to and including this day."),
        error_messages={"invalid": _("Give a date, for example 31.12.2026.")},
    )
    pause_reason = forms.CharField(
        label=_("Reason for the pause (optional)"),
        max_length=300,
        required=False,
        help_text=_("Only the expert and the coordinators of your organisation see this."),
        error_messages={"max_length": _("Write the reason in at most 300 characters.")},
    )

    @classmethod
    def initial_for(cls, expert: Expert, today: dt.date | None = None) -> dict[str, Any]:
        today = today or timezone.localdate()
        paused = expert.status == Expert.Status.ACTIVE and expert.paused_until and expert.paused_until >= today
        return {
            "status": cls.PAUSED if paused else expert.status,
            "paused_until": expert.paused_until if paused else None,
            "pause_reason": expert.pause_reason if paused else "",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == self.PAUSED and not data.get("paused_until") and "paused_until" not in self.errors:
            self.add_error("paused_until", _("Give the date until which the pause lasts."))
        return data

    def change(self) -> dict[str, Any]:
        """The keyword arguments of ``services.expert_status_change``."""
        d = self.cleaned_data
        paused = d["status"] == self.PAUSED
        return {
            "status": Expert.Status.ACTIVE if paused else d["status"],
            "paused_until": d.get("paused_until") if paused else None,
            "pause_reason": d.get("pause_reason", "") if paused else "",
        }
