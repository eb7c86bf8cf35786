"""Demo data for Järvilahti: providers' activities, participants with plans in different stages,
own workers and their caseloads. Deterministic (the demo's seeded random generator)."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.utils import timezone

from osallisuus.accounts import services as account_services
from osallisuus.core.demo import DemoContext, register
from osallisuus.measurement import services as measurement

from . import services
from .models import Activity, Goal

AREAS = ["Keskusta", "Mäntyranta", "Asemanseutu", "Kirkonkylä", "Rantala"]

# (title, summary, baskets, area, place, schedule, language, accessible, cost, capacity, provider key)
ACTIVITIES: list[tuple[str, str, list[str], str, str, str, str, bool, str, int, str]] = [
    (
        "Puutyöpaja",
        "Korjataan vanhoja huonekaluja ja tehdään uutta puusta. Ohjaaja auttaa alkuun.",
        ["doing", "material"],
        "Asemanseutu",
        "Pärskeen paja, Ratakatu 4",
        "ti ja to klo 9–13",
        "fi",
        True,
        "municipality",
        8,
        "ngo2",
    ),
    (
        "Kahvila Höyryn keittiö",
        "Leivotaan ja tarjoillaan kahvilassa. Saat todistuksen osaamisestasi.",
        ["doing", "material", "belonging"],
        "Keskusta",
        "Kahvila Höyry, Torikatu 2",
        "ma–ke klo 8–12",
        "fi",
        True,
        "municipality",
        4,
        "company",
    ),
    (
        "Rantapolun talkoot",
        "Siistitään yhdessä rantapolkua ja rakennetaan penkkejä kyläläisten kanssa.",
        ["local", "belonging"],
        "Mäntyranta",
        "Kylätalo",
        "joka toinen la klo 10–14",
        "fi",
        False,
        "free",
        20,
        "village",
    ),
    (
        "Vertaisryhmä Tuuli",
        "Keskustellaan arjesta pienessä ryhmässä. Kahvi tarjotaan.",
        ["belonging", "service"],
        "Keskusta",
        "Järjestötalo, Kauppakatu 7",
        "ke klo 13–15",
        "fi",
        True,
        "free",
        10,
        "ngo",
    ),
    (
        "Kuntosaliryhmä",
        "Matalan kynnyksen kuntosali ohjaajan kanssa. Ei tarvitse osata mitään etukäteen.",
        ["service", "belonging"],
        "Rantala",
        "Rantalan liikuntahalli",
        "ma ja pe klo 10–11",
        "fi",
        True,
        "municipality",
        12,
        "city",
    ),
    (
        "Språkcafé",
        "Vi pratar svenska och finska över en kopp kaffe.",
        ["belonging"],
        "Keskusta",
        "Kirjasto",
        "to kl. 17–18.30",
        "sv",
        True,
        "free",
        15,
        "city",
    ),
    (
        "Pyöräkorjaamo",
        "Korjataan lahjoitettuja pyöriä asukkaiden käyttöön.",
        ["local", "doing"],
        "Asemanseutu",
        "Pärskeen paja",
        "ke klo 12–16",
        "fi",
        False,
        "municipality",
        6,
        "ngo2",
    ),
    (
        "Digitaitojen opastus",
        "Opetellaan yhdessä asioimaan verkossa: pankki, Kela, sähköposti.",
        ["service", "doing"],
        "Kirkonkylä",
        "Kirkonkylän koulu",
        "ti klo 14–16",
        "fi",
        True,
        "free",
        8,
        "school",
    ),
    (
        "Kylälehti",
        "Tehdään kylälehteä: juttuja, kuvia ja taittoa.",
        ["local", "doing", "belonging"],
        "Mäntyranta",
        "Kylätalo",
        "to klo 10–13",
        "fi",
        False,
        "free",
        6,
        "village",
    ),
    (
        "Ammattiopiston tutustumispäivät",
        "Tutustu opiskeluun ja kokeile eri aloja.",
        ["doing"],
        "Kirkonkylä",
        "Järvilahden ammattiopisto",
        "1. ma kuussa klo 9–14",
        "fi",
        True,
        "free",
        25,
        "school",
    ),
]

# Extra participants and workers of the demo (not test personas): (key, name, e-mail local part)
EXTRA_PARTICIPANTS = [
    ("p_mikko", "Mikko Salonen"),
    ("p_tuula", "Tuula Heikkinen"),
    ("p_sami", "Sami Kettunen"),
    ("p_johanna", "Johanna Laine"),
    ("p_ahmed", "Ahmed Yusuf"),
    ("p_marja", "Marja Kivelä"),
    ("p_petri", "Petri Lehto"),
    ("p_sanna", "Sanna Korpela"),
    ("p_kalle", "Kalle Rissanen"),
    ("p_irja", "Irja Halonen"),
    ("p_timo", "Timo Nyberg"),
    ("p_oksana", "Oksana Bondar"),
]
EXTRA_WORKERS = [("w_liisa", "Liisa Vartiainen")]

GOAL_IDEAS = [
    ("Haluan päästä mukaan johonkin ryhmään.", "belonging"),
    ("Haluan oppia leipomaan ja saada siitä todistuksen.", "doing"),
    ("Haluan saada talouden kuntoon ja tietää, mihin tukiin minulla on oikeus.", "material"),
    ("Haluan tehdä jotain hyvää omalle kylälle.", "local"),
    ("Haluan päästä kuntoutukseen selän takia.", "service"),
    ("Haluan lähteä opiskelemaan.", "doing"),
    ("Haluan liikkua enemmän.", "service"),
]



def office_hours(days: int, *, hour: int) -> dt.datetime:
    """A meeting ``days`` from today at ``hour`` o'clock Finnish time, on a weekday (office hours)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))

