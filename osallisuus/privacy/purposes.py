"""Why this module reads people's data: the purposes written to the access log.

The log keeps the English code; "Who has seen my data" shows it in the reader's language
(``core.access.purpose_label``). Every purpose used in the code must be listed here
(``tests/test_access_purposes.py``)."""

from django.utils.translation import gettext_lazy as _

PURPOSES = {
    "access log search": _("access log search"),
    "data-subject request": _("data-subject request"),
    "data-subject request search": _("data-subject request search"),
    "data-subject request: erasure": _("data-subject request: erasure"),
    "data-subject request: export": _("data-subject request: export"),
    "data-subject request: export (command line)": _("data-subject request: export (command line)"),
}
