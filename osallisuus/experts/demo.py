"""Demo data: a few hundred experts by experience of Kokemustoimijat Järvi-Suomi ry ("ngo")
and a year of tasks ordered by the county, the city and the vocational school.

Deterministic (ctx.rng). Eero and Päivi are real personas with full profiles; Eero has a
disability-pension limit, tasks behind him, an agreed task ahead and an offer waiting, so
every page of the journey has something to show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from osallisuus.accounts import services as account_services
from osallisuus.core.demo import DemoContext, register
from osallisuus.measurement import selectors as measurement_selectors
from osallisuus.measurement import services as measurement

from . import fees, services
from .models import (
    Agreement,
    CheckIn,
    EarningsLimit,
    ExpenseItem,
    ExpenseReport,
    ExperienceArea,
    Expert,
    FeeSchedule,
    Offer,
    PeerEvent,
    SupportSession,
    TaskRequest,
    TaskType,
    TrainingCourse,
)

FIRST = [
    "Aila",
    "Anneli",
    "Antti",
    "Arja",
    "Eila",
    "Elina",
    "Erkki",
    "Hannu",
    "Heikki",
    "Irma",
    "Jaana",
    "Janne",
    "Jari",
    "Johanna",
    "Jorma",
    "Kaija",
    "Kari",
    "Katja",
    "Kimmo",
    "Leila",
    "Liisa",
    "Marja",
    "Markku",
    "Merja",
    "Mika",
    "Minna",
    "Nina",
    "Outi",
    "Pasi",
    "Pirjo",
    "Raija",
    "Reijo",
    "Riitta",
    "Sanna",
    "Seppo",
    "Sirpa",
    "Tapio",
    "Teemu",
    "Tuula",
    "Ulla",
    "Vesa",
    "Aleksi",
    "Fatima",
    "Abdi",
    "Olga",
    "Linnea",
    "Björn",
]
LAST = [
    "Heinonen",
    "Honkanen",
    "Hyvärinen",
    "Jokinen",
    "Kettunen",
    "Kinnunen",
    "Koskinen",
    "Laitinen",
    "Lehtonen",
    "Leinonen",
    "Miettinen",
    "Nieminen",
    "Nurmi",
    "Pitkänen",
    "Rantanen",
    "Räsänen",
    "Salminen",
    "Savolainen",
    "Tikkanen",
    "Turunen",
    "Vainio",
    "Virtanen",
    "Ylönen",
    "Ahonen",
    "Huttunen",
    "Karppinen",
    "Oksanen",
]
REGIONS = ["Järvi-Suomi"] * 6 + ["Pohjois-Savo", "Keski-Suomi"]
TITLES = {
    "lecture": [
        "Luento sosiaalialan opiskelijoille",
        "Kokemuspuheenvuoro henkilöstökoulutuksessa",
        "Luento lähihoitajaopiskelijoille",
    ],
    "story": ["Oman tarinan kertominen oppitunnilla", "Kokemustarina asukasillassa"],
    "group_facilitation": ["Vertaisryhmän ohjaus työparina", "Toipumisryhmän ohjaus"],
    "working_group": ["Palveluketjun kehittämisryhmä", "Asiakasraadin kokous"],
    "reception": ["Kokemusasiantuntijan vastaanotto psykiatrian poliklinikalla"],
    "evaluation": ["Palvelun havainnointi ja arviointi", "Asiakaskokemuksen haastattelut"],
    "client_meeting": ["Tukihenkilötapaaminen", "Asiakastapaaminen työparina"],
}
FEE_ITEM = {
    "lecture": "event",
    "story": "event",
    "group_facilitation": "group_hour",
    "working_group": "meeting",
    "reception": "client_meeting",
    "evaluation": "other_hour",
    "client_meeting": "client_meeting",
}


def _feedback(ctx: DemoContext, *, actor: Any, agreement: Any, level: float) -> None:
    """One side's sent feedback on a task, through experts' service and the measurement engine."""
    response = services.feedback_start(actor=actor, agreement=agreement)
    codes = ctx.extra.setdefault("experts_feedback_items", {})
    if response.instrument_id not in codes:
        items = measurement_selectors.instrument_get(pk=response.instrument_id).items.all()
        codes[response.instrument_id] = [i.code for i in items if i.kind == "choice"]
    values = {code: max(1, min(5, round(ctx.rng.gauss(level, 0.8)))) for code in codes[response.instrument_id]}
    measurement.response_save(response=response, values=values)
    # Given a few days after the task, so reports count it in the quarter of the task.
    answered = min(agreement.ends_at + dt.timedelta(days=ctx.rng.randint(0, 6), hours=2), timezone.now())
    measurement.response_submit(response=response, answered_at=answered)


def office_hours(moment: dt.datetime, *, days_back: int = 0) -> dt.datetime:
    """The last weekday at 10.15 Finnish time at or before ``moment``, ``days_back`` weekdays earlier."""
    local = timezone.localtime(moment)
    day = local.date() if local.time() >= dt.time(10, 15) else local.date() - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    for _ in range(days_back):
        day -= dt.timedelta(days=1)
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 15)))


@register("experts", order=50)
def load(ctx: DemoContext) -> None:
    rng = ctx.rng
    ngo = ctx.organisations["ngo"]
    county, city, school = ctx.organisations["county"], ctx.organisations["city"], ctx.organisations["school"]
    now = timezone.now()
    today = timezone.localdate()
    areas = list(ExperienceArea.objects.all())
    types = {t.code: t for t in TaskType.objects.all()}

    # Fee schedules: the Kokoa 2018 table in force for the NGO; the KAP Vantaa packages as a second example.
    kokoa = FeeSchedule.objects.get(organisation__isnull=True, name__startswith="Kokoa")
    schedule = services.fee_schedule_copy(example=kokoa, organisation=ngo, valid_from=dt.date(today.year - 2, 1, 1))

    # Orderers of the city and the school (the county's orderer is Sari Öhman).
    orderers = {county.pk: ctx.users["orderer"]}
    for org, name in ((city, "Tuomas Lähteenmäki"), (school, "Heli Vänskä")):
        email = name.lower().replace(" ", ".").replace("ä", "a").replace("ö", "o") + "@demo.osallisuus.fi"
        user = account_services.user_create(email=email, full_name=name, password=ctx.password)
        account_services.membership_grant(user=user, organisation=org, roles=["orderer"])
        orderers[org.pk] = user
    ordering = [county, county, county, city, school]

    # The experts: Eero and Päivi plus a few hundred others.
    count = max(20, int(300 * ctx.scale))
    new_users = []
    for i in range(count):  # accounts without a password (they never log in), through accounts' services
        user = account_services.user_create(
            email=f"kokemus{i:03d}@demo.osallisuus.fi",
            full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            municipality="Järvilahti",
        )
        account_services.membership_grant(user=user, organisation=ngo, roles=["expert"])
        new_users.append(user)
    people = [ctx.users["expert"], ctx.users["expert2"], *new_users]
    experts = []
    for i, user in enumerate(people):
        paused = today + dt.timedelta(days=rng.randint(5, 60)) if rng.random() < 0.05 else None
        langs = ",fi," + ("sv," if rng.random() < 0.15 else "") + ("en," if rng.random() < 0.3 else "")
        experts.append(
            Expert(
                user=user,
                organisation=ngo,
                region=rng.choice(REGIONS),
                languages=langs,
                status=Expert.Status.IN_TRAINING if (i > 1 and rng.random() < 0.08) else Expert.Status.ACTIVE,
                perspective=rng.choice([Expert.Perspective.OWN] * 3 + [Expert.Perspective.RELATIVE]),
                works_remotely=rng.random() < 0.7,
                works_on_site=True,
                paused_until=paused,
                municipalities="Järvilahti",
                contact_preferences="Puhelin arkisin",
            )
        )
    experts = Expert.objects.bulk_create(experts)
    through = Expert.experience_areas.through
    through.objects.bulk_create(
        [through(expert_id=e.pk, experiencearea_id=a.pk) for e in experts for a in rng.sample(areas, rng.randint(1, 3))]
    )
    ttypes = Expert.task_types.through
    type_list = list(types.values())
    ttypes.objects.bulk_create(
        [ttypes(expert_id=e.pk, tasktype_id=t.pk) for e in experts for t in rng.sample(type_list, rng.randint(2, 5))]
    )
    courses = []
    for i, e in enumerate(experts):
        hours = Decimal(rng.choice([16, 40, 50, 56, 60, 80, 120])) if e.status == Expert.Status.ACTIVE else Decimal(16)
        if i < 2:  # Eero and Päivi: the Kokoa-recommended basic training
            hours = Decimal(60)
        months = (rng.choice([1, 4, 5, 6, 8]) if hours >= 40 else 1) if i >= 2 else 5
        courses.append(
            TrainingCourse(
                expert=e,
                title="Kokemusasiantuntijakoulutus",
                organiser=rng.choice(["Kokoa ry", "Kokemustoimijat Järvi-Suomi ry", "Järvilahden ammattiopisto"]),
                hours=hours,
                months=months,
                contact_days=rng.randint(3, 10),
                completed_on=today - dt.timedelta(days=rng.randint(60, 2000)),
            )
        )
        e.training_hours, e.training_months = hours, months
        e.training_contact_days = courses[-1].contact_days
    TrainingCourse.objects.bulk_create(courses)
    Expert.objects.bulk_update(experts, ["training_hours", "training_months", "training_contact_days"])
    eero, paivi = experts[0], experts[1]
    Expert.objects.filter(pk=eero.pk).update(
        diagnoses="Masennus (toipunut)",
        region="Järvi-Suomi",
        languages=",fi,en,",
        paused_until=None,
        status=Expert.Status.ACTIVE,
        story="Sairastuin masennukseen opiskeluaikana. Kerron toipumisesta ja siitä, mikä auttoi.",
    )
    Expert.objects.filter(pk=paivi.pk).update(region="Järvi-Suomi", paused_until=None, status=Expert.Status.ACTIVE)
    through.objects.get_or_create(expert_id=eero.pk, experiencearea_id=areas[0].pk)
    through.objects.get_or_create(expert_id=paivi.pk, experiencearea_id=areas[0].pk)
    TrainingCourse.objects.create(
        expert=eero,
        kind=TrainingCourse.Kind.JOINT,
        title="Motivoiva haastattelu",
        organiser="Järvi-Suomen hyvinvointialue",
        hours=Decimal("12"),
        contact_days=2,
        completed_on=today - dt.timedelta(days=200),
    )
    EarningsLimit.objects.create(
        expert=eero,
        kind="Työkyvyttömyyseläkkeen ansioraja",
        amount=Decimal("976.59"),
        period="month",
        consecutive_months=3,
        valid_from=dt.date(today.year, 1, 1),
        source="Eläkepäätös / Eläketurvakeskus",
    )

    # A year of tasks: requests, offers, agreements, expenses and feedback.
    active = list(Expert.objects.filter(organisation=ngo, status=Expert.Status.ACTIVE).order_by("pk"))
    weights = [5 if e.pk in (eero.pk, paivi.pk) else rng.choice([1, 1, 1, 2, 3]) for e in active]
    busy: dict[int, set[tuple[dt.date, int]]] = {}
    partner = ctx.users["partner_worker"]
    kaisa = ctx.users["coordinator"]
    n_tasks = max(30, int(700 * ctx.scale))
    requests, plans = [], []
    for _ in range(n_tasks):
        day = today - dt.timedelta(days=rng.randint(1, 360))
        if day.weekday() >= 5:
            day -= dt.timedelta(days=2)
        hour = rng.choice([9, 10, 12, 13, 14])
        code = rng.choice(list(TITLES))
        org = rng.choice(ordering)
        starts = dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())
        for _attempt in range(10):
            expert = rng.choices(active, weights=weights)[0]
            if (day, hour) not in busy.setdefault(expert.pk, set()):
                break
        busy[expert.pk].add((day, hour))
        remote = rng.random() < 0.25
        requests.append(
            TaskRequest(
                organisation=org,
                broker=ngo,
                created_by=orderers[org.pk],
                task_type=types[code],
                setting=rng.choice(TaskRequest.Setting.values),
                title=rng.choice(TITLES[code]),
                description="Tehtävän kuvaus ja toiveet kokemusasiantuntijalle.",
                starts_at=starts,
                duration_minutes=rng.choice([60, 90, 120]),
                remote=remote,
                address="" if remote else "Kauppakatu 5, Järvilahti",
                region="Järvi-Suomi",
                experience_area=rng.choice(areas),
                language="fi",
                partner_worker=partner if org == county else None,
                fee_item_code=FEE_ITEM[code],
                compensation=TaskRequest.Compensation.FEE,
                status=TaskRequest.Status.DONE,
            )
        )
        plans.append(expert)
    requests = TaskRequest.objects.bulk_create(requests)
    items = {i.code: i for i in schedule.items.all()}
    offers = Offer.objects.bulk_create(
        [
            Offer(request=r, expert=e, offered_by=kaisa, status=Offer.Status.ACCEPTED, answered_at=r.starts_at)
            for r, e in zip(requests, plans, strict=True)
        ]
    )
    agreements = []
    for r, e, o in zip(requests, plans, offers, strict=True):
        item = items[r.fee_item_code]
        volunteer = rng.random() < 0.08
        fee = (
            Decimal("0.00")
            if volunteer
            else fees.fee_for(unit=item.unit, amount=item.amount, duration_minutes=r.duration_minutes)
        )
        status = Agreement.Status.NO_SHOW if rng.random() < 0.03 else Agreement.Status.DONE
        agreements.append(
            Agreement(
                request=r,
                offer=o,
                expert=e,
                status=status,
                starts_at=r.starts_at,
                ends_at=r.ends_at,
                volunteer=volunteer,
                schedule=schedule,
                fee_item=item,
                fee=fee,
                fee_due=not volunteer,
                travel_per_km=schedule.travel_per_km,
                terms="Kokoa 2018 -taulukon mukaan; peruutus maksutta 24 h ennen.",
                confirmed_at=r.ends_at,
            )
        )
    agreements = Agreement.objects.bulk_create(agreements)
    reports = ExpenseReport.objects.bulk_create(
        [
            ExpenseReport(
                agreement=a,
                status=ExpenseReport.Status.APPROVED
                if a.starts_at < now - dt.timedelta(days=14)
                else ExpenseReport.Status.SUBMITTED,
                approved_by=kaisa,
                approved_at=a.ends_at,
            )
            for a in agreements
            if not a.request.remote
        ]
    )
    expense_items = []
    for rep in reports:
        a = rep.agreement
        km = Decimal(rng.randint(4, 80))
        expense_items.append(
            ExpenseItem(
                report=rep,
                kind=ExpenseItem.Kind.KILOMETRES,
                kilometres=km,
                amount=fees.km_amount(kilometres=km, per_km=a.travel_per_km),
                taxable=not a.volunteer,
            )
        )
    ExpenseItem.objects.bulk_create(expense_items)
    # Feedback after the tasks through the measurement engine, the same way the agreement page
    # starts it: about half of the orderers and a fifth of the experts answered (the same people
    # about many tasks). Small groups are hidden in the coordinator's report.
    expert_answered = set()
    for a in agreements:
        if a.status != Agreement.Status.DONE:
            continue
        if rng.random() < 0.5:
            _feedback(ctx, actor=a.request.created_by, agreement=a, level=rng.gauss(4.1, 0.6))
        if rng.random() < 0.2:
            _feedback(ctx, actor=a.expert.user, agreement=a, level=rng.gauss(4.0, 0.7))
            expert_answered.add(a.pk)
    done_by_eero = next(
        a for a in reversed(agreements) if a.expert_id == eero.pk and a.status == "done" and a.pk not in expert_answered
    )
    services.feedback_start(actor=ctx.users["expert"], agreement=done_by_eero)  # waiting for Eero

    # Now and ahead: a request waiting for Kaisa, an agreed task and an offer waiting for Eero.
    def request(title: str, days: int, code: str = "lecture", **extra: Any) -> TaskRequest:
        return services.request_file(
            actor=ctx.users["orderer"],
            organisation=county,
            broker=ngo,
            task_type=types[code],
            title=title,
            description="Toivomme kokemuspuheenvuoroa toipumisesta.",
            setting=TaskRequest.Setting.SOCIAL_SERVICES,
            starts_at=timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(13))),
            duration_minutes=90,
            remote=False,
            address="Sairaalantie 3, Järvilahti",
            region="Järvi-Suomi",
            experience_area=areas[0],
            language="fi",
            partner_worker=partner,
            **extra,
        )

    request("Kokemuspuheenvuoro henkilöstöpäivään", 21)
    agreed = services.request_review(
        actor=kaisa, request=request("Toipumistarina nuorisoasemalla", 9), approve=True, fee_item_code="event"
    )
    offer = services.offer_make(actor=kaisa, request=agreed, experts=[Expert.objects.get(pk=eero.pk)])[0]
    services.offer_accept(actor=ctx.users["expert"], offer=offer)
    waiting = services.request_review(
        actor=kaisa, request=request("Luento mielenterveystyön opiskelijoille", 14), approve=True, fee_item_code="event"
    )
    services.offer_make(
        actor=kaisa, request=waiting, experts=[Expert.objects.get(pk=eero.pk), Expert.objects.get(pk=paivi.pk)]
    )
    # What happened "now" happened in office hours in Finnish time, whenever the demo is loaded.
    recent = TaskRequest.objects.filter(starts_at__gte=timezone.now())
    TaskRequest.objects.filter(pk__in=recent).update(created_at=office_hours(timezone.now(), days_back=1))
    Offer.objects.filter(request__in=recent).update(created_at=office_hours(timezone.now()))
    Agreement.objects.filter(request__in=recent).update(created_at=office_hours(timezone.now()))

    # Wellbeing and peer community.
    session_experts = rng.sample(active, min(len(active), 40))
    for months_ago in (1, 3, 5):
        s = SupportSession.objects.create(
            organisation=ngo, kind=SupportSession.Kind.SUPERVISION, held_on=today - dt.timedelta(days=30 * months_ago)
        )
        s.attendees.set([*session_experts[months_ago * 5 : months_ago * 5 + 12], eero])
    CheckIn.objects.bulk_create(
        [
            CheckIn(expert=e, coping=rng.choice([2, 3, 4, 4, 5]), wants_contact=rng.random() < 0.05)
            for e in session_experts
        ]
    )
    for title, kind, days, cap in (
        ("Vertaistapaaminen: jaksaminen", "peer_meeting", 10, 15),
        ("Jatkokoulutus: ryhmänohjaus", "further_training", 30, 20),
    ):
        event = PeerEvent.objects.create(
            organisation=ngo,
            kind=kind,
            title=title,
            capacity=cap,
            place="Järjestötalo, Järvilahti",
            starts_at=timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(17))),
        )
        event.participants.set(rng.sample(active, 5))
    ctx.extra["experts_count"] = len(experts)
