from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.utils.translation import gettext_lazy as _

from . import login_hooks


class EmailLoginForm(AuthenticationForm):
    """Log in with e-mail and password. The error never tells whether the account exists."""

    username = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
        error_messages={
            "required": _("Write your e-mail address."),
            "invalid": _("Check the e-mail address, for example name@example.fi."),
        },
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Write your password.")},
    )

    error_messages = {
        "invalid_login": _("The e-mail address or password is wrong. Check them and try again."),
        "inactive": _("The e-mail address or password is wrong. Check them and try again."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.render_value = False

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        # Another login app may require this person to use another way (staff of an organisation
        # whose administrator turned password login off). Asked only after the password was right.
        refusal = login_hooks.password_refusal(user)
        if refusal:
            raise forms.ValidationError(refusal, code="password_login_off")


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's password change form; the rules of the validators as plain text under the field,
    so the hint fits the form pattern and is read out with the field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = password_validation.password_validators_help_texts()
        self.fields["new_password1"].help_text = " ".join(str(rule) for rule in rules)


class SetPasswordForm(DjangoSetPasswordForm):
    """Choose one's first password (from an invitation link); the rules under the field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = password_validation.password_validators_help_texts()
        self.fields["new_password1"].help_text = " ".join(str(rule) for rule in rules)


class OneTimeCodeField(forms.RegexField):
    """Six digits. Authenticator apps show the code as "123 456" and some phones type
    full-width digits, so spaces and dashes are dropped and the digits normalised first."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", text))


class OneTimeCodeForm(forms.Form):
    code = OneTimeCodeField(
        label=_("One-time code"),
        regex=r"^[0-9]{6}$",
        max_length=20,
        help_text=_("The six digits shown by your authenticator app."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={
            "required": _("Write the six-digit code."),
            "invalid": _("The code has six digits, for example 123456."),
            "max_length": _("The code has six digits, for example 123456."),
        },
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("For example the name of the system that uses it."),
        error_messages={"required": _("Give the token a name.")},
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=365,
        initial=90,
        error_messages={
            "required": _("Give a number of days between 1 and 365."),
            "invalid": _("Give a number of days between 1 and 365."),
            "min_value": _("Give a number of days between 1 and 365."),
            "max_value": _("Give a number of days between 1 and 365."),
        },
    )
