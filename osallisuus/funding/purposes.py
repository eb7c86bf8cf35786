"""Why partnership funding reads data: the purposes written to the access log.

The log keeps the English code; "Who has seen my data" shows it in the reader's language."""

from django.utils.translation import gettext_lazy as _

PURPOSES = {
    "funding programme": _("funding programme"),
    "funding call": _("funding call"),
    "funding idea": _("funding idea"),
    "funding application": _("funding application"),
    "funding payments": _("funding payments"),
    "funding loans": _("funding loans"),
    "funding groups": _("funding groups"),
}
