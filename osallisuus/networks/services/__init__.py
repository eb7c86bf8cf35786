"""Writes of networked work: one function per change, each one transaction, each wrong input a
``NetworkRefusal`` with the field it is about (nothing partial is saved).

Split by journey into modules; every name is re-exported here."""

from __future__ import annotations

from .base import (
    ABSENT_AFTER_MEETINGS,
    CLOSING_NOTICE_DAYS,
    INVITATION_DAYS,
    TIE_WINDOW_DAYS,
    NetworkRefusal,
    _check_decision,
    _coordinate,
)
from .goals import goal_create, goal_set_status, resource_add
from .maps import latest_version, map_create, map_person_add, map_person_remove, map_share, map_version_new
from .meetings import (
    MEETING_FIELDS,
    _check_meeting,
    action_create,
    action_follow_up,
    attendance_record,
    meeting_create,
    meeting_update,
    next_host,
    notes_publish,
    open_actions_before,
    rotation_organisations,
    rotation_set,
)
from .members import (
    _clean_strengths,
    _send_password_link,
    _token_hash,
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_for_token,
    membership_add,
    membership_leave,
    membership_update,
)
from .networks import NETWORK_FIELDS, _check_network, closing_due, network_close, network_create, network_update
from .snapshots import (
    absent_members,
    check_snapshot_date,
    graph_on,
    monthly_snapshots,
    snapshot_compute,
    snapshot_request,
    snapshot_result,
)
from .ties import meeting_ties, tie_declare, tie_end, ties_rebuild

__all__ = [
    "ABSENT_AFTER_MEETINGS",
    "CLOSING_NOTICE_DAYS",
    "INVITATION_DAYS",
    "MEETING_FIELDS",
    "NETWORK_FIELDS",
    "TIE_WINDOW_DAYS",
    "NetworkRefusal",
    "_check_decision",
    "_check_meeting",
    "_check_network",
    "_clean_strengths",
    "_coordinate",
    "_send_password_link",
    "_token_hash",
    "absent_members",
    "action_create",
    "action_follow_up",
    "attendance_record",
    "check_snapshot_date",
    "closing_due",
    "goal_create",
    "goal_set_status",
    "graph_on",
    "invitation_accept",
    "invitation_create",
    "invitation_decline",
    "invitation_for_token",
    "latest_version",
    "map_create",
    "map_person_add",
    "map_person_remove",
    "map_share",
    "map_version_new",
    "meeting_create",
    "meeting_ties",
    "meeting_update",
    "membership_add",
    "membership_leave",
    "membership_update",
    "monthly_snapshots",
    "network_close",
    "network_create",
    "network_update",
    "next_host",
    "notes_publish",
    "open_actions_before",
    "resource_add",
    "rotation_organisations",
    "rotation_set",
    "snapshot_compute",
    "snapshot_request",
    "snapshot_result",
    "tie_declare",
    "tie_end",
    "ties_rebuild",
]
