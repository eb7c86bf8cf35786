"""The money pages in the authorization matrix (tests/test_authorization_matrix.py).

Työpaja Pärske's (Tiina's) project with both decisions: ELY's (Helena pays it) and the city's (Pekka
pays it and lends the project its self-financing). Each decision's money is seen by its funder's
payers and by the project; everyone else gets 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.authz_matrix import Case, Entry, api_logged_in, logged_in, only

POST_ONLY = logged_in(405)
ELY_AND_PROJECT = {"funder_officer": 200, "applicant": 200}
CITY_AND_PROJECT = {"civic_unit": 200, "applicant": 200}
PAYERS = {"funder_officer": 200, "civic_unit": 200}
# The steering group: the city convenes it (Pekka, Olli keep it); Helena is a member.
# Portfolio figures (no person's data): everyone with funding.view_aggregates.
AGGREGATES = {"analyst": 200, "civic_unit": 200, "funder_officer": 200, "steering_group": 200}
STEERING = {"civic_unit": 200, "steering_group": 200, "funder_officer": 200}


def build(personas: Any) -> dict[str, Any]:
    from osallisuus.funding.services import payments as money

    from . import money_world

    world = money_world.build(personas)
    advance = money.payment_request(
        actor=personas.applicant,
        decision=world.ely_decision,
        kind="advance",
        amount=Decimal("5000"),
        idempotency_key="authz-advance",
    )
    loan = money.loan_grant(
        actor=personas.civic_unit,
        application=world.application,
        lender=personas.organisations["city"],
        amount=Decimal("6000"),
        granted_on=dt.date(2027, 2, 1),
        schedule=[(dt.date(2027, 6, 1), Decimal("3000")), (dt.date(2027, 12, 1), Decimal("3000"))],
    )
    from django.utils import timezone

    from osallisuus.funding.services import groups

    steering = groups.steering_group_create(actor=personas.civic_unit, programme=world.programme, name="Ohjausryhmä")
    groups.member_add(
        actor=personas.civic_unit, group=steering, user=personas.funder_officer, organisation=world.ely.organisation
    )
    start = timezone.now() - dt.timedelta(days=1)
    meeting = groups.meeting_create(
        actor=personas.civic_unit, group=steering, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    return {
        "money_programme": world.programme,
        "money_steering": steering,
        "money_meeting": meeting,
        "money_ely_decision": world.ely_decision,
        "money_city_decision": world.city_decision,
        "money_output": world.outputs[0],
        "money_advance": advance,
        "money_loan": loan,
        "money_instalment": loan.instalments.order_by("due_on").first(),
    }


def _pk(name: str) -> Any:
    return lambda ctx: {"pk": ctx.extra[name].pk}


def _redirect(personas: dict[str, int]) -> dict[str, Any]:
    return dict.fromkeys(personas, "redirect")


def _status(personas: dict[str, int], status: int) -> dict[str, Any]:
    return dict.fromkeys(personas, status)


MATRIX: dict[str, Entry] = {
    "funding:payments": Entry(methods={"GET": only(PAYERS, others=404), "POST": POST_ONLY}),
    "funding:payments_xlsx": Entry(methods={"GET": only(PAYERS, others=404)}),
    "funding:decision_money": Entry(
        kwargs=_pk("money_ely_decision"), methods={"GET": only(ELY_AND_PROJECT, others=404), "POST": POST_ONLY}
    ),
    "funding:payment_request": Entry(
        kwargs=_pk("money_ely_decision"),
        methods={"GET": POST_ONLY, "POST": only(_status(ELY_AND_PROJECT, 400), others=404)},
    ),
    "funding:report_submit": Entry(
        kwargs=_pk("money_ely_decision"),
        methods={"GET": POST_ONLY, "POST": only(_status(ELY_AND_PROJECT, 400), others=404)},
    ),
    "funding:loan_create": Entry(
        kwargs=_pk("money_city_decision"),
        methods={"GET": only({"civic_unit": 200}, others=404), "POST": only({"civic_unit": 400}, others=404)},
    ),
    "funding:output_verify": Entry(
        kwargs=_pk("money_output"),
        methods={
            "GET": POST_ONLY,
            # The output is named by both decisions: both funders' payers and the project reach it.
            "POST": only(_redirect({**ELY_AND_PROJECT, "civic_unit": 200}), others=404),
        },
    ),
    "funding:payment_approve": Entry(
        kwargs=_pk("money_advance"),
        methods={"GET": POST_ONLY, "POST": only(_redirect(ELY_AND_PROJECT), others=404)},
    ),
    "funding:payment_reject": Entry(
        kwargs=_pk("money_advance"),
        methods={"GET": POST_ONLY, "POST": only(_redirect(ELY_AND_PROJECT), others=404)},
    ),
    "funding:loans": Entry(methods={"GET": logged_in(200), "POST": POST_ONLY}),
    "funding:loan": Entry(
        kwargs=_pk("money_loan"), methods={"GET": only(CITY_AND_PROJECT, others=404), "POST": POST_ONLY}
    ),
    "funding:instalment_repaid": Entry(
        kwargs=_pk("money_instalment"),
        methods={"GET": POST_ONLY, "POST": only(_redirect(CITY_AND_PROJECT), others=404)},
    ),
    "funding:groups": Entry(methods={"GET": logged_in(200), "POST": POST_ONLY}),
    "funding:group": Entry(
        kwargs=_pk("money_steering"), methods={"GET": only(STEERING, others=404), "POST": POST_ONLY}
    ),
    "funding:steering_group_create": Entry(
        kwargs=_pk("money_programme"),
        methods={
            "GET": POST_ONLY,
            # It exists already: the convener is told so on the group's page; anyone else gets 404.
            "POST": only({"civic_unit": "redirect", "steering_group": "redirect"}, others=404),
        },
    ),
    "funding:group_member_add": Entry(
        kwargs=_pk("money_steering"), methods={"GET": POST_ONLY, "POST": only(_status(STEERING, 400), others=404)}
    ),
    "funding:group_meeting_add": Entry(
        kwargs=_pk("money_steering"), methods={"GET": POST_ONLY, "POST": only(_status(STEERING, 400), others=404)}
    ),
    "funding:group_meeting": Entry(
        kwargs=_pk("money_meeting"), methods={"GET": only(STEERING, others=404), "POST": POST_ONLY}
    ),
    "funding:group_meeting_ics": Entry(kwargs=_pk("money_meeting"), methods={"GET": only(STEERING, others=404)}),
    "funding:group_minutes": Entry(
        kwargs=_pk("money_meeting"), methods={"GET": POST_ONLY, "POST": only(_status(STEERING, 400), others=404)}
    ),
    "funding:group_decision_add": Entry(
        kwargs=_pk("money_meeting"), methods={"GET": POST_ONLY, "POST": only(_status(STEERING, 400), others=404)}
    ),
    "funding:portfolio": Entry(methods={"GET": only(AGGREGATES, others=404), "POST": POST_ONLY}),
    "funding:portfolio_xlsx": Entry(methods={"GET": only(AGGREGATES, others=404)}),
    "api:funding_decision_payments": Entry(
        kwargs=lambda ctx: {"decision_id": ctx.extra["money_ely_decision"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=ELY_AND_PROJECT)},
    ),
    # Without a body the request is refused before anything is read.
    "api:funding_payment_request": Entry(
        kwargs=lambda ctx: {"decision_id": ctx.extra["money_ely_decision"].pk},
        methods={"POST": api_logged_in(400)},
    ),
    "api:funding_payment_approve": Entry(
        kwargs=lambda ctx: {"payment_id": ctx.extra["money_advance"].pk},
        methods={"POST": Case(default=404, anonymous=401, overrides={"funder_officer": 200, "applicant": 403})},
    ),
}
