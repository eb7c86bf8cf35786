"""Why participatory budgeting reads people's data: the purposes written to the access log.

The log keeps the English code; "Who has seen my data" shows it in the reader's language. Every
purpose used in the code is listed here (``tests/test_access_purposes.py``)."""

from django.utils.translation import gettext_lazy as _

PURPOSES = {
    "budgeting process": _("budgeting process"),
    "budgeting proposal": _("budgeting proposal"),
    "budgeting proposers": _("budgeting proposers"),
    "budgeting purchase": _("budgeting purchase"),
    "budgeting voter list": _("budgeting voter list"),
    "budgeting assisted voting": _("budgeting assisted voting"),
}
