from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Feedback


class FeedbackForm(forms.Form):
    topic = forms.ChoiceField(label=_("What is your feedback about?"), choices=Feedback.Topic.choices,
                              widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Your feedback"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tell us what happened and on which page. Do not write health or other sensitive details."),
        error_messages={"required": _("Write your feedback.")},
    )
    page_url = forms.CharField(label=_("Page address (optional)"), max_length=500, required=False)
    email = forms.EmailField(
        label=_("E-mail, if you want a reply (optional)"),
        required=False,
        error_messages={"invalid": _("Check the e-mail address, for example name@example.fi.")},
    )
