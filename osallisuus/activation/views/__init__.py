"""Pages of the participant's one plan, the activity catalogue, the worker's caseload, the
provider's activities and the municipality's reports, one module per journey. The rules are in
``permissions`` and ``services``, the reads and gates in ``selectors``; views only connect them
to forms and templates."""

from .activities import activity_detail, activity_help, activity_propose, activity_signup, catalogue, signup_cancel
from .caseload import caseload
from .goals import goal_accept, goal_compare, goal_create, goal_detail, goal_edit, goal_note
from .meetings import meeting_cancel, meeting_detail, meeting_ics, meeting_request
from .outcomes import outcome_create, outcome_print
from .plan import checkin_start, my_plan, plan_detail, plan_edit, plan_fhir, plan_pdf, plan_share, share_revoke
from .providers import provider_activity, provider_activity_edit, provider_activity_new, provider_adopt, provider_home
from .reports import report

__all__ = [
    "activity_detail",
    "activity_help",
    "activity_propose",
    "activity_signup",
    "caseload",
    "catalogue",
    "checkin_start",
    "goal_accept",
    "goal_compare",
    "goal_create",
    "goal_detail",
    "goal_edit",
    "goal_note",
    "meeting_cancel",
    "meeting_detail",
    "meeting_ics",
    "meeting_request",
    "my_plan",
    "outcome_create",
    "outcome_print",
    "plan_detail",
    "plan_edit",
    "plan_fhir",
    "plan_pdf",
    "plan_share",
    "provider_activity",
    "provider_activity_edit",
    "provider_activity_new",
    "provider_adopt",
    "provider_home",
    "report",
    "share_revoke",
    "signup_cancel",
]
