"""Why partnership funding reads people's data: the purposes written to the access log.

The log keeps the English code; "Who has seen my data" shows it in the reader's language. Every
purpose used in the code is listed here (``tests/test_access_purposes.py``)."""

from django.utils.translation import gettext_lazy as _

PURPOSES = {
    "funding payments": _("funding payments"),
    "funding loans": _("funding loans"),
    "funding groups": _("funding groups"),
}
