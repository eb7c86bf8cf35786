"""Forms of participatory budgeting. They check the shape of what was typed; the rules (phases, the
budget, the ballot style) are in the services, whose refusals the pages show beside the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.core import formatting
from osallisuus.core.formatting import parse_decimal

from .models import Process, Proposal, Purchase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
IMAGE_MAX_BYTES = 8 * 1024 * 1024
DATE_FIELDS = (
    "proposals_from",
    "proposals_until",
    "costing_until",
    "voting_from",
    "voting_until",
    "results_on",
    "delivery_until",
)


class MoneyField(forms.Field):
    """Euros as people type them: ``650``, ``650,50``, ``1 200,00`` (a comma or a point)."""

    widget = forms.TextInput

    def widget_attrs(self, widget: Any) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "maxlength": "20"}

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        if not text:
            return None
        amount = parse_decimal(text.replace("€", "")) if len(text) <= 20 else None
        if amount is None:
            raise forms.ValidationError(_("Give the amount in euros, for example 650 or 650,50."))
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Give the amount to the cent at most, for example 650,50."))
        return amount

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return formatting.number(value, 2, group=False)
        return value


class ProcessForm(forms.ModelForm):
    budget = MoneyField(label=_("Budget (€)"), help_text=_("The money the group decides on, for example 5 000."))

    class Meta:
        model = Process
        fields = [
            "name",
            "description",
            "budget",
            "electorate",
            "activity",
            "electorate_organisation",
            "ballot_style",
            "max_choices",
            "min_share_percent",
            "winner_rule",
            "third_sector_minimum",
            "proposals_from",
            "proposals_until",
            "costing_until",
            "voting_from",
            "voting_until",
            "results_on",
            "delivery_until",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "electorate": forms.RadioSelect,
            "ballot_style": forms.RadioSelect,
            "winner_rule": forms.RadioSelect,
            **dict.fromkeys(
                (
                    "proposals_from",
                    "proposals_until",
                    "costing_until",
                    "voting_from",
                    "voting_until",
                    "results_on",
                    "delivery_until",
                ),
                DATE,
            ),
        }
        labels = {
            "activity": _("The activity whose participants vote"),
            "electorate_organisation": _("The organisation whose people vote"),
        }
        help_texts = {
            "description": _("In plain words: what the money is for and who takes part."),
            "electorate": _("People without an account can vote with a printed voting code in every case."),
            "max_choices": _("Only when people choose up to a set number of proposals."),
            "min_share_percent": _("Only when choices must fit in the budget. Leave empty for no minimum."),
            "winner_rule": _(
                "Most votes first funds the most popular proposals that fit. Equal shares divides the money "
                "equally among the voters, so that smaller groups get something too."
            ),
            "third_sector_minimum": _("As in the KAAOS model: at least one solution is bought from an association."),
        }

    def __init__(self, *args: Any, activities: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        activity = cast("forms.ModelChoiceField[Any]", self.fields["activity"])
        activity.queryset = activities
        electorate_organisation = cast("forms.ModelChoiceField[Any]", self.fields["electorate_organisation"])
        electorate_organisation.queryset = organisations
        self.fields["activity"].required = False
        self.fields["electorate_organisation"].required = False
        self.fields["name"].error_messages["required"] = _("Give the process a name.")
        self.fields["budget"].error_messages["required"] = _("Give the budget.")
        if not self.is_bound and self.instance.pk is None:
            today = timezone.localdate()
            for offset, name in enumerate(DATE_FIELDS):
                self.initial.setdefault(name, today + dt.timedelta(days=14 * offset))

    def _post_clean(self) -> None:
        # The services check the rules and the order of the dates; the model's own checks of a half-filled
        # instance would only repeat them.
        pass


class OrganisationChoiceForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("The organisation that runs the process"),
        queryset=None,
        error_messages={"required": _("Choose the organisation you act for.")},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["organisation"]).queryset = organisations


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("What would you like to do?"),
        max_length=200,
        help_text=_("A short name for your idea, for example: A shelter for the skate park."),
        error_messages={"required": _("Write what you would like to do.")},
    )
    for_whom = forms.CharField(
        label=_("Who is it for?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Write who it is for.")},
    )
    why = forms.CharField(
        label=_("Why is it important?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Write why it is important.")},
    )
    image = forms.ImageField(
        label=_("A photo or a drawing (if you want)"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 8 MB. Do not put a photo of other people without their permission."),
        error_messages={"invalid_image": _("The file is not a picture. Use a JPEG, PNG or WebP image.")},
    )
    image_alt = forms.CharField(
        label=_("What the picture shows (if you add one)"),
        max_length=300,
        required=False,
        help_text=_("A few words for people who cannot see the picture."),
    )

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and getattr(image, "size", 0) > IMAGE_MAX_BYTES:
            raise forms.ValidationError(_("The picture is too large. Use a picture of at most 8 MB."))
        return image


class ProposalEditForm(ProposalForm):
    remove_image = forms.BooleanField(label=_("Remove the picture"), required=False)


class ReviewForm(forms.Form):
    feasible = forms.TypedChoiceField(
        label=_("Can it be carried out?"),
        choices=[("yes", _("Yes, it can be carried out")), ("no", _("No, it cannot be carried out"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether it can be carried out.")},
    )
    cost = MoneyField(label=_("Cost (€)"), required=False, help_text=_("What it would cost, for example 650."))
    provider: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Who could carry it out"), queryset=None, required=False, empty_label=_("Someone else (write below)")
    )
    provider_name = forms.CharField(label=_("Someone else: who?"), max_length=200, required=False)
    third_sector = forms.BooleanField(
        label=_("A third-sector actor (an association, a foundation or a similar organisation) carries it out"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason or note for the proposers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when it cannot be carried out. Write it in plain words: the proposers read it."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["provider"]).queryset = organisations


class BallotForm(forms.Form):
    choices = forms.MultipleChoiceField(
        label=_("Your choices"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one proposal."),
            "invalid_choice": _("Choose among the proposals on the ballot."),
        },
    )

    def __init__(
        self, *args: Any, options: list[Proposal], label: Any = None, help_text: Any = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["choices"]).choices = [(str(p.pk), p.title) for p in options]
        if label:
            self.fields["choices"].label = label
        self.fields["choices"].help_text = help_text


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your voting code"),
        max_length=40,
        help_text=_("The code is on your card, for example ACDE-FH34-JKLM."),
        error_messages={"required": _("Write the code from your card.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes?"),
        min_value=1,
        max_value=500,
        initial=10,
        help_text=_("One code for each person who votes without an account. A sheet has ten cards."),
        error_messages={
            "required": _("Give the number of codes."),
            "invalid": _("Give a whole number, for example 10."),
            "min_value": _("Make at least one code."),
            "max_value": _("Make at most %(limit_value)s codes at a time."),
        },
    )


class AssistPersonForm(forms.Form):
    person = forms.TypedChoiceField(
        label=_("Who are you helping?"),
        coerce=int,
        error_messages={
            "required": _("Choose the person you are helping."),
            "invalid_choice": _("Choose the person you are helping."),
        },
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["person"]).choices = [("", _("Choose a person"))] + [
            (p.pk, p.full_name) for p in people
        ]


class EligibleAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_("The person must have an account. People without an account vote with a voting code."),
        error_messages={"required": _("Give the e-mail address."), "invalid": _("Check the e-mail address.")},
    )


class PurchaseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Purchase or grant"),
        choices=Purchase.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a purchase or a small grant.")},
    )
    provider: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Provider"), queryset=None, required=False, empty_label=_("Someone else (write below)")
    )
    provider_name = forms.CharField(label=_("Someone else: who?"), max_length=200, required=False)
    amount = MoneyField(label=_("Amount (€)"), error_messages={"required": _("Give the amount.")})
    agreed_on = forms.DateField(
        label=_("Agreement date"),
        widget=DATE,
        error_messages={"required": _("Give the agreement date."), "invalid": _("Give the date as 4.12.2026.")},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["provider"]).queryset = organisations


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(
        label=_("Carried out on"),
        widget=DATE,
        error_messages={
            "required": _("Give the date it was carried out."),
            "invalid": _("Give the date as 4.12.2026."),
        },
    )
    delivery_note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Write in a few words what was done.")},
    )
