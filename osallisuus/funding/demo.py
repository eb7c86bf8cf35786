"""Demo partnership funding, in Finnish and deterministic: the Kuopio model in Järvilahti.

* **Järvilahden kumppanuusrahoitus 2027** (2026–2027), run by the city's civic activation unit
  (Pekka) with the ELY centre (Helena): yearly envelopes (ESF+ and state 300 000 €, city 100 000 €),
  the frame documents, two info events, two project ideas with advice.
* **Kevään 2027 haku** is open: Tiina has a draft ("Pärskeen polku") to continue.
* **Talven 2027 haku** has closed and is in review: Pekka has reviewed, Helena has not; a hearing is
  scheduled; nothing is decided yet, so both see decisions to make.
* **Syksyn 2026 haku** is decided: two projects with both decisions. One has a paid advance and a lump
  sum waiting for output verification, the other a self-financing loan from the city with its
  repayment schedule.
* **Kokemustoimijoiden pienavustukset 2027**: an internal call run by an NGO (the main implementer),
  re-granting within its own envelope and deciding together with the ELY centre.
* The programme's steering group, convened by the city, with Olli, Pekka and Helena.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from osallisuus.core.demo import DemoContext, register

from . import services
from .models import (
    Application,
    ApplicationUser,
    CostLine,
    Decision,
    Envelope,
    FinancingLine,
    Funder,
    FundingRule,
    Group,
    GroupMeeting,
    GroupMember,
    Idea,
    Loan,
    LoanInstalment,
    Output,
    Payment,
    Programme,
)

RULES = [
    (
        FundingRule.Kind.LUMP_SUM_MAX_TOTAL,
        Decimal("200000"),
        "EU:n alue- ja rakennepolitiikan ohjelma Uudistuva ja osaava Suomi 2021–2027: kertakorvaus "
        "vain enintään 200 000 euron kokonaiskustannuksen hankkeissa",
    ),
    (FundingRule.Kind.ADVANCE_MAX_PERCENT, Decimal("30"), "Ohjelman rahoitusehdot: ennakko enintään 30 % tuesta"),
    (FundingRule.Kind.ATTACHMENT_MAX_MB, Decimal("10"), "Järvilahden kaupungin hakuohje 2027"),
]

CRITERIA = [
    ("Osallisuuden vahvistuminen", 40),
    ("Toteutettavuus ja kumppanuudet", 30),
    ("Kustannusvaikuttavuus", 30),
]

DOCUMENTS = [
    ("city_strategy", "Järvilahti-strategia 2030", "https://www.jarvilahti.example/strategia", dt.date(2025, 6, 16)),
    (
        "wellbeing_priorities",
        "Hyvinvoinnin painopisteet 2027",
        "https://www.jarvilahti.example/hyvinvointi/painopisteet-2027",
        dt.date(2026, 11, 2),
    ),
    (
        "wellbeing_report",
        "Laaja hyvinvointikertomus 2025–2028",
        "https://www.jarvilahti.example/hyvinvointikertomus",
        dt.date(2025, 5, 12),
    ),
    (
        "regional_priorities",
        "Järvi-Suomen maakuntaohjelma 2026–2029",
        "https://www.jarvisuomi.example/maakuntaohjelma",
        dt.date(2025, 12, 1),
    ),
    (
        "national_programme",
        "Uudistuva ja osaava Suomi 2021–2027 -ohjelma",
        "https://www.rakennerahastot.fi/",
        dt.date(2022, 9, 1),
    ),
]


def _plan(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "aims": extra.pop("aims", "Osallistujien osallisuus ja toimijuus vahvistuvat."),
        "target_group": extra.pop("target_group", "Työttömät ja syrjäytymisvaarassa olevat järvilahtelaiset"),
        "activities": extra.pop("activities", "Ryhmätoiminta, vertaistuki ja ohjaus jatkopoluille."),
        "schedule": extra.pop("schedule", "12 kuukautta"),
        "theme": extra.pop("theme", "Nuoret"),
        "area": extra.pop("area", "Asemanseutu"),
        "lump_sum": True,
        **extra,
    }


def _fill(
    application: Application,
    *,
    outputs: list[tuple[str, str, str, str]],
    costs: list[tuple[str, str, str]],
    financing: dict[str, str],
) -> None:
    Output.objects.bulk_create(
        [
            Output(application=application, description=d, indicator=i, target=Decimal(t), unit=u)
            for d, i, t, u in outputs
        ]
    )
    CostLine.objects.bulk_create(
        [CostLine(application=application, category=c, description=d, amount=Decimal(a)) for c, d, a in costs]
    )
    FinancingLine.objects.bulk_create(
        [FinancingLine(application=application, source=s, amount=Decimal(a)) for s, a in financing.items()]
    )


def _application(
    call: Any,
    applicant: Any,
    user: Any,
    title: str,
    status: str,
    submitted: dt.datetime | None,
    number: str,
    **plan: Any,
) -> Application:
    application = Application.objects.create(
        call=call,
        applicant=applicant,
        status=status,
        submitted_at=submitted,
        created_by=user,
        tracking_number=number,
        **_plan(title, **plan),
    )
    if user is not None:
        ApplicationUser.objects.create(application=application, user=user, is_contact=True)
    return application


def _decide(
    application: Application, funder: Funder, envelope: Envelope, decider: Any, amount: str, number: str, on: dt.date
) -> Decision:
    """A decision as the service makes it, with the envelope's running total raised."""
    value = Decimal(amount)
    decision = Decision.objects.create(
        application=application,
        funder=funder,
        envelope=envelope,
        outcome=Decision.Outcome.GRANTED,
        number=number,
        decided_on=on,
        decider=decider,
        amount=value,
        conditions="Kertakorvaus maksetaan, kun päätöksessä nimetyt tuotokset on todennetusti saavutettu.",
    )
    decision.outputs.set(application.outputs.all())
    envelope.decided += value
    envelope.save(update_fields=["decided"])
    return decision


