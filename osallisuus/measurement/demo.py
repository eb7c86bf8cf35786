"""Demo measurement data: rounds with answers from a few hundred people, so the reports show
real distributions, change between rounds, and small groups hidden.

All answers are to the instruments we ship ourselves (the DEMO scale is clearly labelled
as not validated). The demo participants are made up; they cannot log in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from osallisuus.accounts import services as accounts
from osallisuus.core.demo import DemoContext, register

from . import services
from .models import Answer, Instrument, Invitation, Response

AREAS = [("Järvilahti", 0.55), ("Mäntyranta", 0.27), ("Kirkonkylä", 0.18)]
SMALL_AREA = "Saarela"  # three people live here: their figures are always hidden
FIRST = [
    "Aada",
    "Eino",
    "Helmi",
    "Ilmari",
    "Kerttu",
    "Lauri",
    "Mette",
    "Niilo",
    "Oona",
    "Pekka",
    "Saga",
    "Toivo",
    "Ulla",
    "Väinö",
    "Ylva",
    "Åsa",
]
LAST = [
    "Aalto",
    "Heikkilä",
    "Järvinen",
    "Koskinen",
    "Laine",
    "Mäkelä",
    "Nieminen",
    "Ojala",
    "Rantanen",
    "Salo",
    "Tuominen",
    "Virtanen",
    "Lindqvist",
    "Sjöberg",
]


def _aware(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _participants(ctx: DemoContext, count: int) -> list[Any]:
    """Made-up participants of the county (no password: they cannot log in)."""
    people = []
    for i in range(count):
        area = ctx.rng.choices([a for a, _w in AREAS], weights=[w for _a, w in AREAS])[0] if i >= 3 else SMALL_AREA
        people.append(
            {
                "email": f"osallistuja{i + 1:03d}@demo.osallisuus.fi",
                "full_name": f"{ctx.rng.choice(FIRST)} {ctx.rng.choice(LAST)}",
                "municipality": area,
            }
        )
    return accounts.members_create(organisation=ctx.organisations["county"], role="participant", people=people)


def _answers(ctx: DemoContext, instrument: Any, level: float) -> dict[str, int]:
    """Answers around a person's level (1–5), reverse items answered the other way."""
    values = {}
    for item in instrument.items.all():
        if item.kind != "choice":
            continue
        base = 6 - level if item.reverse else level
        values[item.code] = max(1, min(5, round(ctx.rng.gauss(base, 0.8))))
    return values


def _answered(ctx: DemoContext, *, round_: Any, people: list[tuple[Any, float]], day: dt.date) -> None:
    """Sent responses for a round, with scores computed by the scoring service."""
    instrument = round_.instrument
    items = {i.code: i for i in instrument.items.all()}
    invitations = Invitation.objects.bulk_create(Invitation(round=round_, person=p) for p, _level in people)
    responses, answer_sets = [], []
    for invitation, (person, level) in zip(invitations, people, strict=True):
        values = _answers(ctx, instrument, level)
        score = services.score_of(instrument=instrument, values=values)
        when = _aware(day + dt.timedelta(days=ctx.rng.randrange(0, 20)), ctx.rng.randrange(8, 20))
        responses.append(
            Response(
                instrument=instrument,
                round=round_,
                invitation=invitation,
                respondent=person,
                organisation=round_.organisation,
                context_module=round_.context_module,
                area=person.municipality,
                language="fi",
                status=Response.Status.SUBMITTED,
                submitted_at=when,
                raw_score=score.raw,
                score=score.score,
                band=score.band,
            )
        )
        answer_sets.append(values)
    responses = Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(
        Answer(response=r, item=items[code], value=value)
        for r, values in zip(responses, answer_sets, strict=True)
        for code, value in values.items()
    )
    Invitation.objects.filter(round=round_).update(token_used_at=_aware(day))