def _person(ctx: DemoContext, key: str, full_name: str, roles: tuple[str, ...]) -> Any:
    local = full_name.lower().replace(" ", ".").replace("ä", "a").replace("ö", "o").replace("å", "a")
    user = account_services.user_create(
        email=f"{local}@demo.osallisuus.fi", password=ctx.password, full_name=full_name, municipality="Järvilahti"
    )
    account_services.membership_grant(user=user, organisation=ctx.organisations["county"], roles=roles)
    ctx.users[key] = user
    return user


def build_aino(ctx_users: dict[str, Any], organisations: dict[str, Any]) -> dict[str, Any]:
    """Aino's plan as the demo and the tests know it: goals (one proposed by Ville), a sign-up,
    a meeting request and an agreed meeting, an outcome, and the activities of Työpaja Pärske."""
    aino, ville = ctx_users["participant"], ctx_users["own_worker"]
    plan = services.plan_ensure(participant=aino, organisation=organisations["county"])
    services.plan_update(
        plan=plan,
        actor=aino,
        data={
            "about_me": "Olen 44-vuotias. Olin pitkään varastotöissä. Pidän käsillä tekemisestä.",
            "what_matters": "Että päivissä on rytmi ja että tapaan ihmisiä.",
            "strengths": "Olen tarkka ja pidän lupaukseni.",
            "support": "Sosiaaliohjaus. Selän vuoksi fysioterapia.",
            "next_step": "Ville soittaa ja sovitaan puutyöpajaan tutustuminen.",
            "next_step_on": timezone.localdate() + dt.timedelta(days=7),
            "official_name": "Sosiaalityöntekijä Kirsi Aaltonen",
            "official_title": "Aikuissosiaalityö, Järvi-Suomen hyvinvointialue",
            "official_phone": "029 123 4000",
            "official_email": "aikuissosiaalityo@demo.osallisuus.fi",
            "official_hours": "ma–to klo 9–11",
        },
    )
    goal = services.goal_create(
        plan=plan,
        actor=aino,
        title="Haluan päästä mukaan johonkin ryhmään.",
        basket="belonging",
        target_on=timezone.localdate() + dt.timedelta(days=90),
    )
    services.goal_update(
        goal=goal,
        actor=aino,
        reason="Tarkensin",
        title="Haluan päästä mukaan puutyöryhmään.",
        achievement_status="improving",
    )
    services.goal_note_add(goal=goal, actor=aino, text="Kävin katsomassa pajaa. Tuntui hyvältä.")
    proposed = services.goal_create(
        plan=plan, actor=ville, title="Selvitetään oikeus kuntoutusrahaan.", basket="material"
    )
    workshop = Activity.objects.filter(provider=organisations["ngo2"]).order_by("pk").first()
    if workshop is None:
        workshop = services.activity_create(
            provider=organisations["ngo2"],
            actor=ctx_users["activity_provider"],
            data={
                "title": "Puutyöpaja",
                "summary": "Korjataan vanhoja huonekaluja.",
                "baskets": ["doing"],
                "area": "Asemanseutu",
                "schedule": "ti ja to klo 9–13",
                "capacity": 8,
                "cost": "municipality",
                "language": "fi",
                "accessible": True,
            },
        )
    signup = services.signup_create(activity=workshop, participant=aino)
    request = services.meeting_request(
        plan=plan, actor=aino, with_whom="own_worker", topic="Haluaisin puhua kuntoutuksesta.", wishes="aamupäivät"
    )
    agreed = services.meeting_request(plan=plan, actor=aino, with_whom="own_worker", topic="Suunnitelman läpikäynti")
    services.meeting_schedule(
        meeting=agreed,
        actor=ville,
        starts_at=office_hours(3, hour=10),
        duration_minutes=60,
        place="Sosiaalitoimisto, Kauppakatu 1",
    )
    outcome = services.outcome_record(
        plan=plan,
        actor=ville,
        kind="competence",
        achieved_on=timezone.localdate() - dt.timedelta(days=10),
        description="Hygieniaosaamisen näyttö kahvilan keittiössä.",
    )
    return {
        "plan_of_aino": plan,
        "goal_of_aino": goal,
        "proposed_goal_of_aino": proposed,
        "activity_of_ngo2": workshop,
        "signup_of_aino": signup,
        "meeting_request_of_aino": request,
        "meeting_of_aino": agreed,
        "outcome_of_aino": outcome,
    }


