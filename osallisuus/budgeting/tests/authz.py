"""Participatory budgeting in the authorization matrix (tests/test_authorization_matrix.py).

Three processes of Työpaja Pärske, run by Riikka (activity provider): one open for voting, one still
taking proposals, one whose results are published with a winner bought from Työpaja Pärske (Tiina,
the applicant, carries it out). Aino is one of the voters of each; nobody else of the personas is.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from tests.authz_matrix import Case, Entry, api_logged_in, everyone, logged_in, only

RUNS = "activity_provider"
VOTER = "participant"
DELIVERS = "applicant"
POST_ONLY = everyone(405, anonymous="login")


def _png() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile("piirros.png", buffer.getvalue(), content_type="image/png")


def build(personas: Any) -> dict[str, Any]:
    from django.utils import timezone

    from osallisuus.budgeting import services
    from osallisuus.budgeting.models import Process

    from .factories import build_world, publish

    vote = build_world(personas, name="Äänestys käynnissä")
    idea = build_world(personas, phase=Process.Phase.PROPOSALS, name="Ideat")
    with_image = services.proposal_create(
        actor=personas.participant,
        process=idea.process,
        data={"title": "Piirros", "for_whom": "Kaikille", "why": "Kaunis", "image_alt": "Piirros pajasta"},
        image=_png(),
    )
    done = build_world(personas, name="Valmis")
    services.ballot_cast(actor=personas.participant, process=done.process, choices=[p.pk for p in done.proposals[:2]])
    publish(done)
    purchase = services.purchase_record(
        actor=personas.activity_provider,
        proposal=done.proposals[1],
        kind="grant",
        amount=Decimal("400"),
        agreed_on=timezone.localdate(),
        provider=personas.organisations["ngo2"],
    )
    listed = build_world(personas, phase=Process.Phase.DRAFT, name="Lista")
    services.process_update(actor=personas.activity_provider, process=listed.process, data={"electorate": "list"})
    entry = services.eligible_add(
        actor=personas.activity_provider, process=listed.process, email=personas.participant2.email
    )
    return {
        "budgeting_vote": vote.process,
        "budgeting_vote_proposal": vote.proposals[0],
        "budgeting_idea": idea.process,
        "budgeting_idea_proposal": idea.proposals[0],
        "budgeting_image_proposal": with_image,
        "budgeting_done": done.process,
        "budgeting_done_winner": done.proposals[0],
        "budgeting_purchase": purchase,
        "budgeting_entry": entry,
    }


def _pk(name: str) -> Any:
    return lambda ctx: {"pk": ctx.extra[name].pk}


def _process_id(name: str) -> Any:
    return lambda ctx: {"process_id": ctx.extra[name].pk}


STAFF_OR_VOTER = {VOTER: 200, RUNS: 200}

MATRIX: dict[str, Entry] = {
    "budgeting:home": Entry(methods={"GET": logged_in(200), "POST": logged_in(405)}),
    "budgeting:process_new": Entry(
        methods={
            "GET": only({RUNS: 200, "civic_unit": 200}, others=403),
            "POST": only({RUNS: 400, "civic_unit": 400}, others=403),
        }
    ),
    "budgeting:deliveries": Entry(methods={"GET": only({DELIVERS: 200}, others=403)}),
    "budgeting:figures": Entry(methods={"GET": only({"analyst": 200, "civic_unit": 200}, others=403)}),
    "budgeting:process": Entry(kwargs=_pk("budgeting_vote"), methods={"GET": only(STAFF_OR_VOTER, others=404)}),
    "budgeting:process_edit": Entry(
        kwargs=_pk("budgeting_vote"),
        methods={"GET": only({RUNS: 200}, others=404), "POST": only({RUNS: 400}, others=404)},
    ),
    # No phase named: the process has already moved on (409); a voter may not move it.
    "budgeting:process_phase": Entry(
        kwargs=_pk("budgeting_vote"),
        methods={"GET": POST_ONLY, "POST": only({VOTER: 403, RUNS: 409}, others=404)},
    ),
    "budgeting:results_publish": Entry(
        kwargs=_pk("budgeting_vote"),
        methods={"GET": POST_ONLY, "POST": only({VOTER: 403, RUNS: 400}, others=404)},
    ),
    "budgeting:voters": Entry(
        kwargs=_pk("budgeting_vote"),
        methods={"GET": only({RUNS: 200}, others=404), "POST": only({RUNS: 400}, others=404)},
        reads_personal_data=True,
    ),
    "budgeting:voter_remove": Entry(
        kwargs=_pk("budgeting_entry"),
        methods={"GET": POST_ONLY, "POST": only({RUNS: "redirect"}, others=404)},
    ),
    "budgeting:proposal_new": Entry(
        kwargs=_pk("budgeting_idea"),
        methods={"GET": only({VOTER: 200, RUNS: 403}, others=404), "POST": only({VOTER: 400, RUNS: 403}, others=404)},
    ),
    "budgeting:ballot": Entry(
        kwargs=_pk("budgeting_vote"),
        methods={"GET": only({VOTER: 200, RUNS: 403}, others=404), "POST": only({VOTER: 400, RUNS: 403}, others=404)},
    ),
    "budgeting:assist": Entry(
        kwargs=_pk("budgeting_vote"),
        methods={"GET": only({VOTER: 403, RUNS: 200}, others=404), "POST": only({VOTER: 403, RUNS: 400}, others=404)},
        reads_personal_data=True,
    ),
    "budgeting:assist_code": Entry(
        kwargs=_pk("budgeting_vote"),
        methods={"GET": only({VOTER: 403, RUNS: 200}, others=404), "POST": only({VOTER: 403, RUNS: 400}, others=404)},
    ),
    "budgeting:codes": Entry(
        kwargs=_pk("budgeting_vote"),
        methods={"GET": only({RUNS: 200}, others=404), "POST": only({RUNS: 400}, others=404)},
    ),
    "budgeting:results": Entry(
        kwargs=_pk("budgeting_done"), methods={"GET": only({VOTER: 200, RUNS: 200, DELIVERS: 200}, others=404)}
    ),
    "budgeting:pabulib": Entry(
        kwargs=_pk("budgeting_done"),
        methods={"GET": only({RUNS: 200, "analyst": 200, "civic_unit": 200}, others=404)},
    ),
    "budgeting:proposal": Entry(
        kwargs=_pk("budgeting_vote_proposal"), methods={"GET": only(STAFF_OR_VOTER, others=404)}
    ),
    "budgeting:proposal_edit": Entry(
        kwargs=_pk("budgeting_idea_proposal"),
        methods={"GET": only({VOTER: 200, RUNS: 403}, others=404), "POST": only({VOTER: 400, RUNS: 403}, others=404)},
    ),
    "budgeting:proposal_withdraw": Entry(
        kwargs=_pk("budgeting_idea_proposal"),
        methods={"GET": POST_ONLY, "POST": only({VOTER: "redirect", RUNS: 403}, others=404)},
    ),
    "budgeting:proposal_review": Entry(
        kwargs=_pk("budgeting_idea_proposal"),
        methods={"GET": only({VOTER: 403, RUNS: 200}, others=404), "POST": only({VOTER: 403, RUNS: 400}, others=404)},
    ),
    "budgeting:proposal_image": Entry(
        kwargs=_pk("budgeting_image_proposal"), methods={"GET": only(STAFF_OR_VOTER, others=404)}
    ),
    # Aino is already a proposer, Riikka is not one of the group: both get the calm refusal.
    "budgeting:proposal_join": Entry(
        kwargs=lambda ctx: {
            "pk": ctx.extra["budgeting_idea_proposal"].pk,
            "token": ctx.extra["budgeting_idea_proposal"].join_token,
        },
        methods={"GET": only(STAFF_OR_VOTER, others=404), "POST": only({VOTER: 400, RUNS: 400}, others=404)},
    ),
    "budgeting:purchase_new": Entry(
        kwargs=_pk("budgeting_done_winner"),
        methods={
            "GET": only({VOTER: 403, RUNS: 200, DELIVERS: 403}, others=404),
            "POST": only({VOTER: 403, RUNS: 400, DELIVERS: 403}, others=404),
        },
    ),
    "budgeting:purchase": Entry(
        kwargs=_pk("budgeting_purchase"), methods={"GET": only({RUNS: 200, DELIVERS: 200}, others=404)}
    ),
    "budgeting:purchase_deliver": Entry(
        kwargs=_pk("budgeting_purchase"),
        methods={"GET": POST_ONLY, "POST": only({RUNS: 400, DELIVERS: 400}, others=404)},
    ),
    # Not carried out yet: the voter is sent back to the process page with the reason.
    "budgeting:feedback": Entry(
        kwargs=_pk("budgeting_purchase"), methods={"GET": POST_ONLY, "POST": only({VOTER: "redirect"}, others=404)}
    ),
    # The printed card's address: open to everyone, no account needed.
    "budgeting:code_start": Entry(
        kwargs=lambda ctx: {"key": ctx.extra["budgeting_vote"].code_key},
        methods={"GET": everyone(200), "POST": everyone(400)},
    ),
    "budgeting:code_ballot": Entry(
        kwargs=lambda ctx: {"key": ctx.extra["budgeting_vote"].code_key},
        methods={"GET": everyone("redirect"), "POST": everyone("redirect")},
    ),
    "budgeting:code_thanks": Entry(
        kwargs=lambda ctx: {"key": ctx.extra["budgeting_vote"].code_key}, methods={"GET": everyone(200)}
    ),
    # -- API ----------------------------------------------------------------------------------------
    "api:budgeting_processes": Entry(methods={"GET": api_logged_in(200)}),
    "api:budgeting_process": Entry(
        kwargs=_process_id("budgeting_vote"),
        methods={"GET": Case(default=404, anonymous=401, overrides=STAFF_OR_VOTER)},
    ),
    "api:budgeting_proposals": Entry(
        kwargs=_process_id("budgeting_vote"),
        methods={"GET": Case(default=404, anonymous=401, overrides=STAFF_OR_VOTER)},
    ),
    # Without a body: the same 400 for everyone, before any gate.
    "api:budgeting_proposal_create": Entry(
        kwargs=_process_id("budgeting_vote"), methods={"POST": Case(default=400, anonymous=401)}
    ),
    "api:budgeting_proposal": Entry(
        kwargs=lambda ctx: {"proposal_id": ctx.extra["budgeting_vote_proposal"].pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=STAFF_OR_VOTER)},
    ),
    "api:budgeting_ballot": Entry(
        kwargs=_process_id("budgeting_vote"),
        methods={"GET": Case(default=404, anonymous=401, overrides=STAFF_OR_VOTER)},
    ),
    "api:budgeting_ballot_cast": Entry(
        kwargs=_process_id("budgeting_vote"), methods={"PUT": Case(default=422, anonymous=401)}
    ),
    "api:budgeting_results": Entry(
        kwargs=_process_id("budgeting_done"),
        methods={"GET": Case(default=404, anonymous=401, overrides={VOTER: 200, RUNS: 200, DELIVERS: 200})},
    ),
}
