"""Partnership funding in the authorization matrix (tests/test_authorization_matrix.py).

The world of ``factories.build_world``: Pekka (civic unit of the city) runs the programme, the ELY
centre (Helena) and the city fund its open call. Tiina (applicant, Työpaja Pärske ry) has a draft, a
submitted application with a hearing, a decided one and an idea. Olli (steering group) and the
analyst see the programme; everyone without a funding role gets the same 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.authz_matrix import Case, Entry, api_logged_in, logged_in, only

HELENA = "funder_officer"
PEKKA = "civic_unit"
TIINA = "applicant"
FUNDING = {HELENA: 200, PEKKA: 200, TIINA: 200, "steering_group": 200, "analyst": 200}
FUNDERS = {HELENA: 200, PEKKA: 200}
POST_ONLY = logged_in(405)
GET_ONLY = logged_in(405)


def _build_apply(personas: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from osallisuus.funding import services

    from .factories import build_world, decided, submitted

    world = build_world(personas)
    sent = submitted(world, title="Lähetetty")
    done, _ely, _city = decided(world, title="Päätetty")
    start = timezone.now() + dt.timedelta(days=5)
    hearing = services.hearing_schedule(
        actor=world.pekka,
        application=sent,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Kaupungintalo",
    )
    attachment = services.attachment_add(
        actor=world.tiina,
        application=world.application,
        kind="plan",
        file=SimpleUploadedFile("suunnitelma.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    idea = services.idea_present(
        actor=world.tiina,
        programme=world.programme,
        organisation=personas.organisations["ngo2"],
        title="Pajakahvila",
        summary="Nuorten oma kahvila pajan yhteyteen.",
    )
    return {
        "funding_programme": world.programme,
        "funding_call": world.call,
        "funding_draft": world.application,
        "funding_sent": sent,
        "funding_done": done,
        "funding_hearing": hearing,
        "funding_attachment": attachment,
        "funding_idea": idea,
    }


def _pk(name: str) -> Any:
    return lambda ctx: {"pk": ctx.extra[name].pk}


def _funding(**overrides: Any) -> Any:
    return only({**FUNDING, **overrides}, others=404)


MATRIX: dict[str, Entry] = {
    "funding:home": Entry(methods={"GET": _funding(), "POST": POST_ONLY}),
    "funding:deadlines": Entry(methods={"GET": _funding(), "POST": POST_ONLY}),
    "funding:programme": Entry(kwargs=_pk("funding_programme"), methods={"GET": _funding()}),
    "funding:idea_new": Entry(
        kwargs=_pk("funding_programme"),
        methods={
            "GET": _funding(**{HELENA: 403, PEKKA: 403, "steering_group": 403, "analyst": 403}),
            "POST": _funding(**{TIINA: 400, HELENA: 403, PEKKA: 403, "steering_group": 403, "analyst": 403}),
        },
    ),
    "funding:manage": Entry(kwargs=_pk("funding_programme"), methods={"GET": only({PEKKA: 200}, others=404)}),
    "funding:envelope_save": Entry(
        kwargs=_pk("funding_programme"), methods={"GET": GET_ONLY, "POST": only({PEKKA: 400}, others=404)}
    ),
    "funding:document_add": Entry(
        kwargs=_pk("funding_programme"), methods={"GET": GET_ONLY, "POST": only({PEKKA: 400}, others=404)}
    ),
    "funding:event_add": Entry(
        kwargs=_pk("funding_programme"), methods={"GET": GET_ONLY, "POST": only({PEKKA: 400}, others=404)}
    ),
    "funding:call_add": Entry(
        kwargs=_pk("funding_programme"), methods={"GET": GET_ONLY, "POST": only({PEKKA: 400}, others=404)}
    ),
    "funding:idea": Entry(kwargs=_pk("funding_idea"), methods={"GET": only({**FUNDERS, TIINA: 200}, others=404)}),
    "funding:idea_advice": Entry(
        kwargs=_pk("funding_idea"),
        methods={"GET": GET_ONLY, "POST": only({HELENA: 400, PEKKA: 400, TIINA: 403}, others=404)},
    ),
    "funding:idea_invite": Entry(
        kwargs=_pk("funding_idea"),
        methods={"GET": GET_ONLY, "POST": only({HELENA: 400, PEKKA: 400, TIINA: 403}, others=404)},
    ),
    "funding:call": Entry(kwargs=_pk("funding_call"), methods={"GET": _funding()}),
    "funding:application_start": Entry(
        kwargs=_pk("funding_call"),
        methods={
            "GET": GET_ONLY,
            "POST": _funding(**{TIINA: 400, HELENA: 403, PEKKA: 403, "steering_group": 403, "analyst": 403}),
        },
    ),
    "funding:my_applications": Entry(methods={"GET": only({TIINA: 200}, others=404)}),
    "funding:application": Entry(
        kwargs=_pk("funding_sent"), methods={"GET": only({**FUNDERS, TIINA: 200}, others=404)}, reads_personal_data=True
    ),
    "funding:application_edit": Entry(
        kwargs=_pk("funding_draft"),
        methods={"GET": only({TIINA: 200}, others=404), "POST": only({TIINA: 400}, others=404)},
    ),
    "funding:application_submitted": Entry(kwargs=_pk("funding_sent"), methods={"GET": only({TIINA: 200}, others=404)}),
    # A decided application cannot be withdrawn: Tiina is sent back with the reason.
    "funding:application_withdraw": Entry(
        kwargs=_pk("funding_done"), methods={"GET": GET_ONLY, "POST": only({TIINA: "redirect"}, others=404)}
    ),
    "funding:application_resubmit": Entry(
        kwargs=_pk("funding_sent"), methods={"GET": GET_ONLY, "POST": only({TIINA: 400}, others=404)}
    ),
    "funding:attachment_add": Entry(
        kwargs=_pk("funding_draft"), methods={"GET": GET_ONLY, "POST": only({TIINA: 400}, others=404)}
    ),
    "funding:application_user_add": Entry(
        kwargs=_pk("funding_draft"), methods={"GET": GET_ONLY, "POST": only({TIINA: 400}, others=404)}
    ),
    "funding:application_eura": Entry(
        kwargs=_pk("funding_sent"),
        methods={"GET": GET_ONLY, "POST": only({HELENA: "redirect", PEKKA: "redirect"}, others=404)},
    ),
    "funding:attachment": Entry(kwargs=_pk("funding_attachment"), methods={"GET": only({TIINA: 200}, others=404)}),
    "funding:review": Entry(
        kwargs=_pk("funding_sent"),
        methods={"GET": only(FUNDERS, others=404), "POST": only({HELENA: 400, PEKKA: 400}, others=404)},
    ),
    "funding:recommend": Entry(
        kwargs=_pk("funding_sent"),
        methods={"GET": only(FUNDERS, others=404), "POST": only({HELENA: 400, PEKKA: 400}, others=404)},
    ),
    "funding:summary_pdf": Entry(kwargs=_pk("funding_sent"), methods={"GET": only(FUNDERS, others=404)}),
    "funding:hearing_new": Entry(
        kwargs=_pk("funding_sent"),
        methods={"GET": only(FUNDERS, others=404), "POST": only({HELENA: 400, PEKKA: 400}, others=404)},
    ),
    "funding:hearing_ics": Entry(
        kwargs=_pk("funding_hearing"), methods={"GET": only({**FUNDERS, TIINA: 200}, others=404)}
    ),
    "funding:hearing_minutes": Entry(
        kwargs=_pk("funding_hearing"),
        methods={"GET": GET_ONLY, "POST": only({HELENA: "redirect", PEKKA: "redirect", TIINA: 403}, others=404)},
    ),
    "funding:decide": Entry(
        kwargs=_pk("funding_sent"),
        methods={"GET": only(FUNDERS, others=404), "POST": only({HELENA: 400, PEKKA: 400}, others=404)},
    ),
    # -- API ----------------------------------------------------------------------------------------
    "api:funding_programmes": Entry(methods={"GET": api_logged_in(200)}),
    "api:funding_programme": Entry(
        kwargs=lambda ctx: {"programme_id": ctx.extra["funding_programme"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=FUNDING)},
    ),
    "api:funding_calls": Entry(methods={"GET": api_logged_in(200)}),
    "api:funding_applications": Entry(methods={"GET": api_logged_in(200)}),
    "api:funding_application": Entry(
        kwargs=lambda ctx: {"application_id": ctx.extra["funding_sent"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides={**FUNDERS, TIINA: 200})},
        reads_personal_data=False,
    ),
    # Without a body: the same answer for everyone, before any gate.
    "api:funding_application_create": Entry(
        kwargs=lambda ctx: {"call_id": ctx.extra["funding_call"].pk}, methods={"POST": Case(default=400, anonymous=401)}
    ),
    "api:funding_application_save": Entry(
        kwargs=lambda ctx: {"application_id": ctx.extra["funding_draft"].pk},
        methods={"PUT": Case(default=422, anonymous=401)},
    ),
    # Tiina's draft adds up and the call is open: she may submit it; for anyone else it does not exist.
    "api:funding_application_submit": Entry(
        kwargs=lambda ctx: {"application_id": ctx.extra["funding_draft"].pk},
        methods={"POST": Case(default=404, anonymous=401, overrides={TIINA: 200})},
    ),
}

# The money half (payments, loans, groups, portfolio) lists its own URLs in ``authz_money``.
from .authz_money import MATRIX as MONEY_MATRIX  # noqa: E402
from .authz_money import build as _build_money  # noqa: E402

MATRIX.update(MONEY_MATRIX)


def build(personas: Any) -> dict[str, Any]:
    """The applying half's objects (its URLs read only these)."""
    return _build_apply(personas)


# The money half's URLs get only the money world: building both for every URL doubled the time.
BUILDERS = dict.fromkeys(MONEY_MATRIX, _build_money)
