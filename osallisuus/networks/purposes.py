"""Why networked work reads people's data: the purposes written to the access log.

The log keeps the English code; "Who has seen my data" shows it in the reader's language. Every
purpose used in the code is listed here (``tests/test_access_purposes.py``)."""

from django.utils.translation import gettext_lazy as _

PURPOSES = {
    "network": _("network"),
    "network members": _("network members"),
    "network meeting": _("network meeting"),
    "network export": _("network picture export"),
    "network map": _("personal network map"),
    "network map sharing": _("sharing a personal network map"),
}
