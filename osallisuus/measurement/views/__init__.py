"""Pages of the measurement module, by journey (``urls.py`` names them ``views.<name>``).
Rules live in ``permissions`` and ``services``, reads in ``selectors`` and ``reports``."""

from .answering import (
    invitation_start,
    link,
    link_withdraw,
    my_questionnaires,
    respond,
    response_answers,
    response_share,
    response_withdraw,
)
from .external import external
from .instruments import instrument_detail, instrument_export, instrument_schema, instrument_upload, instruments
from .reports import breakdown, change_report, reports_index, round_report, round_report_export
from .rounds import (
    round_create,
    round_detail,
    round_import,
    round_invite,
    round_remind,
    round_send,
    round_sheets,
    rounds,
)
from .shared import shared_detail, shared_with_me

__all__ = [
    "breakdown",
    "change_report",
    "external",
    "instrument_detail",
    "instrument_export",
    "instrument_schema",
    "instrument_upload",
    "instruments",
    "invitation_start",
    "link",
    "link_withdraw",
    "my_questionnaires",
    "reports_index",
    "respond",
    "response_answers",
    "response_share",
    "response_withdraw",
    "round_create",
    "round_detail",
    "round_import",
    "round_invite",
    "round_remind",
    "round_report",
    "round_report_export",
    "round_send",
    "round_sheets",
    "rounds",
    "shared_detail",
    "shared_with_me",
]