@register("measurement", order=50)
def load(ctx: DemoContext) -> None:
    county = ctx.organisations["county"]
    ville, aino = ctx.users["own_worker"], ctx.users["participant"]
    demo = Instrument.objects.get(code="demo-belonging")
    checkin = Instrument.objects.get(code="plan-checkin")
    today = timezone.localdate()
    count = max(30, int(320 * ctx.scale))
    people = _participants(ctx, count)
    levels = {p.pk: min(4.8, max(1.4, ctx.rng.gauss(3.1, 0.8))) for p in people}

    def make(instrument: Any, name: str, key: str, phase: int, opens: dt.date, days: int, **extra: Any) -> Any:
        return services.round_create(
            actor=ville,
            instrument=instrument,
            organisation=extra.pop("organisation", county),
            name=name,
            group_key=key,
            group_kind=extra.pop("group_kind", "cohort"),
            phase=phase,
            context_module=extra.pop("context_module", "activation"),
            purpose=extra.pop(
                "purpose",
                "Kysymme, jotta näemme, miten ryhmä voi ja kehittyykö toiminta oikeaan suuntaan. "
                "Vastaukset tarkastellaan vain ryhminä.",
            ),
            opens_at=_aware(opens, 8),
            closes_at=_aware(opens + dt.timedelta(days=days), 20),
            retention_until=opens + dt.timedelta(days=3 * 365),
            **extra,
        )

    # Baseline and a follow-up for the spring cohort (DEMO scale, group results only).
    baseline = make(
        demo, "Kevään aktivointiryhmä: alkukysely (DEMO)", "kevat-2026", 0, today - dt.timedelta(days=300), 25
    )
    follow_up = make(
        demo, "Kevään aktivointiryhmä: seuranta 1 (DEMO)", "kevat-2026", 1, today - dt.timedelta(days=90), 25
    )
    first = people[: int(count * 0.85)]
    _answered(ctx, round_=baseline, people=[(p, levels[p.pk]) for p in first], day=baseline.opens_at.date())
    second = [p for p in first if ctx.rng.random() < 0.8] + people[int(count * 0.85) :]
    _answered(
        ctx,
        round_=follow_up,
        people=[(p, min(5.0, levels[p.pk] + ctx.rng.gauss(0.4, 0.4))) for p in second],
        day=follow_up.opens_at.date(),
    )

    # A pilot group of three: the report says too few answered.
    pilot = make(demo, "Pilottiryhmä (DEMO)", "pilotti", 0, today - dt.timedelta(days=60), 20, area="Saarela")
    _answered(ctx, round_=pilot, people=[(p, levels[p.pk]) for p in people[-3:]], day=pilot.opens_at.date())

    # An open plan check-in round: Aino and Jari are invited in the app; others have answered.
    open_round = make(
        checkin, "Suunnitelman välikysely, syksy", "valikysely-syksy", 0, today - dt.timedelta(days=5), 30
    )
    _answered(ctx, round_=open_round, people=[(p, levels[p.pk]) for p in people[:40]], day=open_round.opens_at.date())
    services.round_invite(actor=ville, round=open_round, people=[aino, ctx.users["participant2"]])

    # Aino's own check-ins on her plan (one shared with Ville) come from the activation demo,
    # through the plan page's service (activation.services.checkin_start).

    # Feedback after expert-by-experience tasks comes from the experts demo, through its service
    # (experts.services.feedback_start) for real agreements.

    # Kykyviisari was done for Aino; the result lives in the county's system.
    services.external_assessment_record(
        actor=ville,
        instrument=Instrument.objects.get(code="kykyviisari"),
        person=aino,
        organisation=county,
        done_on=today - dt.timedelta(days=40),
        result_location="Hyvinvointialueen asiakastietojärjestelmä, työikäisen asiakassuunnitelma",
    )
    ctx.extra["measurement_rounds"] = [baseline, follow_up, pilot, open_round]
