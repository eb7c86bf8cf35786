from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Activity, Basket, Goal, Meeting, Outcome, Plan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanSectionsForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "about_me",
            "what_matters",
            "strengths",
            "support",
            "next_step",
            "next_step_on",
            "status",
            "official_name",
            "official_title",
            "official_phone",
            "official_email",
            "official_hours",
        ]
        widgets = {
            "about_me": forms.Textarea(attrs={"rows": 4}),
            "what_matters": forms.Textarea(attrs={"rows": 4}),
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "support": forms.Textarea(attrs={"rows": 3}),
            "next_step": forms.Textarea(attrs={"rows": 3}),
            "next_step_on": DATE,
            "status": forms.RadioSelect,
        }
        help_texts = {
            "about_me": _("Write in your own words. You can change this at any time."),
            "support": _("For example rehabilitation, social work, a peer group or a doctor."),
            "next_step": _("The next thing that happens in your plan, and who does it."),
            "status": _("The plan never ends by itself. You can let it rest for a while and take it up again."),
        }


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("My goal"),
        max_length=200,
        help_text=_("In your own words. For example: I want to get to know new people."),
    )
    basket = forms.ChoiceField(
        label=_("Which area of life is it about?"), choices=Basket.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("More about the goal (if you want)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    target_on = forms.DateField(label=_("I hope to reach it by (if you want)"), required=False, widget=DATE)
    review_on = forms.DateField(label=_("We look at it together on (if you want)"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basket"].error_messages["required"] = _("Choose which area of life the goal belongs to.")
        self.fields["title"].error_messages["required"] = _("Write your goal in your own words.")


class GoalEditForm(GoalForm):
    lifecycle_status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in Goal.Lifecycle.choices if c[0] != Goal.Lifecycle.PROPOSED],
        widget=forms.RadioSelect,
    )
    achievement_status = forms.ChoiceField(
        label=_("How is it going?"), choices=Goal.Achievement.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Why did you change it? (if you want)"), required=False, max_length=300)

    field_order = [
        "title",
        "basket",
        "description",
        "lifecycle_status",
        "achievement_status",
        "target_on",
        "review_on",
        "reason",
    ]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("How is it going?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a few words about how it is going.")},
    )


class ShareForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"), help_text=_("The person must have an account in this service.")
    )


class MeetingRequestForm(forms.Form):
    with_whom = forms.ChoiceField(
        label=_("Who do you want to meet?"),
        choices=Meeting.With.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who you want to meet.")},
    )
    topic = forms.CharField(
        label=_("What would you like to talk about?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a few words about what you would like to talk about.")},
    )
    wishes = forms.CharField(
        label=_("Times that suit you (if you want)"),
        required=False,
        max_length=300,
        help_text=_("For example: mornings, not on Mondays."),
    )


class MeetingScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    duration_minutes = forms.IntegerField(label=_("Length in minutes"), min_value=10, max_value=480, initial=60)
    place = forms.CharField(label=_("Place or link"), max_length=300)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened?"), choices=Outcome.Kind.choices, widget=forms.RadioSelect)
    achieved_on = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(
        label=_("Tell more (if you want)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    goal = forms.ModelChoiceField(
        label=_("Which goal is it about? (if any)"), queryset=Goal.objects.none(), required=False
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ModelChoiceField)
        goal.queryset = plan.goals.exclude(lifecycle_status=Goal.Lifecycle.PROPOSED)


class OrganisationChoiceForm(forms.Form):
    """Which organisation a person acts for, when more than one fits
    (``accounts.selectors.acting_organisation`` decides; this only shows the choice)."""

    organisation = forms.ChoiceField(label=_("Organisation"))

    def __init__(self, *args: Any, organisations: QuerySet[Any] | list[Any], label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(org.pk), org.name) for org in organisations]
        if label:
            field.label = label


def organisation_field(organisations: QuerySet[Any] | list[Any], label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[("", "–"), *[(str(org.pk), org.name) for org in organisations]], required=False
    )


class ActivityForm(forms.ModelForm):
    baskets = forms.MultipleChoiceField(
        label=_("Areas of life"),
        choices=Basket.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one area of life.")},
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "summary",
            "baskets",
            "area",
            "place",
            "schedule",
            "starts_on",
            "ends_on",
            "language",
            "accessible",
            "accessibility",
            "cost",
            "capacity",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DATE,
            "ends_on": DATE,
            "cost": forms.RadioSelect,
            "language": forms.RadioSelect,
        }

    def __init__(self, *args: Any, organisations: QuerySet[Any] | list[Any] | None = None, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {})["baskets"] = instance.basket_list
        super().__init__(*args, **kwargs)
        if organisations is not None and len(organisations) > 1:
            # The person runs activities for several organisations: they choose whose this is.
            self.fields["organisation"] = organisation_field(organisations, _("Which organisation runs it?"))
            self.order_fields(["organisation"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last time is before the first time. Check the dates."))
        return data

    def _post_clean(self) -> None:
        # The model's own validation runs in the service; the basket list is not a model value here.
        pass


class ActivityProposalForm(ActivityForm):
    co_run = forms.BooleanField(label=_("I would like to help run it"), required=False)

    class Meta(ActivityForm.Meta):
        fields = ["title", "summary", "baskets", "area", "schedule", "language", "capacity"]


class AttendanceForm(forms.Form):
    on = forms.DateField(label=_("Day"), widget=DATE)


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False, max_length=100)
    basket = forms.ChoiceField(label=_("Area of life"), required=False, choices=[("", _("All")), *Basket.choices])
    area = forms.ChoiceField(label=_("Area"), required=False, choices=[])
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All")), ("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))],
    )
    accessible = forms.BooleanField(
        label=_("Only accessible places"), required=False, widget=forms.CheckboxInput(attrs={"value": "1"})
    )
    free_places = forms.BooleanField(
        label=_("Only activities with free places"), required=False, widget=forms.CheckboxInput(attrs={"value": "1"})
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("name", _("By name")), ("free", _("Most free places first")), ("starts", _("Starting first"))],
    )

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = [("", _("All")), *[(a, a) for a in areas]]
