"""Forms of networked work. They check the shape of what was typed; the rules are in the services,
whose refusals the pages show beside the field (what was typed is kept)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallisuus.core import formatting
from osallisuus.core.formatting import parse_decimal

from .models import (
    Goal,
    Lifecycle,
    MapPerson,
    Meeting,
    MemberKind,
    Network,
    NetworkType,
    Quality,
    Resource,
    Role,
    Sector,
    Snapshot,
    Strength,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AmountField(forms.Field):
    """A number as people type it: ``12``, ``12,50``, ``1 200,00``, a minus sign kept so the service
    can say why it is refused."""

    widget = forms.TextInput

    def widget_attrs(self, widget: Any) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "maxlength": "20"}

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        if not text:
            return None
        amount = parse_decimal(text.replace("€", "")) if len(text) <= 20 else None
        if amount is None:
            raise forms.ValidationError(_("Give a number, for example 25 or 25,50."))
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Give the number to two decimals at most, for example 25,50."))
        return amount

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return formatting.number(value, 2, group=False)
        return value


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All")), *NetworkType.choices])
    lifecycle = forms.ChoiceField(label=_("Lifecycle"), required=False, choices=[("", _("All")), *Lifecycle.choices])
    organisation = forms.ChoiceField(label=_("Owner organisation"), required=False, choices=[])
    state = forms.ChoiceField(
        label=pgettext_lazy("open or closed", "State"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), ("closed", _("Closed"))],
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All")), *[(str(pk), name) for pk, name in organisations]]


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "purpose", "type", "lifecycle", "legal_basis", "goal", "ends_on", "visibility"]
        widgets = {
            "ends_on": DATE,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "goal": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "legal_basis": _("Where the network has statutory tasks: the act and section, for example."),
            "goal": _("A project network: what it sets out to achieve."),
            "ends_on": _("A project network: when it is meant to end."),
        }


class OrganisationChoiceForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("For which organisation?"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose the organisation you act for.")},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Taking part as"), choices=MemberKind.choices)


class AcceptForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=200,
        help_text=_("Without an account: the name the other members will see."),
    )
    create_account = forms.BooleanField(
        label=_("Make me an account too"),
        required=False,
        help_text=_(
            "With an account you see the meetings and notes when you log in. The link for choosing "
            "your password comes to the e-mail address this invitation was sent to."
        ),
    )


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)
    strengths = forms.MultipleChoiceField(
        label=_("Strengths"), choices=Strength.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class RotationForm(forms.Form):
    """One number per organisation: the order in which they host."""

    def __init__(self, *args: Any, organisations: list[Any], current: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for org in organisations:
            position = current.index(org.pk) + 1 if org.pk in current else ""
            self.fields[f"org_{org.pk}"] = forms.IntegerField(
                label=org.name,
                required=False,
                min_value=1,
                max_value=99,
                initial=position,
                help_text=_("Empty: does not host."),
            )

    def order(self) -> list[int]:
        chosen = [(v, int(k.removeprefix("org_"))) for k, v in self.cleaned_data.items() if v]
        return [pk for _pos, pk in sorted(chosen)]


class MeetingForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "host",
            "place",
            "channel_url",
            "agenda",
            "future",
            "helped",
            "worried",
        ]
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "future": forms.Textarea(attrs={"rows": 2}),
            "helped": forms.Textarea(attrs={"rows": 2}),
            "worried": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "future": _("Only in an anticipation dialogue."),
            "host": _("Proposed from the rotation order; you can choose another."),
        }

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        host = self.fields["host"]
        assert isinstance(host, forms.ModelChoiceField)
        host.queryset = host.queryset.filter(pk__in=[o.pk for o in organisations])  # type: ignore[union-attr]


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(m.pk), m.name) for m in members]


class NotesForm(forms.Form):
    notes = forms.CharField(label=_("Notes for the members"), widget=forms.Textarea(attrs={"rows": 6}))


class ActionForm(forms.Form):
    text = forms.CharField(label=_("What is done"), max_length=300)
    owner = forms.ChoiceField(label=_("Who does it"), choices=[])
    due_on = forms.DateField(label=_("By when"), widget=DATE)

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(m.pk), m.name) for m in members]


class FollowUpForm(forms.Form):
    done = forms.BooleanField(label=_("Done"), required=False)
    note = forms.CharField(label=_("How it went"), required=False, max_length=300)


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=300)
    measure = forms.CharField(label=_("How we know it is reached"), max_length=300, required=False)


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    organisation = forms.ChoiceField(label=_("Organisation"), choices=[])
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    hours = AmountField(label=_("Hours"), required=False)
    cost = AmountField(label=_("Cost (€)"), help_text=_("For example 120 or 120,50."))
    spent_on = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._orgs = {str(o.pk): o for o in organisations}
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(o.pk), o.name) for o in organisations]

    def chosen_organisation(self) -> Any:
        return self._orgs.get(self.cleaned_data.get("organisation") or "")


class TieForm(forms.Form):
    target = forms.ChoiceField(label=_("Whom do you work with?"), choices=[])
    reason = forms.CharField(label=_("What do you do together?"), max_length=300)
    valid_from = forms.DateField(label=_("Since when"), widget=DATE, required=False)

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(m.pk), m.name) for m in members]


class PictureForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=Snapshot.Level.choices, required=False)
    colour = forms.ChoiceField(
        label=_("Colours by"), required=False, choices=[("role", _("Role")), ("group", _("Organisation"))]
    )


class ChangeForm(forms.Form):
    before = forms.DateField(label=_("From"), widget=DATE)
    after = forms.DateField(label=_("To"), widget=DATE)


class MapForm(forms.Form):
    title = forms.CharField(label=_("Name of the map"), max_length=200, initial=_("My network map"))


class MapPersonForm(forms.Form):
    name = forms.CharField(label=_("Name or how you call the person"), max_length=100)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("Choose")), *Sector.choices], required=False)
    circle = forms.TypedChoiceField(
        label=_("How close"), choices=MapPerson.Circle.choices, coerce=int, widget=forms.RadioSelect, initial=2
    )
    quality = forms.ChoiceField(
        label=_("How is the relationship?"),
        choices=Quality.choices,
        widget=forms.RadioSelect,
        initial=Quality.SUPPORTIVE,
    )
    support = forms.CharField(
        label=_("Kind of support"),
        max_length=200,
        required=False,
        help_text=_("For example: listens, helps with errands."),
    )


class MapVersionForm(forms.Form):
    note = forms.CharField(label=_("What has changed?"), max_length=300, required=False)


class MapShareForm(forms.Form):
    worker = forms.ChoiceField(label=_("Share with"), required=False, choices=[])

    def __init__(self, *args: Any, workers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Nobody (only me)")), *[(str(w.pk), w.full_name) for w in workers]]


class EvaluationForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Last day for answering"),
        widget=DATE,
        required=False,
        help_text=_("At most 90 days from today. The members see the questionnaire under Questionnaires."),
    )

    def __init__(self, *args: Any, can_close: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if can_close:
            self.fields["closing"] = forms.BooleanField(
                label=_("This is the closing evaluation of the project"),
                required=False,
                help_text=_("After it has been sent, the network can be closed. It is sent once."),
            )
