"""Forms of partnership funding. They check the shape of what was typed; the rules (the deadline,
the envelope, the financing plan, the lump-sum limit) are in the services, whose refusals the pages
show beside the field with what was typed kept. Amounts are text fields read by ``services.money``
(the Finnish decimal comma is accepted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Application, Attachment, Call, Decision

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
HELSINKI = ZoneInfo("Europe/Helsinki")


class MoneyInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "maxlength": "20", "autocomplete": "off", **(attrs or {})})


def money_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=20, widget=MoneyInput(), help_text=help_text)


class _OrganisationMixin(forms.Form):
    def _organisation_field(self, organisations: list[Any]) -> None:
        if len(organisations) > 1:
            self.fields["organisation"] = forms.ChoiceField(
                label=_("The organisation you act for"),
                choices=[("", "—"), *[(str(o.pk), o.name) for o in organisations]],
            )


class StartApplicationForm(_OrganisationMixin):
    title = forms.CharField(label=_("Project name"), max_length=200)

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._organisation_field(organisations)


class IdeaForm(_OrganisationMixin):
    title = forms.CharField(label=_("Name of the idea"), max_length=200)
    summary = forms.CharField(
        label=_("The idea in short"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What would you do, for whom, and why? A few sentences are enough."),
    )

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._organisation_field(organisations)


class AdviceForm(forms.Form):
    text = forms.CharField(
        label=_("Advice to the organisation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The organisation sees this advice on the idea's page."),
    )


class InviteForm(forms.Form):
    invite = forms.ChoiceField(
        label=_("What next"),
        choices=[("yes", _("Invite to apply in a call")), ("no", _("Not taken forward"))],
        widget=forms.RadioSelect,
        initial="yes",
    )
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.none(), required=False)

    def __init__(self, *args: Any, calls: list[Call], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["call"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Call.objects.filter(pk__in=[c.pk for c in calls])


class PlanForm(forms.ModelForm):
    """The project plan; outputs, costs and financing are rows of the same page."""

    class Meta:
        model = Application
        fields = [
            "title",
            "aims",
            "target_group",
            "activities",
            "schedule",
            "theme",
            "area",
            "starts_on",
            "ends_on",
            "lump_sum",
            "eura_application_number",
            "eura_project_code",
        ]
        widgets = {
            "aims": forms.Textarea(attrs={"rows": 3}),
            "target_group": forms.Textarea(attrs={"rows": 2}),
            "activities": forms.Textarea(attrs={"rows": 4}),
            "schedule": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DATE,
            "ends_on": DATE,
        }
        help_texts = {
            "lump_sum": _("Paid when the outputs named in the decision are reached; no receipts."),
            "eura_application_number": _("If the application is also in EURA 2021."),
        }


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file is"), choices=Attachment.Kind.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, OpenDocument (ODT, ODS, ODP) or Office (DOCX, XLSX, PPTX, DOC, XLS, PPT).")
    )


class UserAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of a colleague"),
        help_text=_("She can then write and read this application. She must be an applicant of your organisation."),
    )


class ResubmitForm(forms.Form):
    call = forms.ModelChoiceField(label=_("A later call"), queryset=Call.objects.none())

    def __init__(self, *args: Any, calls: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["call"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = calls


class EuraForm(forms.Form):
    eura_application_number = forms.CharField(label=_("EURA application number"), max_length=40, required=False)
    eura_project_code = forms.CharField(label=_("EURA project code"), max_length=40, required=False)
    diary_number = forms.CharField(label=_("Diary number"), max_length=40, required=False)


class FunderChoiceMixin(forms.Form):
    def _funder_field(self, funders: list[Any]) -> None:
        if len(funders) > 1:
            self.fields["funder"] = forms.ChoiceField(
                label=_("The funder you act for"),
                choices=[("", "—"), *[(str(f.pk), str(f)) for f in funders]],
            )

    def funder_id(self) -> int | None:
        value = self.cleaned_data.get("funder")
        return int(value) if value else None


class ReviewForm(FunderChoiceMixin):
    comment = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, criteria: list[Any], funders: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._funder_field(funders)
        self.criteria = criteria
        choices = [("", "—"), *[(str(n), str(n)) for n in range(6)]]
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=_("%(criterion)s (weight %(weight)s %%), score 0–5")
                % {"criterion": criterion.name, "weight": criterion.weight},
                choices=choices,
                help_text=criterion.description,
            )

    def scores(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}", "") for c in self.criteria}


class RecommendationForm(FunderChoiceMixin):
    agrees = forms.ChoiceField(
        label=_("The funder's recommendation"),
        choices=[("yes", _("Recommends funding")), ("no", _("Does not recommend funding"))],
        widget=forms.RadioSelect,
    )
    amount = money_field(_("Recommended amount (€)"))
    note = forms.CharField(
        label=_("Note for the decision body"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, funders: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._funder_field(funders)


class HearingForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)
    starts = forms.TimeField(label=_("Starts (Finnish time)"), widget=TIME)
    ends = forms.TimeField(label=_("Ends (Finnish time)"), widget=TIME)
    place = forms.CharField(label=_("Place or video link"), max_length=200)

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        day = self.cleaned_data["day"]
        start = dt.datetime.combine(day, self.cleaned_data["starts"], tzinfo=HELSINKI)
        end = dt.datetime.combine(day, self.cleaned_data["ends"], tzinfo=HELSINKI)
        return start, end


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))


class DecisionForm(FunderChoiceMixin):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    amount = money_field(_("Amount granted (€)"), help_text=_("For a refusal, leave empty."))
    number = forms.CharField(label=_("Decision number"), max_length=60)
    decided_on = forms.DateField(label=_("Decision date"), widget=DATE)
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    refusal_reasons = forms.CharField(
        label=_("Reasons for refusal"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, funders: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._funder_field(funders)


class ApplicationForm(PlanForm):
    """The plan with its rows: outputs (``outputs-<i>-…``), the cost estimate (``costs-<i>-…``) and
    the financing plan (``financing-<source>``), named as the services name them in a refusal."""

    BLANK_ROWS = 2

    def __init__(self, *args: Any, outputs: int, costs: int, partners: Sequence[Any] = (), **kwargs: Any) -> None:
        from .models import CostLine, FinancingLine  # noqa: PLC0415 - models of this app, kept near their use

        super().__init__(*args, **kwargs)
        self.fields["co_applicants"] = forms.MultipleChoiceField(
            label=_("Co-applicants"),
            choices=[(str(o.pk), o.name) for o in partners],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_("Organisations that carry out the project with you."),
        )
        self.output_count, self.cost_count = outputs, costs
        self.fields["outputs-count"] = forms.IntegerField(widget=forms.HiddenInput, initial=outputs, required=False)
        self.fields["costs-count"] = forms.IntegerField(widget=forms.HiddenInput, initial=costs, required=False)
        for i in range(outputs):
            n = i + 1
            self.fields[f"outputs-{i}-description"] = forms.CharField(
                label=_("Output %(n)s") % {"n": n}, max_length=300, required=False
            )
            self.fields[f"outputs-{i}-indicator"] = forms.CharField(
                label=_("Indicator of output %(n)s") % {"n": n}, max_length=200, required=False
            )
            self.fields[f"outputs-{i}-target"] = forms.CharField(
                label=_("Target of output %(n)s") % {"n": n}, max_length=20, required=False, widget=MoneyInput()
            )
            self.fields[f"outputs-{i}-unit"] = forms.CharField(
                label=_("Unit of output %(n)s") % {"n": n}, max_length=40, required=False
            )
        for i in range(costs):
            n = i + 1
            self.fields[f"costs-{i}-category"] = forms.ChoiceField(
                label=_("Kind of cost %(n)s") % {"n": n},
                choices=[("", "—"), *CostLine.Category.choices],
                required=False,
            )
            self.fields[f"costs-{i}-description"] = forms.CharField(
                label=_("Cost %(n)s") % {"n": n}, max_length=300, required=False
            )
            self.fields[f"costs-{i}-amount"] = forms.CharField(
                label=_("Amount of cost %(n)s (€)") % {"n": n}, max_length=20, required=False, widget=MoneyInput()
            )
        for source, label in FinancingLine.Source.choices:
            self.fields[f"financing-{source}"] = forms.CharField(
                label=_("%(source)s (€)") % {"source": label}, max_length=20, required=False, widget=MoneyInput()
            )
        # Errors about a whole section land on a hidden anchor field of that section.
        for section in ("outputs", "costs", "financing"):
            self.fields[section] = forms.CharField(required=False, widget=forms.HiddenInput, label=_("Section"))
        self.fields["outputs"].label = _("Outputs")
        self.fields["costs"].label = _("Cost estimate")
        self.fields["financing"].label = _("Financing plan")

    def rows(self, prefix: str, count: int, names: tuple[str, ...]) -> list[list[forms.BoundField]]:
        return [[self[f"{prefix}-{i}-{name}"] for name in names] for i in range(count)]

    @property
    def output_rows(self) -> list[list[forms.BoundField]]:
        return self.rows("outputs", self.output_count, ("description", "indicator", "target", "unit"))

    @property
    def cost_rows(self) -> list[list[forms.BoundField]]:
        return self.rows("costs", self.cost_count, ("category", "description", "amount"))

    @property
    def financing_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("financing-")]

    @property
    def plan_fields(self) -> list[forms.BoundField]:
        return [*[self[name] for name in PlanForm.Meta.fields], self["co_applicants"]]

    def output_data(self) -> list[dict[str, Any]]:
        return [
            {k: self.data.get(f"outputs-{i}-{k}", "") for k in ("description", "indicator", "target", "unit")}
            for i in range(self.output_count)
        ]

    def cost_data(self) -> list[dict[str, Any]]:
        return [
            {k: self.data.get(f"costs-{i}-{k}", "") for k in ("category", "description", "amount")}
            for i in range(self.cost_count)
        ]

    def financing_data(self) -> dict[str, Any]:
        prefix = "financing-"
        return {name[len(prefix) :]: self.data.get(name, "") for name in self.fields if name.startswith(prefix)}

    def plan_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in PlanForm.Meta.fields}


class EnvelopeForm(forms.Form):
    funder = forms.ChoiceField(label=_("Funder"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    cap = money_field(_("Cap (€)"), required=True)
    source = forms.CharField(
        label=_("Source of the cap"), max_length=300, help_text=_("The decision or budget that sets the cap.")
    )

    def __init__(self, *args: Any, funders: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["funder"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *[(str(f.pk), str(f)) for f in funders]]


class FrameDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=[])
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(label=_("Address"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False)
    dated = forms.DateField(label=_("Date of the document"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import FrameDocument  # noqa: PLC0415 - a model of this app, kept near its use

        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = FrameDocument.Kind.choices


class InfoEventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=DATE)
    starts = forms.TimeField(label=_("Starts (Finnish time)"), widget=TIME)
    ends = forms.TimeField(label=_("Ends (Finnish time)"), widget=TIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    attendance = forms.IntegerField(label=_("Number attending"), min_value=0, required=False)

    def data_for_service(self) -> dict[str, Any]:
        day = self.cleaned_data["day"]
        return {
            "title": self.cleaned_data["title"],
            "starts_at": dt.datetime.combine(day, self.cleaned_data["starts"], tzinfo=HELSINKI),
            "ends_at": dt.datetime.combine(day, self.cleaned_data["ends"], tzinfo=HELSINKI),
            "place": self.cleaned_data["place"],
            "attendance": self.cleaned_data["attendance"],
        }


class CallForm(forms.Form):
    name = forms.CharField(label=_("Name of the call"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opens_day = forms.DateField(label=_("Opens on"), widget=DATE)
    opens_time = forms.TimeField(label=_("Opens at (Finnish time)"), widget=TIME)
    closes_day = forms.DateField(label=_("Closes on"), widget=DATE)
    closes_time = forms.TimeField(label=_("Closes at (Finnish time)"), widget=TIME)
    year = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    funders = forms.MultipleChoiceField(label=_("Funders taking part"), widget=forms.CheckboxSelectMultiple)
    criteria = forms.CharField(
        label=_("Criteria and weights"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One criterion a line: its name, a semicolon and its weight in per cent, e.g. “Feasibility; 30”."),
    )

    def __init__(self, *args: Any, funders: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["funders"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(f.pk), str(f)) for f in funders]

    def clean_criteria(self) -> list[tuple[str, int]]:
        rows = []
        for line in str(self.cleaned_data["criteria"]).splitlines():
            if not line.strip():
                continue
            name, _sep, weight = line.rpartition(";")
            if not name.strip() or not weight.strip().isdigit():
                raise forms.ValidationError(
                    _("Write each line as the criterion's name, a semicolon and its weight: “Feasibility; 30”.")
                )
            rows.append((name.strip(), int(weight.strip())))
        return rows

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        c = self.cleaned_data
        return (
            dt.datetime.combine(c["opens_day"], c["opens_time"], tzinfo=HELSINKI),
            dt.datetime.combine(c["closes_day"], c["closes_time"], tzinfo=HELSINKI),
        )
