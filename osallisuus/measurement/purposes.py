"""Why this module reads people's data: the purposes written to the access log.

The log keeps the English code; "Who has seen my data" shows it in the reader's language
(``core.access.purpose_label``). Every purpose used in the code must be listed here
(``tests/test_access_purposes.py``)."""

from django.utils.translation import gettext_lazy as _

PURPOSES = {
    "answer sheets printed for people without e-mail": _("answer sheets printed for people without e-mail"),
    "external instruments recorded (list)": _("external instruments recorded (list)"),
    "measurement round: who is invited": _("measurement round: who is invited"),
    "own workers offered as a choice for sharing answers": _("own workers offered as a choice for sharing answers"),
    "people one may invite to a measurement round": _("people one may invite to a measurement round"),
    "people one may record an external instrument for": _("people one may record an external instrument for"),
    "questionnaire answers shared by clients (list)": _("questionnaire answers shared by clients (list)"),
    "questionnaire answers shared by the client": _("questionnaire answers shared by the client"),
}