@register("funding", order=65)
def load(ctx: DemoContext) -> None:
    orgs, users = ctx.organisations, ctx.users
    pekka, helena, tiina, olli = (
        users["civic_unit"],
        users["funder_officer"],
        users["applicant"],
        users["steering_group"],
    )
    now = timezone.now()
    today = timezone.localdate()
    for kind, value, source in RULES:
        FundingRule.objects.get_or_create(
            kind=kind, valid_from=dt.date(2021, 1, 1), defaults={"value": value, "source": source}
        )

    programme = services.programme_create(
        actor=pekka,
        organisation=orgs["city"],
        data={
            "name": "Järvilahden kumppanuusrahoitus 2027",
            "description": (
                "Järvilahden kaupunki, Järvi-Suomen ELY-keskus ja järjestöt rahoittavat yhdessä pieniä, "
                "asukaslähtöisiä hankkeita. Haku on kaksivaiheinen: ensin idea ja neuvonta, sitten hakemus. "
                "ELY-keskus päättää ESR+- ja valtion osuudesta, kaupunki omasta osuudestaan."
            ),
            "year_from": 2026,
            "year_until": 2027,
        },
    )
    ely = services.funder_add(actor=pekka, programme=programme, organisation=orgs["funder"], share="esf_state")
    city = services.funder_add(
        actor=pekka, programme=programme, organisation=orgs["city"], share="city", is_convener=True
    )
    envelopes = {}
    for year in (2026, 2027):
        envelopes[("ely", year)] = services.envelope_set(
            actor=pekka,
            funder=ely,
            year=year,
            cap="300000",
            source=f"ELY-keskuksen myöntövaltuus {year} (ESR+ ja valtion rahoitus)",
        )
        envelopes[("city", year)] = services.envelope_set(
            actor=pekka,
            funder=city,
            year=year,
            cap="100000",
            source=f"Kaupunginvaltuuston talousarvio {year}, järjestöavustukset",
        )
    for doc_kind, title, url, dated in DOCUMENTS:
        services.frame_document_add(
            actor=pekka, programme=programme, data={"kind": doc_kind, "title": title, "url": url, "dated": dated}
        )
    for days, title, place, attendance in (
        (-75, "Kumppanuusrahoituksen infotilaisuus järjestöille", "Järvilahden kaupungintalo", 34),
        (-20, "Hakuklinikka: kustannusarvio ja kertakorvaus", "Verkossa (Teams)", 19),
    ):
        start = (now + dt.timedelta(days=days)).replace(hour=15, minute=0, second=0, microsecond=0)
        services.info_event_create(
            actor=pekka,
            programme=programme,
            data={
                "title": title,
                "starts_at": start,
                "ends_at": start + dt.timedelta(hours=2),
                "place": place,
                "attendance": attendance,
            },
            organisations=[orgs["ngo"], orgs["ngo2"], orgs["village"]],
        )

    def at(days: int, hour: int = 16) -> dt.datetime:
        return (now + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)

    decided_call = services.call_create(
        actor=pekka,
        programme=programme,
        name="Syksyn 2026 haku",
        opens_at=at(-150, 8),
        closes_at=at(-120),
        year=2026,
        funders=[ely, city],
        criteria=CRITERIA,
        description="Hankkeet, jotka vahvistavat työttömien ja nuorten osallisuutta.",
    )
    review_call = services.call_create(
        actor=pekka,
        programme=programme,
        name="Talven 2027 haku",
        opens_at=at(-45, 8),
        closes_at=at(-7),
        year=2027,
        funders=[ely, city],
        criteria=CRITERIA,
    )
    open_call = services.call_create(
        actor=pekka,
        programme=programme,
        name="Kevään 2027 haku",
        opens_at=at(-5, 8),
        closes_at=at(30),
        year=2027,
        funders=[ely, city],
        criteria=CRITERIA,
        description="Painopisteinä nuorten osallisuus ja kylien yhteisöllisyys.",
    )

    # Stage 1: ideas with advice.
    idea = services.idea_present(
        actor=tiina,
        programme=programme,
        organisation=orgs["ngo2"],
        title="Pärskeen polku",
        summary="Pajatoimintaa ja vertaisryhmiä nuorille työttömille, ohjaus jatkopoluille.",
    )
    services.advice_add(
        actor=helena,
        idea=idea,
        text="Hyvä idea. Nimeä tuotokset niin, että ne voi todentaa "
        "kertakorvausta varten (esim. ryhmätapaamisten määrä).",
    )
    services.advice_add(actor=pekka, idea=idea, text="Tehkää yhteistyötä kirjaston nuorisotilan kanssa.")
    services.idea_invite(actor=pekka, idea=idea, call=open_call)
    Idea.objects.create(
        programme=programme,
        organisation=orgs["ngo"],
        title="Kokemusasiantuntijat kylille",
        summary="Kokemusasiantuntijat kiertävät kylätaloilla kertomassa mielenterveyspalveluista.",
    )

    # The open call: Tiina's draft to continue.
    draft = services.application_create(
        actor=tiina, call=open_call, applicant=orgs["ngo2"], title="Pärskeen polku", idea=idea
    )
    services.application_save(
        actor=tiina,
        application=draft,
        plan=_plan("Pärskeen polku", starts_on=dt.date(2027, 5, 1), ends_on=dt.date(2028, 4, 30)),
        outputs=[
            {"description": "Vertaisryhmät nuorille", "indicator": "Ryhmätapaamisia", "target": "40", "unit": "kpl"}
        ],
        costs=[
            {"category": "staff", "description": "Ohjaajan palkka", "amount": "38 000"},
            {"category": "premises", "description": "Pajan tilavuokra", "amount": "6 000"},
        ],
        financing={"esf_state": "30 000", "city": "8 000", "own_money": "2 000"},
    )

    # The call in review.
    sent = _application(
        review_call,
        orgs["ngo2"],
        tiina,
        "Nuorten kesäpaja",
        Application.Status.SUBMITTED,
        at(-9),
        "PAJA2027",
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    _fill(
        sent,
        outputs=[("Kesäpajan jaksot", "Jaksoja", "3", "kpl"), ("Osallistujat", "Nuoria", "30", "hlöä")],
        costs=[
            ("staff", "Pajaohjaajat", "32000"),
            ("materials", "Materiaalit", "4000"),
            ("other", "Vapaaehtoistyön arvo", "4000"),
        ],
        financing={"esf_state": "26000", "city": "8000", "own_money": "2000", "own_volunteer": "4000"},
    )
    services.review_write(
        actor=pekka,
        application=sent,
        comment="Selkeä suunnitelma, vahva kumppanuus pajan kanssa.",
        scores={c.pk: s for c, s in zip(review_call.criteria.all(), (4, 4, 3), strict=True)},
    )
    services.recommendation_write(
        actor=pekka, application=sent, agrees=True, amount="8 000", note="Kaupunki puoltaa haettua osuutta."
    )
    services.hearing_schedule(
        actor=pekka,
        application=sent,
        starts_at=at(4, 13),
        ends_at=at(4, 14),
        place="Järvilahden kaupungintalo, neuvotteluhuone Lokki",
    )
    village = _application(
        review_call,
        orgs["village"],
        None,
        "Mäntyrannan kylätupa",
        Application.Status.SUBMITTED,
        at(-8),
        "KYLA2027",
        theme="Kylät",
        area="Mäntyranta",
        starts_on=dt.date(2027, 4, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    _fill(
        village,
        outputs=[("Kylätuvan avoimet illat", "Iltoja", "35", "kpl")],
        costs=[("premises", "Kylätalon vuokra", "9000"), ("staff", "Koordinaattori osa-aikaisena", "15000")],
        financing={"esf_state": "17000", "city": "5000", "own_volunteer": "2000"},
    )

    # The decided call: two projects with both decisions, an advance, a lump sum waiting for
    # verification and a self-financing loan.
    decided_on = (now - dt.timedelta(days=90)).date()
    one = _application(
        decided_call,
        orgs["ngo2"],
        tiina,
        "Pärskeen työpaja-askeleet",
        Application.Status.DECIDED,
        at(-121),
        "ASKEL2026",
        starts_on=dt.date(2026, 1, 1),
        ends_on=today - dt.timedelta(days=10),
        eura_application_number="S30123",
        eura_project_code="S30123",
        diary_number="JÄRELY/812/2026",
    )
    _fill(
        one,
        outputs=[("Työpajajaksot", "Jaksoja", "4", "kpl"), ("Jatkopolulle ohjatut", "Henkilöitä", "20", "hlöä")],
        costs=[
            ("staff", "Työvalmentaja", "45000"),
            ("materials", "Työvälineet", "5000"),
            ("other", "Vapaaehtoistyön arvo", "5000"),
        ],
        financing={"esf_state": "38000", "city": "10000", "own_money": "2000", "own_volunteer": "5000"},
    )
    one_ely = _decide(one, ely, envelopes[("ely", 2026)], helena, "38000", "JÄRELY/812/2026", decided_on)
    _decide(one, city, envelopes[("city", 2026)], pekka, "10000", "KAUPH 14.9.2026 § 88", decided_on)
    Output.objects.filter(application=one).update(
        reached=Decimal("4"), reported_at=now - dt.timedelta(days=3), reported_by=tiina
    )
    Output.objects.filter(application=one, indicator="Henkilöitä").update(reached=Decimal("22"))
    Payment.objects.create(
        decision=one_ely,
        kind=Payment.Kind.ADVANCE,
        amount=Decimal("11400"),
        status=Payment.Status.PAID,
        idempotency_key="demo-advance-askel",
        requested_by=tiina,
        paid_on=decided_on + dt.timedelta(days=20),
        paid_by=helena,
        note="Ennakko 30 % tuesta.",
    )
    Payment.objects.create(
        decision=one_ely,
        kind=Payment.Kind.LUMP_SUM,
        amount=Decimal("26600"),
        idempotency_key="demo-lumpsum-askel",
        requested_by=tiina,
        note="Loppumaksu: tuotokset raportoitu, odottaa todentamista.",
    )
    envelopes[("ely", 2026)].paid = Decimal("11400")
    envelopes[("ely", 2026)].save(update_fields=["paid"])

    two = _application(
        decided_call,
        orgs["village"],
        None,
        "Kylien kohtaamispaikat",
        Application.Status.DECIDED,
        at(-122),
        "KOHTA2026",
        theme="Kylät",
        area="Mäntyranta",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 6, 30),
    )
    _fill(
        two,
        outputs=[("Kohtaamisillat", "Iltoja", "60", "kpl")],
        costs=[("premises", "Tilat", "12000"), ("staff", "Ohjaaja", "28000")],
        financing={"esf_state": "30000", "city": "8000", "own_money": "2000"},
    )
    _decide(two, ely, envelopes[("ely", 2026)], helena, "30000", "JÄRELY/815/2026", decided_on)
    _decide(two, city, envelopes[("city", 2026)], pekka, "8000", "KAUPH 14.9.2026 § 89", decided_on)
    loan = Loan.objects.create(
        application=two,
        lender=orgs["city"],
        amount=Decimal("2000"),
        granted_on=decided_on,
        decision_number="KAUPH 14.9.2026 § 90",
    )
    for months in (6, 12, 18):
        LoanInstalment.objects.create(
            loan=loan,
            due_on=decided_on + dt.timedelta(days=30 * months),
            amount=Decimal("666.67") if months < 18 else Decimal("666.66"),
            repaid_on=decided_on + dt.timedelta(days=30 * months) if months == 6 else None,
        )

    # The internal-call model: the NGO as main implementer with its own envelope.
    internal = Programme.objects.create(
        name="Kokemustoimijoiden pienavustukset 2027",
        model=Programme.Model.INTERNAL,
        organisation=orgs["ngo"],
        parent=programme,
        year_from=2027,
        year_until=2027,
        description="Kokemustoimijat Järvi-Suomi ry jakaa hankkeensa rahoituksesta pieniä avustuksia "
        "kyläyhdistyksille ja päättää niistä yhdessä ELY-keskuksen kanssa.",
    )
    main = Funder.objects.create(
        programme=internal, organisation=orgs["ngo"], share=Funder.Share.MAIN_IMPLEMENTER, is_convener=True
    )
    internal_ely = Funder.objects.create(programme=internal, organisation=orgs["funder"], share=Funder.Share.ESF_STATE)
    Envelope.objects.create(
        funder=main,
        year=2027,
        cap=Decimal("30000"),
        source="ELY-keskuksen päätös JÄRELY/640/2026, uudelleenjaettava osuus",
    )
    Envelope.objects.create(
        funder=internal_ely, year=2027, cap=Decimal("20000"), source="ELY-keskuksen myöntövaltuus 2027"
    )
    internal_call = internal.calls.create(
        name="Pienavustushaku kevät 2027",
        opens_at=at(-3, 8),
        closes_at=at(25),
        year=2027,
        description="Enintään 5 000 euroa kyläyhdistyksille.",
    )
    internal_call.funders.set([main, internal_ely])
    for order, (name, weight) in enumerate((("Kylän asukkaiden osallisuus", 60), ("Toteutettavuus", 40))):
        internal_call.criteria.create(name=name, weight=weight, order=order)
    small = _application(
        internal_call,
        orgs["village"],
        None,
        "Kylän kokemuskahvilat",
        Application.Status.SUBMITTED,
        at(-1),
        "KAHVI2027",
        theme="Kylät",
        area="Mäntyranta",
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 9, 30),
    )
    _fill(
        small,
        outputs=[("Kokemuskahvilat", "Tilaisuuksia", "6", "kpl")],
        costs=[("services", "Kokemusasiantuntijoiden palkkiot", "3000"), ("materials", "Tarjoilut", "600")],
        financing={"main_implementer": "3000", "own_volunteer": "600"},
    )

    # The steering group over all funded projects, convened by the city.
    group = Group.objects.create(
        programme=programme, kind=Group.Kind.STEERING, name="Kumppanuusrahoituksen ohjausryhmä"
    )
    for user, org, role in (
        (olli, orgs["city"], "puheenjohtaja"),
        (pekka, orgs["city"], "sihteeri"),
        (helena, orgs["funder"], "jäsen"),
    ):
        GroupMember.objects.create(group=group, user=user, organisation=org, role=role)
    start = at(-30, 13)
    GroupMeeting.objects.create(
        group=group,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="Kaupungintalo",
        minutes="Käytiin läpi syksyn 2026 hankkeiden tilanne. Ennakko maksettu Pärskeelle.",
    )
    ctx.extra["funding_programme"] = programme
