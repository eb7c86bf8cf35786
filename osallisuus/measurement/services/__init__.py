"""Writes of the measurement module, by journey. Other modules use this engine through these names
(``from osallisuus.measurement import services``; docs/measurement.md):

* answering (``answering``): ``response_start``, ``response_url``, ``response_save``,
  ``response_submit``, ``response_withdraw``, ``response_share``, ``register_context_link``,
  ``invitation_start``;
* instruments (``instruments``): ``instrument_import``, ``instrument_export``, ``instrument_newest``;
* rounds (``rounds``): ``round_create``, ``round_invite``;
* personal links, e-mail and printed sheets (``links``): ``link_find``, ``link_open``,
  ``link_withdraw``, ``invitations_email``, ``reminders_send``, ``sheets_issue``;
* answers from a file (``answer_files``), external instruments (``external``), retention
  (``retention``);
* refusals (``errors``): ``MeasurementError`` (a ``core.errors.Refusal``) and its kinds.
"""

from ..selectors import answers_of
from .answer_files import AnswersImportResult, answers_import
from .answering import (
    check_values,
    invitation_start,
    register_context_link,
    respondent_language,
    response_for_invitation,
    response_save,
    response_share,
    response_start,
    response_submit,
    response_url,
    response_withdraw,
    score_of,
)
from .errors import AnswersInvalid, InstrumentVersionConflict, LinkInvalid, MeasurementError
from .external import external_assessment_record
from .instruments import ImportResult, instrument_export, instrument_import, instrument_newest
from .links import (
    LinkTarget,
    Sheet,
    invitation_issue_link,
    invitations_email,
    invitations_to_email,
    link_find,
    link_open,
    link_url,
    link_withdraw,
    reminders_due,
    reminders_send,
    sheets_issue,
)
from .retention import RETENTION_DAYS_DEFAULT, retention_apply
from .rounds import INVITATION_KIND, REMINDER_KIND, round_create, round_invite

__all__ = [
    "INVITATION_KIND",
    "REMINDER_KIND",
    "RETENTION_DAYS_DEFAULT",
    "AnswersImportResult",
    "AnswersInvalid",
    "ImportResult",
    "InstrumentVersionConflict",
    "LinkInvalid",
    "LinkTarget",
    "MeasurementError",
    "Sheet",
    "answers_import",
    "answers_of",
    "check_values",
    "external_assessment_record",
    "instrument_export",
    "instrument_import",
    "instrument_newest",
    "invitation_issue_link",
    "invitation_start",
    "invitations_email",
    "invitations_to_email",
    "link_find",
    "link_open",
    "link_url",
    "link_withdraw",
    "register_context_link",
    "reminders_due",
    "reminders_send",
    "respondent_language",
    "response_for_invitation",
    "response_save",
    "response_share",
    "response_start",
    "response_submit",
    "response_url",
    "response_withdraw",
    "retention_apply",
    "round_create",
    "round_invite",
    "score_of",
    "sheets_issue",
]
