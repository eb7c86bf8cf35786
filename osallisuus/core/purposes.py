"""Why this module reads people's data: the purposes written to the access log.

The log keeps the English code; "Who has seen my data" shows it in the reader's language
(``core.access.purpose_label``). Every purpose used in the code must be listed here
(``tests/test_access_purposes.py``)."""

from django.utils.translation import gettext_lazy as _

PURPOSES = {
    "feedback handling": _("feedback handling"),
}
