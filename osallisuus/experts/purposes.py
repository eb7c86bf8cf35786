"""Why this module reads people's data: the purposes written to the access log.

The log keeps the English code; "Who has seen my data" shows it in the reader's language
(``core.access.purpose_label``). Every purpose used in the code must be listed here
(``tests/test_access_purposes.py``)."""

from django.utils.translation import gettext_lazy as _

PURPOSES = {
    "agreement": _("agreement"),
    "candidates (API)": _("candidates (API)"),
    "choose the professional partner": _("choose the professional partner"),
    "earnings limits (coordinator)": _("earnings limits (coordinator)"),
    "earnings limits: who recorded them": _("earnings limits: who recorded them"),
    "expert invitation (coordinator)": _("expert invitation (coordinator)"),
    "expert list": _("expert list"),
    "expert profile (administrator)": _("expert profile (administrator)"),
    "expert profile (coordinator)": _("expert profile (coordinator)"),
    "expert status (coordinator)": _("expert status (coordinator)"),
    "partner tasks": _("partner tasks"),
    "payment export": _("payment export"),
    "payments": _("payments"),
    "support sessions": _("support sessions"),
    "task offer": _("task offer"),
    "task request": _("task request"),
    "training certificate": _("training certificate"),
    "wellbeing signals": _("wellbeing signals"),
}
