"""Forms of a task's journey: the request, review, offers, agreement, expenses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ExperienceArea, Expert, TaskRequest, TaskType
from ..permissions import starts_soon
from .base import PersonChoiceField, _choice, _model_choice, datetime_field


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
