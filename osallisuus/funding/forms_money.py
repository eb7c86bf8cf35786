"""Forms of the money, the groups and the portfolio pages. They check the shape of what was typed;
the rules (the advance limit, verified outputs, the schedule adding up) are in the services, whose
refusals the pages show beside the field."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from osallisuus.core import formatting
from osallisuus.core.formatting import parse_decimal

from .models import Attachment, Output, Payment, Report

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MoneyField(forms.Field):
    """Euros as people type them: ``650``, ``650,50``, ``1 200,00`` (a comma or a point)."""

    widget = forms.TextInput

    def widget_attrs(self, widget: Any) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "maxlength": "20"}

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        if not text:
            return None
        amount = parse_decimal(text) if len(text) <= 20 else None
        if amount is None:
            raise forms.ValidationError(_("Give the amount in euros, for example 650 or 650,50."))
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Give the amount to the cent at most, for example 650,50."))
        if amount <= 0:
            raise forms.ValidationError(_("Give an amount greater than zero."))
        return amount

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return formatting.number(value, 2, group=False)
        return value


class FigureField(MoneyField):
    """A figure reached (0 or more, two decimals at most)."""

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        if not text:
            return None
        figure = parse_decimal(text) if len(text) <= 20 else None
        if figure is None or figure < 0:
            raise forms.ValidationError(_("Give a number of 0 or more, for example 12 or 12,5."))
        return figure


def new_key() -> str:
    return uuid.uuid4().hex


class PaymentRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of payment"), choices=Payment.Kind.choices)
    amount = MoneyField(label=_("Amount (€)"), help_text=_("For example 12 000 or 12 000,50."))
    report = forms.ModelChoiceField(
        label=_("Report attached"), queryset=Report.objects.none(), required=False, empty_label=_("No report")
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args: Any, reports: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reports is not None:
            self.fields["report"].queryset = reports  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", new_key())


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=Report.Kind.choices)
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    attachment = forms.ModelChoiceField(
        label=_("Attached file"),
        queryset=Attachment.objects.none(),
        required=False,
        empty_label=_("No file"),
        help_text=_("A file already attached to the application, for example the final report as PDF."),
    )

    def __init__(self, *args: Any, outputs: list[Output] | None = None, attachments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if attachments is not None:
            self.fields["attachment"].queryset = attachments  # type: ignore[attr-defined]
        self.outputs = outputs or []
        for output in self.outputs:
            self.fields[f"reached_{output.pk}"] = FigureField(
                label=_("Reached: %(output)s (target %(target)s %(unit)s)")
                % {"output": output.description, "target": formatting.number(output.target, 2), "unit": output.unit},
                required=False,
                initial=output.reached,
                help_text=_("Fill in with the final report."),
            )

    def reached(self) -> dict[int, Decimal]:
        return {
            o.pk: self.cleaned_data[f"reached_{o.pk}"]
            for o in self.outputs
            if self.cleaned_data.get(f"reached_{o.pk}") is not None
        }


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Why the request is rejected"), widget=forms.Textarea(attrs={"rows": 3}))


class LoanForm(forms.Form):
    amount = MoneyField(label=_("Loan amount (€)"))
    granted_on = forms.DateField(label=_("Granted on"), widget=DATE)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    schedule = forms.CharField(
        label=_("Repayment schedule"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One instalment a line: the due date and the amount, for example 1.6.2027 3 000,00."),
    )

    def clean_schedule(self) -> list[tuple[dt.date, Decimal]]:
        rows: list[tuple[dt.date, Decimal]] = []
        for number, line in enumerate(self.cleaned_data["schedule"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            day_text, _sep, amount_text = line.partition(" ")
            try:
                day = dt.datetime.strptime(day_text.strip(), "%d.%m.%Y").date()  # noqa: DTZ007 - a date, no time
            except ValueError:
                raise forms.ValidationError(_("Line %(n)s: give the date as 1.6.2027.") % {"n": number}) from None
            amount = parse_decimal(amount_text)
            if amount is None or amount <= 0:
                raise forms.ValidationError(
                    _("Line %(n)s: give the amount in euros, for example 3 000,00.") % {"n": number}
                )
            rows.append((day, amount))
        if not rows:
            raise forms.ValidationError(_("Give at least one instalment."))
        return rows


class RepaidForm(forms.Form):
    repaid_on = forms.DateField(label=_("Repaid on"), widget=DATE)


# -- groups -----------------------------------------------------------------------------------------


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the member"))
    role = forms.CharField(label=_("Role in the group"), max_length=100, required=False)


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The meeting ends after it starts."))
        return data


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50000)


class GroupDecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


# -- portfolio --------------------------------------------------------------------------------------


class PortfolioForm(forms.Form):
    funder = forms.TypedChoiceField(label=_("Funder"), coerce=int, choices=())
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())

    def __init__(self, *args: Any, funders: list[tuple[int, str]], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder"].choices = funders  # type: ignore[attr-defined]
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
