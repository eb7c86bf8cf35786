from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Feedback


class FeedbackForm(forms.Form):
    """The feedback channel of the accessibility statement (act 306/2019), open to everyone."""

    topic = forms.ChoiceField(
        label=_("What is your feedback about?"),
        choices=Feedback.Topic.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what your feedback is about."),
            "invalid_choice": _("Choose what your feedback is about."),
        },
    )
    message = forms.CharField(
        label=_("Your feedback"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tell us what happened and on which page. Do not write health or other sensitive details."),
        error_messages={
            "required": _("Write your feedback."),
            "max_length": _("Shorten your feedback to at most %(limit_value)d characters (now %(show_value)d)."),
        },
    )
    page_url = forms.CharField(
        label=_("Page address (optional)"),
        max_length=500,
        required=False,
        error_messages={"max_length": _("Shorten the page address to at most %(limit_value)d characters.")},
    )
    email = forms.EmailField(
        label=_("E-mail, if you want a reply (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Check the e-mail address, for example name@example.fi.")},
    )
