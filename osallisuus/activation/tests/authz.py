"""The activation module's rows of the authorization matrix (tests/authz_matrix.py).

Aino (participant) and Ville (her own worker) see Aino's plan; nobody else does, and the
answer for them is the same 404 as for a plan that does not exist. Riikka (activity provider
at Työpaja Pärske) sees the sign-ups to her organisation's activities, never plans.
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import Case, Entry, api_logged_in, logged_in, only

AINO = {"participant": 200, "own_worker": 200}
AINO_POST_INVALID = {"participant": 400, "own_worker": 400}
REPORT_READERS = {"analyst": 200, "civic_unit": 200, "administrator": 200}


def _plan(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.extra["plan_of_aino"].pk}


def _x(name: str) -> Any:
    return lambda ctx: {"pk": ctx.extra[name].pk}


MATRIX: dict[str, Entry] = {
    "activation:my_plan": Entry(
        methods={"GET": only({"participant": 200}, others=403), "POST": only({"participant": "redirect"}, others=403)},
        reads_personal_data=True,
    ),
    "activation:plan": Entry(kwargs=_plan, methods={"GET": only(AINO, others=404)}, reads_personal_data=True),
    "activation:plan_edit": Entry(
        kwargs=_plan,
        methods={"GET": only(AINO, others=404), "POST": only(AINO_POST_INVALID, others=404)},
        reads_personal_data=True,
    ),
    "activation:goal_create": Entry(
        kwargs=_plan, methods={"GET": only(AINO, others=404), "POST": only(AINO_POST_INVALID, others=404)}
    ),
    "activation:share": Entry(
        kwargs=_plan,
        methods={"GET": only({"participant": 200}, others=404), "POST": only({"participant": 400}, others=404)},
        reads_personal_data=True,
    ),
    "activation:checkin_start": Entry(
        kwargs=_plan, methods={"GET": logged_in(405), "POST": only({"participant": "redirect"}, others=404)}
    ),
    "activation:meeting_request": Entry(
        kwargs=_plan, methods={"GET": only(AINO, others=404), "POST": only(AINO_POST_INVALID, others=404)}
    ),
    "activation:outcome_create": Entry(
        kwargs=_plan, methods={"GET": only(AINO, others=404), "POST": only(AINO_POST_INVALID, others=404)}
    ),
    "activation:plan_pdf": Entry(kwargs=_plan, methods={"GET": only(AINO, others=404)}, reads_personal_data=True),
    "activation:plan_fhir": Entry(kwargs=_plan, methods={"GET": only(AINO, others=404)}, reads_personal_data=True),
    "activation:goal": Entry(
        kwargs=_x("goal_of_aino"), methods={"GET": only(AINO, others=404)}, reads_personal_data=True
    ),
    "activation:goal_edit": Entry(
        kwargs=_x("goal_of_aino"),
        methods={"GET": only(AINO, others=404), "POST": only(AINO_POST_INVALID, others=404)},
        reads_personal_data=True,
    ),
    "activation:goal_accept": Entry(
        kwargs=_x("proposed_goal_of_aino"),
        methods={"GET": logged_in(405), "POST": only({"participant": "redirect", "own_worker": 400}, others=404)},
    ),
    "activation:goal_note": Entry(kwargs=_x("goal_of_aino"), methods={"POST": only(AINO_POST_INVALID, others=404)}),
    "activation:goal_compare": Entry(
        kwargs=_x("goal_of_aino"), methods={"GET": only(AINO, others=404)}, reads_personal_data=True
    ),
    "activation:share_revoke": Entry(
        kwargs=_x("share_of_aino"), methods={"POST": only({"participant": "redirect"}, others=404)}
    ),
    "activation:meeting": Entry(
        kwargs=_x("meeting_of_aino"),
        methods={"GET": only(AINO, others=404), "POST": only({"own_worker": 400}, others=404)},
        reads_personal_data=True,
    ),
    "activation:meeting_cancel": Entry(
        kwargs=_x("meeting_request_of_aino"),
        methods={"POST": only({"participant": "redirect", "own_worker": "redirect"}, others=404)},
    ),
    "activation:meeting_ics": Entry(
        kwargs=_x("meeting_of_aino"), methods={"GET": only(AINO, others=404)}, reads_personal_data=True
    ),
    "activation:outcome_print": Entry(
        kwargs=_x("outcome_of_aino"), methods={"GET": only(AINO, others=404)}, reads_personal_data=True
    ),
    "activation:catalogue": Entry(methods={"GET": logged_in(200)}),
    "activation:activity_propose": Entry(
        methods={"GET": only({"participant": 200}, others=403), "POST": only({"participant": 400}, others=403)}
    ),
    "activation:activity": Entry(kwargs=_x("activity_of_ngo2"), methods={"GET": logged_in(200)}),
    "activation:activity_signup": Entry(
        kwargs=_x("activity_of_ngo2"), methods={"POST": only({"participant": 400}, others=403)}
    ),
    "activation:activity_help": Entry(
        kwargs=_x("activity_of_ngo2"), methods={"POST": only({"participant": "redirect"}, others=403)}
    ),
    "activation:signup_cancel": Entry(
        kwargs=_x("signup_of_aino"), methods={"POST": only({"participant": "redirect"}, others=404)}
    ),
    "activation:caseload": Entry(methods={"GET": only({"own_worker": 200}, others=403)}, reads_personal_data=True),
    "activation:provider_home": Entry(methods={"GET": only({"activity_provider": 200}, others=403)}),
    "activation:provider_activity_new": Entry(
        methods={
            "GET": only({"activity_provider": 200}, others=403),
            "POST": only({"activity_provider": 400}, others=403),
        }
    ),
    "activation:provider_activity": Entry(
        kwargs=_x("activity_of_ngo2"),
        methods={
            "GET": only({"activity_provider": 200}, others=404),
            "POST": only({"activity_provider": 400}, others=404),
        },
        reads_personal_data=True,
    ),
    "activation:provider_activity_edit": Entry(
        kwargs=_x("activity_of_ngo2"),
        methods={
            "GET": only({"activity_provider": 200}, others=404),
            "POST": only({"activity_provider": 400}, others=404),
        },
    ),
    "activation:provider_adopt": Entry(
        kwargs=_x("proposed_activity"), methods={"POST": only({"activity_provider": "redirect"}, others=403)}
    ),
    "activation:reports": Entry(methods={"GET": only(REPORT_READERS, others=403)}),
    # -- API -------------------------------------------------------------------------------
    "api:activation_plan": Entry(
        kwargs=lambda ctx: {"plan_id": ctx.extra["plan_of_aino"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=AINO)},
        reads_personal_data=True,
    ),
    "api:activation_plan_fhir": Entry(
        kwargs=lambda ctx: {"plan_id": ctx.extra["plan_of_aino"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=AINO)},
        reads_personal_data=True,
    ),
    "api:activation_activities": Entry(methods={"GET": api_logged_in(200)}),
    # The same address: without a JSON body every caller who is logged in gets 400 (the body is
    # read first); who may publish, and for which organisation, is tested in test_organisations.py.
    "api:activation_activity_create": Entry(methods={"POST": api_logged_in(400)}),
    "api:activation_signup": Entry(
        kwargs=lambda ctx: {"activity_id": ctx.extra["activity_of_ngo2"].pk},
        methods={"POST": Case(default=403, anonymous=401, overrides={"participant": 409})},
    ),
}


def build(personas: Any) -> dict[str, Any]:
    from osallisuus.activation import services
    from osallisuus.activation.demo import build_aino

    extra = build_aino(personas.users, personas.organisations)
    extra["share_of_aino"] = services.plan_share(
        plan=extra["plan_of_aino"], actor=personas.participant, email=personas.participant2.email
    )
    extra["proposed_activity"] = services.activity_propose(
        participant=personas.participant2,
        data={
            "title": "Lautapeli-ilta",
            "summary": "Pelataan lautapelejä.",
            "baskets": ["belonging"],
            "area": "Keskusta",
            "schedule": "pe klo 17–20",
            "capacity": 10,
            "language": "fi",
        },
    )
    return extra
