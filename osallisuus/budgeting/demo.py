"""Demo participatory budgeting, in Finnish and deterministic (the demo's seeded random generator).

* **Nuorten KAAOS-haaste 2026** (finished): the city's civic activation unit (Pekka) ran a challenge for
  15–29-year-olds in the spirit of Oulu's KAAOS: the young people proposed, the unit costed, they voted
  with their accounts and with printed voting codes, Equal Shares chose the winners, at least one
  solution is bought from a third-sector actor. Työpaja Pärske ry has carried out its winner (a small
  grant) and the young people gave their feedback; another winner is still being carried out.
* **Puutyöpajan porukan yhteinen raha** (voting open): Riikka of Työpaja Pärske runs it for the
  participants of the woodwork workshop. Aino is one of them and has not voted yet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from osallisuus.accounts import services as accounts
from osallisuus.activation import selectors as activation_selectors
from osallisuus.activation import services as activation
from osallisuus.core.demo import DemoContext, register
from osallisuus.measurement import services as measurement

from . import services
from .models import Process, Proposal

YOUTH = [
    "Veeti Lahtinen",
    "Iida Koivisto",
    "Onni Hyvärinen",
    "Emma Rautio",
    "Aleksi Öhman",
    "Sofia Pirinen",
    "Eetu Vainio",
    "Aada Kärkkäinen",
]

# (title, for whom, why, cost, provider key or name, third sector, feasible or the reason it is not)
KAAOS_PROPOSALS: list[tuple[str, str, str, str, str, bool, str]] = [
    (
        "Iltaskeittikoulu Asemanseudulle",
        "Nuorille, jotka haluavat oppia skeittaamaan tai ovat jo aloittaneet.",
        "Iltaisin ei ole paikkaa, jossa voi olla ilman rahaa. Ohjaaja tekee paikasta turvallisen.",
        "2800",
        "ngo2",
        True,
        "",
    ),
    (
        "Nuorten kahvilailta kirjastoon",
        "Kaikille 15–29-vuotiaille, myös niille, jotka eivät käy nuorisotalolla.",
        "Kirjastoon on helppo tulla yksin. Siellä voi tutustua uusiin ihmisiin rauhassa.",
        "1900",
        "city",
        False,
        "",
    ),
    (
        "Musiikkistudio nuorisotalolle",
        "Nuorille, jotka tekevät musiikkia tai haluavat kokeilla.",
        "Kotona ei voi soittaa kovaa. Studiossa voi äänittää omat biisit.",
        "6500",
        "city",
        False,
        "",
    ),
    (
        "Pyöräkorjaamokurssi",
        "Nuorille, joilla on rikkinäinen pyörä tai jotka haluavat oppia korjaamaan.",
        "Kun osaa korjata oman pyörän, pääsee liikkumaan ilman bussilippua.",
        "1200",
        "ngo2",
        True,
        "",
    ),
    (
        "Kesäretki kansallispuistoon",
        "Nuorille, jotka eivät ole päässeet luontoon.",
        "Yhteinen retki tuo porukan yhteen, ja luonnossa mieli lepää.",
        "3000",
        "village",
        True,
        "",
    ),
    (
        "Ilmainen kuntosalivuoro nuorille",
        "Kaikille nuorille.",
        "Kuntosali on liian kallis.",
        "",
        "",
        False,
        "Kaupungin kuntosali on jo maksuton alle 30-vuotiaille torstaisin klo 14–18. Kerromme vuorosta "
        "nuorisotalolla ja kirjastossa, jotta kaikki tietävät sen.",
    ),
]

WORKSHOP_PROPOSALS: list[tuple[str, str, str, str, str, bool, str]] = [
    (
        "Uusi höylä pajalle",
        "Kaikille, jotka tekevät pajalla puutöitä.",
        "Vanha höylä on rikki, ja nyt joudumme odottamaan vuoroa yhteen koneeseen.",
        "1200",
        "ngo2",
        True,
        "",
    ),
    (
        "Retki käsityömessuille",
        "Pajan porukalle.",
        "Messuilla näkee, mitä muut tekevät, ja saa ideoita omiin töihin.",
        "900",
        "ngo2",
        True,
        "",
    ),
    (
        "Taukotilaan sohva ja kahvinkeitin",
        "Kaikille pajalla kävijöille.",
        "Tauolla olisi mukava istua yhdessä. Nyt istumme työpöytien ääressä.",
        "450",
        "Järvilahden kierrätyskeskus",
        False,
        "",
    ),
    (
        "Puutyökurssi aloittelijoille lauantaisin",
        "Niille, jotka eivät vielä uskalla tulla pajalle arkena.",
        "Lauantaina on rauhallisempaa, ja moni pääsisi silloin mukaan.",
        "1600",
        "ngo2",
        True,
        "",
    ),
    (
        "Pajalle oma pakettiauto",
        "Pajan porukalle.",
        "Voisimme hakea lahjoitetut huonekalut itse.",
        "",
        "",
        False,
        "Auto maksaisi enemmän kuin koko budjetti, ja sen vakuutus ja huolto jäisivät pajan maksettaviksi. "
        "Kierrätyskeskus hakee huonekalut meille maksutta, kun sovimme siitä viikkoa ennen.",
    ),
]


def _dates(*, voting_until: dt.date, back: int = 0) -> dict[str, dt.date]:
    """Phases that end voting on ``voting_until``; ``back`` days moves everything into the past."""
    end = voting_until - dt.timedelta(days=back)
    return {
        "proposals_from": end - dt.timedelta(days=60),
        "proposals_until": end - dt.timedelta(days=35),
        "costing_until": end - dt.timedelta(days=21),
        "voting_from": end - dt.timedelta(days=14),
        "voting_until": end,
        "results_on": end + dt.timedelta(days=3),
        "delivery_until": end + dt.timedelta(days=120),
    }


def _youth(ctx: DemoContext) -> list[Any]:
    people = []
    for name in YOUTH:
        local = name.lower().replace(" ", ".").replace("ä", "a").replace("ö", "o").replace("å", "a")
        user, _created = accounts.user_get_or_create(email=f"{local}@demo.osallisuus.fi", full_name=name)
        user.set_password(ctx.password)
        user.municipality = "Järvilahti"
        user.save()
        accounts.membership_grant(user=user, organisation=ctx.organisations["city"], roles=("participant",))
        people.append(user)
    return people


def _propose(
    ctx: DemoContext,
    process: Any,
    staff: Any,
    authors: list[Any],
    rows: list[tuple[str, str, str, str, str, bool, str]],
) -> list[Any]:
    made = []
    for index, (title, for_whom, why, cost, provider, third, reason) in enumerate(rows):
        author = authors[index % len(authors)]
        proposal = services.proposal_create(
            actor=author, process=process, data={"title": title, "for_whom": for_whom, "why": why}
        )
        if len(authors) > 1 and index % 3 == 0:
            other = authors[(index + 1) % len(authors)]
            services.proposal_join(actor=other, proposal=proposal, token=proposal.join_token)
        if reason:
            proposal = services.proposal_decide(actor=staff, proposal=proposal, feasible=False, reason=reason)
        else:
            org = ctx.organisations.get(provider)
            proposal = services.proposal_decide(
                actor=staff,
                proposal=proposal,
                feasible=True,
                cost=Decimal(cost),
                provider=org,
                provider_name="" if org is not None else provider,
                third_sector=third,
            )
        made.append(proposal)
    return made


def _kaaos(ctx: DemoContext) -> None:
    rng = ctx.rng
    pekka = ctx.users["civic_unit"]
    youth = _youth(ctx)
    today = timezone.localdate()
    process = services.process_create(
        actor=pekka,
        organisation=ctx.organisations["city"],
        data={
            "name": "Nuorten KAAOS-haaste 2026",
            "description": (
                "Hauska tapa ratkaista yhdessä ikäviä ongelmia: miten järvilahtelaiset 15–29-vuotiaat pääsisivät "
                "paremmin mukaan? Nuoret ehdottivat ja äänestivät. Vähintään yksi ratkaisu ostetaan "
                "järjestöltä tai yhdistykseltä."
            ),
            "budget": Decimal("10000"),
            "electorate": Process.Electorate.LIST,
            "ballot_style": Process.BallotStyle.APPROVAL,
            "winner_rule": Process.WinnerRule.EQUAL_SHARES,
            "third_sector_minimum": 1,
            **_dates(voting_until=today),
        },
    )
    for person in youth:
        services.eligible_add(actor=pekka, process=process, email=person.email)
    process = services.process_advance(actor=pekka, process=process, to=Process.Phase.PROPOSALS)
    proposals = _propose(ctx, process, pekka, youth, KAAOS_PROPOSALS)
    process = services.process_advance(actor=pekka, process=process, to=Process.Phase.COSTING)
    process = services.process_advance(actor=pekka, process=process, to=Process.Phase.VOTING)
    on_ballot = [p for p in proposals if p.status == Proposal.Status.FEASIBLE]
    popular = [4, 3, 1, 3, 2]  # how many each feasible proposal tends to get on a ballot
    for person in youth:
        chosen = [p.pk for p, w in zip(on_ballot, popular, strict=True) if rng.random() < w / 5]
        services.ballot_cast(actor=person, process=process, choices=chosen or [on_ballot[0].pk])
    codes = services.codes_issue(actor=pekka, process=process, count=20)
    for code in codes[:14]:
        chosen = [p.pk for p, w in zip(on_ballot, popular, strict=True) if rng.random() < w / 5]
        services.ballot_cast_with_code(process=process, code=code, choices=chosen or [on_ballot[2].pk])
    process = services.process_advance(actor=pekka, process=process, to=Process.Phase.RESULTS)
    process = services.results_publish(actor=pekka, process=process)
    process = services.process_advance(actor=pekka, process=process, to=Process.Phase.DELIVERY)
    # The process ran six weeks ago: its dates move into the past (the dates may change at any time).
    past = _dates(voting_until=today, back=42)
    process = services.process_update(actor=pekka, process=process, data=past)
    winners = [p for p in proposals if p.pk in services.winner_ids(process)]
    ngo_winner = next((p for p in winners if p.provider_id == ctx.organisations["ngo2"].pk), None)
    other = next((p for p in winners if p is not ngo_winner), None)
    agreed = past["results_on"] + dt.timedelta(days=5)
    if ngo_winner is not None:
        purchase = services.purchase_record(
            actor=pekka,
            proposal=ngo_winner,
            kind="grant",
            amount=ngo_winner.cost,
            agreed_on=agreed,
            provider=ctx.organisations["ngo2"],
        )
        purchase = services.purchase_deliver(
            actor=ctx.users["applicant"],
            purchase=purchase,
            delivered_on=today - dt.timedelta(days=7),
            note="Kuusi iltaa ohjaajan kanssa, mukana 23 nuorta. Laina-laudat ja kypärät jäivät nuorisotalolle.",
        )
        for index, person in enumerate(youth[:6]):
            response = services.feedback_start(actor=person, purchase=purchase)
            measurement.response_save(
                response=response,
                values={
                    code: rng.choice([4, 5, 5] if index % 3 else [3, 4, 5])
                    for code in ("as_proposed", "useful", "heard", "again")
                },
                texts={"comment": rng.choice(["", "Lisää tällaista!", "Ohjaaja oli tosi hyvä.", ""])},
            )
            measurement.response_submit(response=response)
    if other is not None:
        services.purchase_record(
            actor=pekka,
            proposal=other,
            kind="purchase",
            amount=other.cost,
            agreed_on=agreed,
            provider=other.provider,
            provider_name=other.provider_name,
        )


def _workshop(ctx: DemoContext) -> None:
    riikka = ctx.users["activity_provider"]
    workshop = ctx.extra["activity_of_ngo2"]
    for key in ("p_mikko", "p_johanna", "p_petri", "participant2"):
        with contextlib.suppress(activation.RuleError):
            activation.signup_create(activity=workshop, participant=ctx.users[key])
    today = timezone.localdate()
    process = services.process_create(
        actor=riikka,
        organisation=ctx.organisations["ngo2"],
        data={
            "name": "Puutyöpajan porukan yhteinen raha",
            "description": (
                "Pajalle on varattu 3 000 euroa aktivoinnin rahoista. Pajan porukka päättää itse, mihin ne "
                "käytetään: ehdota, äänestä ja seuraa, miten voittajat toteutuvat."
            ),
            "budget": Decimal("3000"),
            "electorate": Process.Electorate.ACTIVITY,
            "activity": workshop,
            "ballot_style": Process.BallotStyle.KNAPSACK,
            "winner_rule": Process.WinnerRule.GREEDY,
            "third_sector_minimum": 1,
            **_dates(voting_until=today + dt.timedelta(days=10)),
        },
    )
    process = services.process_advance(actor=riikka, process=process, to=Process.Phase.PROPOSALS)
    voters = [ctx.users[k] for k in ("participant", "p_mikko", "p_johanna", "p_petri", "participant2")]
    eligible = activation_selectors.participant_ids_signed_up(activity_id=workshop.pk)
    authors = [p for p in voters if p.pk in eligible]
    proposals = _propose(ctx, process, riikka, authors, WORKSHOP_PROPOSALS)
    process = services.process_advance(actor=riikka, process=process, to=Process.Phase.COSTING)
    process = services.process_advance(actor=riikka, process=process, to=Process.Phase.VOTING)
    feasible = [p for p in proposals if p.cost]
    for person, picks in zip(
        [p for p in authors if p.pk != ctx.users["participant"].pk], [(0, 2), (0, 1), (3,)], strict=False
    ):
        services.ballot_cast(actor=person, process=process, choices=[feasible[i].pk for i in picks])
    codes = services.codes_issue(actor=riikka, process=process, count=10)
    for code, picks in zip(codes[:2], [(1, 2), (0,)], strict=True):
        services.ballot_cast_with_code(process=process, code=code, choices=[feasible[i].pk for i in picks])


@register("budgeting", order=70)
def load(ctx: DemoContext) -> None:
    _kaaos(ctx)
    _workshop(ctx)
