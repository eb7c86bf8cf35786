"""Pages of networked work. The rules are in services and permissions, the reads and gates in
selectors; the views connect them to forms and templates. Every refusal is shown beside its field
with what was typed kept; nothing partial is saved (each service is one transaction).

Split by journey into modules; every name is re-exported here."""

from __future__ import annotations

from .base import PAGE_SIZE, TABLE_PAGE_SIZE, _list_page, _network_url, _refused, _require
from .evaluation import evaluation_page
from .goals import goal_status, goals, resources, resources_xlsx
from .maps import _map_page, map_detail, map_pdf, map_person_new, map_person_remove, map_share, map_version_new, maps
from .meetings import (
    _meeting_page,
    action_follow_up,
    action_new,
    meeting_attendance,
    meeting_detail,
    meeting_edit,
    meeting_ics,
    meeting_new,
    meeting_notes,
)
from .members import invitation, invite, membership_edit, membership_leave, rotation, tie_new
from .picture import (
    _export_data,
    _picture_params,
    change,
    export_csv,
    export_graphml,
    picture_context,
    picture_page,
    snapshot_new,
)
from .registry import _registry, home, mine, network_close, network_detail, network_edit, network_new, tie_end

__all__ = [
    "PAGE_SIZE",
    "TABLE_PAGE_SIZE",
    "_export_data",
    "_list_page",
    "_map_page",
    "_meeting_page",
    "_network_url",
    "_picture_params",
    "_refused",
    "_registry",
    "_require",
    "action_follow_up",
    "action_new",
    "change",
    "evaluation_page",
    "export_csv",
    "export_graphml",
    "goal_status",
    "goals",
    "home",
    "invitation",
    "invite",
    "map_detail",
    "map_pdf",
    "map_person_new",
    "map_person_remove",
    "map_share",
    "map_version_new",
    "maps",
    "meeting_attendance",
    "meeting_detail",
    "meeting_edit",
    "meeting_ics",
    "meeting_new",
    "meeting_notes",
    "membership_edit",
    "membership_leave",
    "mine",
    "network_close",
    "network_detail",
    "network_edit",
    "network_new",
    "picture_context",
    "picture_page",
    "resources",
    "resources_xlsx",
    "rotation",
    "snapshot_new",
    "tie_end",
    "tie_new",
]
