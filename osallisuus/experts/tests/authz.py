"""The experts module in the authorization matrix (tests/test_authorization_matrix.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.authz_matrix import Case, Entry, api_logged_in, everyone, logged_in, only

# Who takes part in the demo agreement: Kaisa brokers it, Sari ordered it, Eero does it,
# Jussi walks beside him as the lähityöntekijä.
PARTIES = {"coordinator": 200, "orderer": 200, "expert": 200, "partner_worker": 200}


def _parties(status: Any) -> dict[str, Any]:
    return dict.fromkeys(PARTIES, status)


def build(personas: Any) -> dict[str, Any]:
    from osallisuus.experts import services

    from .factories import build_world

    world = build_world(personas)
    agreed = world.request(title="Sovittu tehtävä")
    offers = services.offer_make(actor=personas.coordinator, request=agreed, experts=[world.eero, world.paivi])
    agreement = services.offer_accept(actor=personas.expert, offer=offers[0])
    waiting = world.request(title="Odottava tarjous", starts_in=dt.timedelta(days=20))
    open_offer = services.offer_make(actor=personas.coordinator, request=waiting, experts=[world.eero])[0]
    return {
        "experts_request": agreed,
        "experts_agreement": agreement,
        "experts_open_offer": open_offer,
        "experts_eero": world.eero,
    }


def _req(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.extra["experts_request"].pk}


def _agr(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.extra["experts_agreement"].pk}


def _offer(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.extra["experts_open_offer"].pk}


def _eero(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.extra["experts_eero"].pk}


COORDINATOR = {"coordinator": 200}
POST_ONLY = everyone(405, anonymous="login")

MATRIX: dict[str, Entry] = {
    "experts:home": Entry(
        methods={"GET": only({**PARTIES}, others=403), "POST": everyone(405, anonymous="login")},
        reads_personal_data=True,
    ),
    "experts:requests": Entry(methods={"GET": only({"coordinator": 200, "orderer": 200}, others=403)}),
    "experts:request_new": Entry(
        methods={"GET": only({"orderer": 200}, others=403), "POST": only({"orderer": 400}, others=403)},
        reads_personal_data=True,
    ),
    "experts:request_detail": Entry(kwargs=_req, methods={"GET": only(PARTIES, others=404)}, reads_personal_data=True),
    "experts:request_review": Entry(
        kwargs=_req, methods={"GET": POST_ONLY, "POST": only({"coordinator": 400}, others=404)}
    ),
    "experts:request_details": Entry(
        kwargs=_req, methods={"GET": POST_ONLY, "POST": only({"orderer": 400}, others=404)}
    ),
    # The orderer names another professional partner (an empty form: 400); everyone else 404.
    "experts:request_partner": Entry(
        kwargs=_req, methods={"GET": POST_ONLY, "POST": only({"orderer": 400}, others=404)}
    ),
    "experts:request_offer": Entry(
        kwargs=_req, methods={"GET": POST_ONLY, "POST": only({"coordinator": 400}, others=404)}
    ),
    "experts:offers": Entry(methods={"GET": only({"expert": 200}, others=403)}),
    "experts:offer_detail": Entry(
        kwargs=_offer, methods={"GET": only({"expert": 200}, others=404)}, reads_personal_data=True
    ),
    "experts:offer_accept": Entry(
        kwargs=_offer, methods={"GET": POST_ONLY, "POST": only({"expert": "redirect"}, others=404)}
    ),
    "experts:offer_decline": Entry(
        kwargs=_offer, methods={"GET": POST_ONLY, "POST": only({"expert": "redirect"}, others=404)}
    ),
    "experts:agreement_detail": Entry(
        kwargs=_agr, methods={"GET": only(PARTIES, others=404)}, reads_personal_data=True
    ),
    "experts:agreement_confirm": Entry(
        kwargs=_agr, methods={"GET": POST_ONLY, "POST": only(_parties(400), others=404)}
    ),
    "experts:agreement_cancel": Entry(
        kwargs=_agr,
        methods={
            "GET": POST_ONLY,
            # The coordinator (first in the order of personas) cancels; after that every
            # party gets the calm refusal "Only an agreed task can be cancelled."
            "POST": only({**_parties(400), "coordinator": "redirect"}, others=404),
        },
    ),
    "experts:agreement_reschedule": Entry(
        kwargs=_agr, methods={"GET": POST_ONLY, "POST": only(_parties(400), others=404)}
    ),
    # Feedback goes to the measurement engine, from the expert and the orderer only, after the
    # task: this agreement is still ahead, so both get the calm refusal; the coordinator and the
    # lähityöntekijä see the agreement but give no feedback on it.
    "experts:agreement_feedback": Entry(
        kwargs=_agr,
        methods={
            "GET": POST_ONLY,
            "POST": only({"expert": 400, "orderer": 400, "coordinator": 403, "partner_worker": 403}, others=404),
        },
    ),
    "experts:agreement_pdf": Entry(kwargs=_agr, methods={"GET": only(PARTIES, others=404)}, reads_personal_data=True),
    "experts:agreement_ics": Entry(kwargs=_agr, methods={"GET": only(PARTIES, others=404)}, reads_personal_data=True),
    "experts:expenses": Entry(
        kwargs=_agr,
        methods={
            "GET": only({"expert": 200, "coordinator": 200}, others=404),
            "POST": only({"expert": 400}, others=404),
        },
        reads_personal_data=True,
    ),
    "experts:payments": Entry(
        methods={"GET": only(COORDINATOR, others=403), "POST": only({"coordinator": 404}, others=403)},
        reads_personal_data=True,
    ),
    "experts:payments_export": Entry(
        methods={"GET": only(COORDINATOR, others=403)}, query="?format=csv&year=2026", reads_personal_data=True
    ),
    "experts:profile": Entry(
        methods={"GET": only({"expert": 200}, others=403), "POST": only({"expert": 400}, others=403)},
        reads_personal_data=True,
    ),
    "experts:checkin": Entry(methods={"GET": POST_ONLY, "POST": only({"expert": 400}, others=403)}),
    "experts:limits": Entry(
        methods={"GET": only({"expert": 200}, others=403), "POST": only({"expert": 400}, others=403)},
        reads_personal_data=True,
    ),
    "experts:statement_pdf": Entry(methods={"GET": only({"expert": 200}, others=403)}, query="?year=2026"),
    "experts:expert_list": Entry(methods={"GET": only(COORDINATOR, others=403)}, reads_personal_data=True),
    "experts:expert_detail": Entry(
        kwargs=_eero,
        methods={"GET": only(COORDINATOR, others=403), "POST": only({"coordinator": 400}, others=403)},
        reads_personal_data=True,
    ),
    "experts:certificate_pdf": Entry(kwargs=_eero, methods={"GET": only(COORDINATOR, others=403)}),
    # The registry: only the coordinator of the expert's organisation (another organisation's
    # coordinator gets the 404 of a missing expert: test_registry.py).
    "experts:expert_new": Entry(
        methods={"GET": only(COORDINATOR, others=403), "POST": only({"coordinator": 400}, others=403)}
    ),
    "experts:expert_status": Entry(
        kwargs=_eero,
        methods={"GET": only(COORDINATOR, others=403), "POST": only({"coordinator": 400}, others=403)},
        reads_personal_data=True,
    ),
    # Eero has already chosen his password: the calm refusal comes back as a message.
    "experts:expert_invite": Entry(
        kwargs=_eero, methods={"GET": POST_ONLY, "POST": only({"coordinator": "redirect"}, others=403)}
    ),
    # Earnings limits are recorded together with the expert; an orderer never sees them.
    "experts:expert_limits": Entry(
        kwargs=_eero,
        methods={"GET": only(COORDINATOR, others=403), "POST": only({"coordinator": 400}, others=403)},
        reads_personal_data=True,
    ),
    "experts:wellbeing": Entry(methods={"GET": only(COORDINATOR, others=403)}, reads_personal_data=True),
    "experts:sessions": Entry(
        methods={"GET": only(COORDINATOR, others=403), "POST": only({"coordinator": 400}, others=403)},
        reads_personal_data=True,
    ),
    "experts:reports": Entry(methods={"GET": only(COORDINATOR, others=403)}),
    "experts:peer_events": Entry(
        methods={
            "GET": only({"coordinator": 200, "expert": 200}, others=403),
            "POST": only({"coordinator": 404, "expert": 404}, others=403),
        }
    ),
    "experts:reference": Entry(methods={"GET": logged_in(200)}),
    # -- API ----------------------------------------------------------------------------------
    "api:experts_requests": Entry(methods={"GET": api_logged_in(200)}),
    "api:experts_request_file": Entry(methods={"POST": api_logged_in(400)}),
    "api:experts_request": Entry(
        kwargs=lambda ctx: {"request_id": ctx.extra["experts_request"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=PARTIES)},
    ),
    "api:experts_request_review": Entry(
        kwargs=lambda ctx: {"request_id": ctx.extra["experts_request"].pk},
        methods={"POST": api_logged_in(400)},
    ),
    "api:experts_request_partner": Entry(
        kwargs=lambda ctx: {"request_id": ctx.extra["experts_request"].pk},
        methods={"POST": api_logged_in(400)},
    ),
    "api:experts_candidates": Entry(
        kwargs=lambda ctx: {"request_id": ctx.extra["experts_request"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=COORDINATOR)},
        reads_personal_data=True,
    ),
    "api:experts_offer": Entry(
        kwargs=lambda ctx: {"request_id": ctx.extra["experts_request"].pk},
        methods={"POST": api_logged_in(400)},
    ),
    "api:experts_offers": Entry(methods={"GET": api_logged_in(200)}),
    "api:experts_offer_detail": Entry(
        kwargs=lambda ctx: {"offer_id": ctx.extra["experts_open_offer"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides={"expert": 200})},
    ),
    "api:experts_offer_accept": Entry(
        kwargs=lambda ctx: {"offer_id": ctx.extra["experts_open_offer"].pk},
        methods={"POST": api_logged_in(400)},
    ),
    "api:experts_offer_decline": Entry(
        kwargs=lambda ctx: {"offer_id": ctx.extra["experts_open_offer"].pk},
        methods={"POST": api_logged_in(400)},
    ),
    "api:experts_agreement": Entry(
        kwargs=lambda ctx: {"agreement_id": ctx.extra["experts_agreement"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=PARTIES)},
        reads_personal_data=True,
    ),
    "api:experts_agreement_confirm": Entry(
        kwargs=lambda ctx: {"agreement_id": ctx.extra["experts_agreement"].pk},
        methods={"POST": api_logged_in(400)},
    ),
    # Without a JSON body every caller gets 400; who may cancel or move what: test_registry.py.
    "api:experts_agreement_cancel": Entry(
        kwargs=lambda ctx: {"agreement_id": ctx.extra["experts_agreement"].pk},
        methods={"POST": api_logged_in(400)},
    ),
    "api:experts_agreement_reschedule": Entry(
        kwargs=lambda ctx: {"agreement_id": ctx.extra["experts_agreement"].pk},
        methods={"POST": api_logged_in(400)},
    ),
    "api:experts_expenses": Entry(
        kwargs=lambda ctx: {"agreement_id": ctx.extra["experts_agreement"].pk},
        methods={"POST": api_logged_in(400)},
    ),
}
