"""The measurement module's rows of the authorization matrix (tests/test_authorization_matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import Case, Entry, api_logged_in, everyone, logged_in, only

ROUND_MANAGERS = {"own_worker": 200, "coordinator": 200, "civic_unit": 200, "activity_provider": 200}
REPORT_VIEWERS = {"analyst": 200, "coordinator": 200, "civic_unit": 200, "funder_officer": 200}
# Report viewers of other organisations than the county get the same 404 as a missing round.
COUNTY_REPORT = {"analyst": 200, "coordinator": 404, "civic_unit": 404, "funder_officer": 404}


def build(personas: Any) -> dict[str, Any]:
    from osallisuus.measurement import services
    from osallisuus.measurement.models import Instrument

    from .factories import make_round

    county = personas.organisations["county"]
    aino, ville = personas.participant, personas.own_worker
    baseline = make_round(organisation=county, actor=ville, group_key="authz", phase=0, code="plan-checkin")
    follow_up = make_round(organisation=county, actor=ville, group_key="authz", phase=1, code="plan-checkin")
    services.round_invite(actor=ville, round=baseline, people=[aino, personas.participant2])
    invitation = baseline.invitations.get(person=aino)
    token = services.invitation_issue_link(invitation=invitation)
    in_progress = services.link_open(token=token)
    services.response_save(response=in_progress, values={"goals": 4})
    # Jari has sent his answers with his link: it shows only the thank-you and the way back.
    sent_token = services.invitation_issue_link(invitation=baseline.invitations.get(person=personas.participant2))
    jari_response = services.link_open(token=sent_token)
    services.response_save(response=jari_response, values={"goals": 4, "support": 4, "activities": 5, "stuck": 2})
    services.response_submit(response=jari_response)

    def sent(context_ref: str) -> Any:
        response = services.response_start(
            instrument_code="plan-checkin", respondent=aino, context_module="activation", context_ref=context_ref
        )
        services.response_save(response=response, values={"goals": 4, "support": 4, "activities": 5, "stuck": 2})
        return services.response_submit(response=response)

    shared = sent("plan:1")
    services.response_share(response=shared, respondent=aino, worker=ville)
    to_withdraw = sent("plan:2")
    services.external_assessment_record(
        actor=ville,
        instrument=Instrument.objects.get(code="kykyviisari"),
        person=aino,
        organisation=county,
        done_on=baseline.opens_at.date(),
        result_location="Client plan",
    )
    return {
        "m_round": baseline,
        "m_follow_up": follow_up,
        "m_invitation": invitation,
        "m_token": token,
        "m_sent_token": sent_token,
        "m_in_progress": in_progress,
        "m_shared": shared,
        "m_to_withdraw": to_withdraw,
        "m_instrument": Instrument.objects.get(code="plan-checkin"),
    }


ONLY_AINO = only({"participant": 200}, others=404)
# A personal link opens for whoever holds it, except someone logged in as another person.
AINOS_LINK = everyone(403, anonymous=200, participant=200)
ONLY_VILLE_ROUND = {"own_worker": 200}

MATRIX: dict[str, Entry] = {
    "measurement:my_questionnaires": Entry(methods={"GET": logged_in(200)}, reads_personal_data=True),
    "measurement:invitation_start": Entry(
        kwargs=lambda ctx: {"invitation_id": ctx.extra["m_invitation"].pk},
        methods={"GET": logged_in(405), "POST": only({"participant": "redirect"}, others=404)},
    ),
    "measurement:link": Entry(
        kwargs=lambda ctx: {"token": ctx.extra["m_token"]},
        methods={"GET": AINOS_LINK, "POST": everyone(403, anonymous=400, participant=400)},
    ),
    "measurement:link_withdraw": Entry(
        kwargs=lambda ctx: {"token": ctx.extra["m_sent_token"]},
        methods={"GET": everyone(405), "POST": everyone(403, anonymous=200)},
    ),
    "measurement:respond": Entry(
        kwargs=lambda ctx: {"response_id": ctx.extra["m_in_progress"].pk},
        methods={"GET": ONLY_AINO, "POST": only({"participant": 400}, others=404)},
        reads_personal_data=True,
    ),
    "measurement:response_answers": Entry(
        kwargs=lambda ctx: {"response_id": ctx.extra["m_shared"].pk},
        methods={"GET": ONLY_AINO},
        reads_personal_data=True,
    ),
    "measurement:response_withdraw": Entry(
        kwargs=lambda ctx: {"response_id": ctx.extra["m_to_withdraw"].pk},
        methods={"GET": everyone(405, anonymous="login"), "POST": only({"participant": 200}, others=404)},
    ),
    "measurement:response_share": Entry(
        kwargs=lambda ctx: {"response_id": ctx.extra["m_shared"].pk},
        methods={"GET": logged_in(405), "POST": only({"participant": "redirect"}, others=404)},
    ),
    "measurement:shared_with_me": Entry(methods={"GET": logged_in(200)}, reads_personal_data=True),
    "measurement:shared_detail": Entry(
        kwargs=lambda ctx: {"response_id": ctx.extra["m_shared"].pk},
        methods={"GET": only({"own_worker": 200}, others=404)},
        reads_personal_data=True,
    ),
    "measurement:rounds": Entry(methods={"GET": only(ROUND_MANAGERS, others=403)}),
    "measurement:round_create": Entry(
        methods={
            "GET": only(ROUND_MANAGERS, others=403),
            "POST": only(dict.fromkeys(ROUND_MANAGERS, 400), others=403),
        }
    ),
    "measurement:round_detail": Entry(
        kwargs=lambda ctx: {"round_id": ctx.extra["m_round"].pk},
        methods={"GET": only(ONLY_VILLE_ROUND, others=404)},
        reads_personal_data=True,
    ),
    "measurement:round_invite": Entry(
        kwargs=lambda ctx: {"round_id": ctx.extra["m_round"].pk},
        methods={"GET": logged_in(405), "POST": only({"own_worker": 400}, others=404)},
        reads_personal_data=True,
    ),
    "measurement:round_send": Entry(
        kwargs=lambda ctx: {"round_id": ctx.extra["m_round"].pk},
        methods={"GET": logged_in(405), "POST": only({"own_worker": "redirect"}, others=404)},
    ),
    "measurement:round_sheets": Entry(
        kwargs=lambda ctx: {"round_id": ctx.extra["m_round"].pk},
        methods={"GET": only({"own_worker": 200}, others=404), "POST": only({"own_worker": 400}, others=404)},
        reads_personal_data=True,
    ),
    "measurement:round_remind": Entry(
        kwargs=lambda ctx: {"round_id": ctx.extra["m_round"].pk},
        methods={"GET": logged_in(405), "POST": only({"own_worker": "redirect"}, others=404)},
    ),
    "measurement:round_import": Entry(
        kwargs=lambda ctx: {"round_id": ctx.extra["m_round"].pk},
        methods={"GET": logged_in(405), "POST": only({"own_worker": 400}, others=404)},
    ),
    "measurement:reports": Entry(methods={"GET": only(REPORT_VIEWERS, others=403)}),
    "measurement:breakdown": Entry(methods={"GET": only(REPORT_VIEWERS, others=403)}),
    "measurement:round_report": Entry(
        kwargs=lambda ctx: {"round_id": ctx.extra["m_round"].pk},
        methods={"GET": only(COUNTY_REPORT, others=403)},
    ),
    "measurement:round_report_export": Entry(
        kwargs=lambda ctx: {"round_id": ctx.extra["m_round"].pk, "fmt": "csv"},
        methods={"GET": only(COUNTY_REPORT, others=403)},
    ),
    "measurement:change_report": Entry(
        kwargs=lambda ctx: {"first_id": ctx.extra["m_round"].pk, "second_id": ctx.extra["m_follow_up"].pk},
        methods={"GET": only(COUNTY_REPORT, others=403)},
    ),
    "measurement:instruments": Entry(methods={"GET": only({"administrator": 200}, others=403)}),
    "measurement:instrument_upload": Entry(
        methods={
            "GET": only({"administrator": 200}, others=403),
            "POST": only({"administrator": 400}, others=403),
        }
    ),
    "measurement:instrument_detail": Entry(
        kwargs=lambda ctx: {"instrument_id": ctx.extra["m_instrument"].pk},
        methods={"GET": only({"administrator": 200}, others=403)},
    ),
    "measurement:instrument_export": Entry(
        kwargs=lambda ctx: {"instrument_id": ctx.extra["m_instrument"].pk},
        methods={"GET": only({"administrator": 200}, others=403)},
    ),
    "measurement:instrument_schema": Entry(methods={"GET": everyone(200)}),
    "measurement:external": Entry(
        methods={"GET": only({"own_worker": 200}, others=403), "POST": only({"own_worker": 400}, others=403)},
        reads_personal_data=True,
    ),
    "api:measurement_instruments": Entry(methods={"GET": api_logged_in(200)}),
    "api:measurement_my_responses": Entry(methods={"GET": api_logged_in(200)}, reads_personal_data=True),
    "api:measurement_round_report": Entry(
        kwargs=lambda ctx: {"round_id": ctx.extra["m_round"].pk},
        methods={"GET": Case(default=403, anonymous=401, overrides=COUNTY_REPORT)},
    ),
    "api:measurement_shared": Entry(
        kwargs=lambda ctx: {"response_id": ctx.extra["m_shared"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides={"own_worker": 200})},
        reads_personal_data=True,
    ),
}