CHECKIN_NEXT = [
    "Haluaisin kokeilla kuntosaliryhmää.",
    "Toivon, että pääsisin pajalle useammin.",
    "Haluaisin jutella opiskelusta.",
    "",
]


def _checkin(ctx: DemoContext, *, plan: Any, person: Any, level: float, share_with: Any = None) -> None:
    """A sent check-in through the measurement engine, the same way the plan page starts one."""
    response = services.checkin_start(plan=plan, actor=person)
    values = {
        code: max(1, min(5, round(ctx.rng.gauss(6 - level if code == "stuck" else level, 0.7))))
        for code in ("goals", "support", "activities", "stuck")
    }
    measurement.response_save(response=response, values=values, texts={"next": ctx.rng.choice(CHECKIN_NEXT)})
    measurement.response_submit(response=response)
    if share_with is not None:
        measurement.response_share(response=response, respondent=person, worker=share_with)


@register("activation", order=50)
def load(ctx: DemoContext) -> None:
    rng = ctx.rng
    provider_user = ctx.users["activity_provider"]
    for title, summary, baskets, area, place, schedule, language, accessible, cost, capacity, org_key in ACTIVITIES:
        # Riikka publishes Työpaja Pärske's own activities; the other organisations' come with the demo.
        services.activity_create(
            provider=ctx.organisations[org_key],
            actor=provider_user if org_key == "ngo2" else None,
            data={
                "title": title,
                "summary": summary,
                "baskets": baskets,
                "area": area,
                "place": place,
                "schedule": schedule,
                "language": language,
                "accessible": accessible,
                "cost": cost,
                "capacity": capacity,
                "starts_on": timezone.localdate() - dt.timedelta(days=30),
            },
        )
    ctx.extra.update(build_aino(ctx.users, ctx.organisations))
    # Aino's check-ins: an earlier one kept to herself, the newest shared with Ville.
    aino_plan = ctx.extra["plan_of_aino"]
    _checkin(ctx, plan=aino_plan, person=ctx.users["participant"], level=3.2)
    _checkin(ctx, plan=aino_plan, person=ctx.users["participant"], level=3.8, share_with=ctx.users["own_worker"])

    # Jari has a plan but no own worker yet: a plan in its first stage.
    jari = ctx.users["participant2"]
    jari_plan = services.plan_ensure(participant=jari, organisation=ctx.organisations["county"])
    services.goal_create(plan=jari_plan, actor=jari, title="Haluan löytää jotain mielekästä tekemistä.", basket="doing")

    workers = [ctx.users["own_worker"]] + [_person(ctx, k, n, ("own_worker",)) for k, n in EXTRA_WORKERS]
    activities = list(Activity.objects.published().order_by("pk"))
    kinds = ["studies", "certificate", "competence", "rehabilitation", "pension", "community", "work"]
    for i, (key, name) in enumerate(EXTRA_PARTICIPANTS):
        person = _person(ctx, key, name, ("participant",))
        worker = workers[i % len(workers)]
        account_services.relationship_start(
            worker=worker, person=person, organisation=ctx.organisations["county"], kind="own_worker"
        )
        plan = services.plan_ensure(participant=person, organisation=ctx.organisations["county"])
        stage = i % 4  # 0 just started, 1 goals set, 2 active with activities, 3 outcomes reached
        if stage == 0:
            if i == 8:  # resting for a while: nothing ends by itself, the plan waits
                services.plan_update(plan=plan, actor=person, data={"status": "resting"})
            else:
                services.meeting_request(plan=plan, actor=person, with_whom="own_worker", topic="Haluan aloittaa.")
            continue
        for title, basket in rng.sample(GOAL_IDEAS, k=2 + stage % 2):
            goal = services.goal_create(plan=plan, actor=person, title=title, basket=basket)
            if stage >= 2:
                services.goal_update(
                    goal=goal, actor=person, achievement_status=rng.choice(["improving", "in-progress", "no-change"])
                )
            if stage == 3 and rng.random() < 0.6:
                services.goal_update(
                    goal=goal, actor=worker, achievement_status=Goal.Achievement.ACHIEVED, reason="Tavoite saavutettu"
                )
        if stage >= 2:
            for activity in rng.sample(activities, k=2):
                with contextlib.suppress(services.RuleError):
                    services.signup_create(activity=activity, participant=person, join_waiting_list=True)
        if stage == 3:
            services.outcome_record(
                plan=plan,
                actor=worker,
                kind=rng.choice(kinds),
                achieved_on=timezone.localdate() - dt.timedelta(days=rng.randint(1, 120)),
            )
        # A check-in from everyone with goals; every other one shared with the own worker.
        _checkin(ctx, plan=plan, person=person, level=2.8 + stage * 0.4, share_with=worker if i % 2 else None)
        meeting = services.meeting_request(plan=plan, actor=person, with_whom="own_worker", topic="Kuulumisten vaihto")
        if stage >= 2:
            services.meeting_schedule(
                meeting=meeting,
                actor=worker,
                starts_at=office_hours(rng.randint(1, 14), hour=rng.choice((9, 10, 13, 14))),
                duration_minutes=45,
                place="Sosiaalitoimisto",
            )
