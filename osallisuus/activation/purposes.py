"""Why this module reads people's data: the purposes written to the access log.

The log keeps the English code; "Who has seen my data" shows it in the reader's language
(``core.access.purpose_label``). Every purpose used in the code must be listed here
(``tests/test_access_purposes.py``)."""

from django.utils.translation import gettext_lazy as _

PURPOSES = {
    "FHIR export of the plan": _("FHIR export of the plan"),
    "FHIR export of the plan (API)": _("FHIR export of the plan (API)"),
    "accept a goal": _("accept a goal"),
    "activity roster": _("activity roster"),
    "ask for a meeting": _("ask for a meeting"),
    "calendar invitation": _("calendar invitation"),
    "cancel a meeting": _("cancel a meeting"),
    "caseload list": _("caseload list"),
    "change a goal": _("change a goal"),
    "compare goal versions": _("compare goal versions"),
    "edit the plan": _("edit the plan"),
    "own check-in": _("own check-in"),
    "own sign-up": _("own sign-up"),
    "own worker contact on the plan": _("own worker contact on the plan"),
    "plan sharing": _("plan sharing"),
    "plan sharing list": _("plan sharing list"),
    "print an outcome": _("print an outcome"),
    "print the plan": _("print the plan"),
    "read a goal": _("read a goal"),
    "read a meeting": _("read a meeting"),
    "read the plan": _("read the plan"),
    "read the plan (API)": _("read the plan (API)"),
    "record an outcome": _("record an outcome"),
    "write a goal": _("write a goal"),
    "write a progress note": _("write a progress note"),
}
