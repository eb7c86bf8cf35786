from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import EarningsLimit, ExperienceArea, Expert, SupportSession, TaskRequest, TaskType, TrainingCourse
from .permissions import starts_soon

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


class RequestForm(forms.ModelForm):
    starts_at = datetime_field(_("Starts"))
    soon_ok = forms.BooleanField(
        label=_("Send anyway, although the task starts within a day"), required=False, widget=forms.HiddenInput
    )
    partner_worker = PersonChoiceField(
        label=TaskRequest._meta.get_field("partner_worker").verbose_name,
        queryset=None,
        help_text=_("Every placement names the professional who walks beside the expert at your workplace."),
    )

    class Meta:
        model = TaskRequest
        fields = [
            "broker",
            "task_type",
            "setting",
            "title",
            "description",
            "starts_at",
            "duration_minutes",
            "sessions",
            "remote",
            "address",
            "region",
            "audience",
            "experience_area",
            "language",
            "partner_worker",
            "places",
            "compensation",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, brokers: Any, partners: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations:
            # Someone who orders for several organisations chooses the one (never "the first").
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("The organisation you order for"),
                choices=[("", _("Choose…")), *((o.pk, o.name) for o in organisations)],
                coerce=int,
                error_messages={
                    "required": _("Choose the organisation you order for."),
                    "invalid_choice": _("Choose the organisation you order for."),
                },
            )
            self.order_fields(["organisation", *self.Meta.fields])
        broker = _model_choice(self, "broker")
        broker.queryset = brokers
        broker.empty_label = None
        _model_choice(self, "task_type").queryset = TaskType.objects.filter(is_active=True)
        area = _model_choice(self, "experience_area")
        area.queryset = ExperienceArea.objects.filter(is_active=True)
        area.empty_label = _("Any experience")
        partner = _model_choice(self, "partner_worker")
        partner.queryset = partners
        self.fields["duration_minutes"].error_messages["min_value"] = _("A task lasts at least 15 minutes.")
        self.fields["duration_minutes"].error_messages["max_value"] = _("A task lasts at most 12 hours.")

    def clean_starts_at(self) -> dt.datetime:
        value = self.cleaned_data["starts_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("The task must start in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("remote") and not (data.get("address") or "").strip():
            self.add_error("address", _("Give the address, or mark the task as remote."))
        starts_at = data.get("starts_at")
        if starts_at is not None and starts_soon(starts_at):
            # Shown only now: the orderer sees the warning beside the box and sends again.
            self.fields["soon_ok"].widget = forms.CheckboxInput()
            if not data.get("soon_ok"):
                self.add_error(
                    "soon_ok",
                    _(
                        "The task starts within a day: there may not be time to find an expert. "
                        "Tick the box to send the request anyway."
                    ),
                )
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("Approve and start looking for experts")),
            ("ask", _("Ask the orderer for more details")),
        ],
        error_messages={"required": _("Choose what to do.")},
    )
    fee_item_code = forms.ChoiceField(label=_("Fee from the schedule"), required=False)
    fee_amount = forms.DecimalField(
        label=_("Fee agreed for this task (€)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        localize=True,
        help_text=_("Only for a fee with a range, such as 100–600 € per event. Empty: the lowest amount."),
        error_messages={"invalid": _("Write the fee as a number of euros, for example 250 or 250.50.")},
    )
    note = forms.CharField(
        label=_("Message to the orderer"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, fee_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "fee_item_code").choices = [("", _("No fee")), *fee_choices]


class DetailsForm(forms.Form):
    description = forms.CharField(
        label=_("Description with the details asked"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class OfferForm(forms.Form):
    experts = forms.MultipleChoiceField(
        label=_("Offer the task to"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one expert.")},
    )

    def __init__(self, *args: Any, candidates: list[Expert], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_candidates(candidates)

    def set_candidates(self, candidates: list[Expert]) -> None:
        _choice(self, "experts").choices = [(str(e.pk), e.user.full_name) for e in candidates]


class PartnerForm(forms.Form):
    """The orderer names another professional partner (lähityöntekijä) for the request."""

    partner_worker = PersonChoiceField(
        label=_("Professional partner (lähityöntekijä)"),
        queryset=None,
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose the professional partner."),
            "invalid_choice": _("Choose the professional partner."),
        },
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "partner_worker").queryset = partners


class AcceptForm(forms.Form):
    volunteer = forms.BooleanField(label=_("I do this task as a volunteer: no fee, my costs are paid"), required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional, you do not have to give one)"), required=False, max_length=300)


class ConfirmForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Did the task take place?"),
        widget=forms.RadioSelect,
        choices=[
            ("done", _("Yes, it took place")),
            ("no_show", _("The client did not turn up")),
        ],
        error_messages={"required": _("Choose whether the task took place.")},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class RescheduleForm(forms.Form):
    starts_at = datetime_field(_("New start time"))


class FeedbackStartForm(forms.Form):
    """No fields: the questions are the measurement engine's (``expert-task-feedback`` or
    ``orderer-task-feedback``). The form carries a refusal to the page's error summary."""


MONEY_KW: dict[str, Any] = {"max_digits": 7, "decimal_places": 2, "min_value": Decimal("0"), "required": False}
RECEIPT_HELP = _("PDF, JPEG or PNG, at most 5 MB.")


class ExpenseForm(forms.Form):
    kilometres = forms.DecimalField(
        label=_("Kilometres by own car (there and back)"),
        max_digits=7,
        decimal_places=1,
        min_value=Decimal("0"),
        max_value=Decimal("2000"),
        required=False,
        error_messages={
            "max_value": _("Check the kilometres: at most 2000 km."),
            "min_value": _("Kilometres cannot be negative."),
        },
    )
    ticket_amount = forms.DecimalField(label=_("Tickets (€)"), **MONEY_KW)
    ticket_receipt = forms.FileField(label=_("Receipt for the tickets"), required=False, help_text=RECEIPT_HELP)
    meal_amount = forms.DecimalField(label=_("Meals (€)"), **MONEY_KW)
    meal_receipt = forms.FileField(label=_("Receipt for the meals"), required=False, help_text=RECEIPT_HELP)
    lodging_amount = forms.DecimalField(label=_("Lodging (€)"), **MONEY_KW)
    lodging_receipt = forms.FileField(label=_("Receipt for the lodging"), required=False, help_text=RECEIPT_HELP)
    daily_allowance = forms.DecimalField(label=_("Daily allowance (€)"), **MONEY_KW)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(
            data.get(k) for k in ("kilometres", "ticket_amount", "meal_amount", "lodging_amount", "daily_allowance")
        ):
            raise forms.ValidationError(_("Add at least one expense."))
        for kind in ("ticket", "meal", "lodging"):
            if data.get(f"{kind}_amount") and not data.get(f"{kind}_receipt"):
                self.add_error(f"{kind}_receipt", _("Attach the receipt."))
        return data


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
