"""Seed the experts module's data: permissions for the roles, code lists, training
recommendations, public reference figures and example fee tables. All of it is editable
in the admin site; each figure carries its source and effective date (REFERENCE.md)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

PERMISSIONS = {
    "experts.order": ("Order experts by experience for one's organisation", ["orderer"]),
    "experts.broker": ("Broker tasks to the organisation's experts by experience", ["coordinator"]),
    "experts.act": ("Act as an expert by experience", ["expert"]),
}

AREAS = [
    ("mental_health", "Mielenterveys", "Psykisk hälsa", "Mental health"),
    ("substance_use", "Päihteet", "Missbruk", "Substance use"),
    ("homelessness", "Asunnottomuus", "Bostadslöshet", "Homelessness"),
    ("immigration", "Maahanmuutto", "Invandring", "Immigration"),
    ("chronic_illness", "Pitkäaikaissairaus", "Långvarig sjukdom", "Long-term illness"),
    ("disability", "Vammaisuus", "Funktionsnedsättning", "Disability"),
    ("child_welfare", "Lastensuojelu", "Barnskydd", "Child welfare"),
    ("unemployment", "Pitkäaikaistyöttömyys", "Långtidsarbetslöshet", "Long-term unemployment"),
    ("service_use", "Palvelujen käyttö", "Användning av tjänster", "Using services"),
    ("relative", "Läheisenä oleminen", "Att vara anhörig", "Being a relative"),
]

TASK_TYPES = [
    ("reception", "Kokemusasiantuntijan vastaanotto", "Erfarenhetsexpertens mottagning", "Expert reception"),
    ("working_group", "Kehittämis- tai ohjausryhmä", "Utvecklings- eller styrgrupp", "Development or steering group"),
    (
        "evaluation",
        "Havainnointi ja palvelujen arviointi",
        "Observation och utvärdering av tjänster",
        "Observation and service evaluation",
    ),
    (
        "service_chain",
        "Hoito- ja palveluketjujen kehittäminen",
        "Utveckling av vård- och servicekedjor",
        "Developing care and service chains",
    ),
    ("job_interview", "Työhaastattelu työparina", "Arbetsintervju i par", "Job interview with a professional"),
    ("group_facilitation", "Ryhmänohjaus työparina", "Gruppledning i par", "Group facilitation with a professional"),
    ("lecture", "Koulutus ja luennointi", "Utbildning och föreläsning", "Training and lecturing"),
    ("story", "Oman tarinan kertominen", "Att berätta sin berättelse", "Telling one's own story"),
    ("digital", "Digitaaliset palvelut, kuten chat", "Digitala tjänster, som chatt", "Digital services such as chat"),
    ("communications", "Viestintä ja julkaisut", "Kommunikation och publikationer", "Communications and publications"),
    (
        "client_meeting",
        "Asiakastapaaminen ja tukihenkilötyö",
        "Klientmöte och stödpersonsarbete",
        "Client meeting and support-person work",
    ),
    ("peer_guidance", "Vertaispalveluohjaus", "Kamratservicehandledning", "Peer service guidance"),
]

RECOMMENDATIONS = [
    (
        "kokoa_2017",
        "Kokoa ry: vähintään 50 tuntia ja 4 kuukautta",
        Decimal("50"),
        4,
        0,
        "Kokoa ry (Koulutetut kokemusasiantuntijat ry), 2017",
        dt.date(2017, 1, 1),
        True,
    ),
    (
        "kokemustoimintaverkosto",
        "Kokemustoimintaverkosto: vähintään 40 tuntia, 3–6 lähipäivää",
        Decimal("40"),
        0,
        3,
        "Kokemustoimintaverkoston malli",
        dt.date(2017, 1, 1),
        False,
    ),
]

PENSION_SOURCE = "Eläketurvakeskus / Kela: työkyvyttömyyseläkkeen vähimmäisansioraja"
FIGURES = [
    ("disability_pension_min", "743.84", dt.date(2016, 1, 1), dt.date(2016, 12, 31), PENSION_SOURCE, False),
    ("disability_pension_min", "737.45", dt.date(2017, 1, 1), dt.date(2018, 12, 31), PENSION_SOURCE, False),
    ("disability_pension_min", "784.52", dt.date(2019, 1, 1), dt.date(2019, 12, 31), PENSION_SOURCE, False),
    ("disability_pension_min", "834.52", dt.date(2020, 1, 1), dt.date(2020, 12, 31), PENSION_SOURCE, False),
    ("disability_pension_min", "885.63", dt.date(2022, 8, 1), dt.date(2022, 12, 31), PENSION_SOURCE, False),
    ("disability_pension_min", "976.59", dt.date(2024, 1, 1), dt.date(2024, 12, 31), PENSION_SOURCE, False),
    (
        "disability_pension_min",
        "976.59",
        dt.date(2025, 1, 1),
        None,
        PENSION_SOURCE + " (2025 ja 2026: vahvistamaton esimerkki, indeksoidaan vuosittain)",
        True,
    ),
    ("volunteer_allowance_days", "20", dt.date(2019, 1, 1), None, "Tuloverolaki 71 §", False),
    ("volunteer_km_cap", "3000.00", dt.date(2019, 1, 1), None, "Tuloverolaki 71 § (vuodesta 2019)", False),
    ("km_rate", "0.57", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "Verohallinto 2024", False),
    ("full_day_allowance", "51.00", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "Verohallinto 2024", False),
    ("part_day_allowance", "24.00", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "Verohallinto 2024", False),
    ("meal_allowance", "12.75", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "Verohallinto 2024", False),
]

# code, name, unit, amount, max amount, included preparation hours, task types
KOKOA_2018 = [
    (
        "event",
        "Koulu- ja seminaariyhteistyö, puheenvuorot, paneelit, luennot ja koulutukset",
        "event",
        "100.00",
        "600.00",
        "0",
        ["lecture", "story", "communications"],
    ),
    ("group_hour", "Ryhmänohjaus ja valmistelu", "hour", "25.00", None, "0", ["group_facilitation"]),
    (
        "client_meeting",
        "Asiakastapaamiset ja tukihenkilötyö",
        "meeting",
        "50.00",
        None,
        "0",
        ["client_meeting", "reception", "peer_guidance"],
    ),
    ("meeting", "Kokouspalkkio (työryhmät, hallitukset)", "meeting", "50.00", "100.00", "0", ["working_group"]),
    ("project", "Kehittämishankkeeseen osallistuminen", "project", "300.00", "600.00", "0", ["service_chain"]),
    (
        "other_hour",
        "Muu työ (havainnointi, haastattelut, vertaisryhmät, auditoinnit)",
        "hour",
        "25.00",
        None,
        "0",
        ["evaluation", "job_interview", "digital"],
    ),
]
KAP_VANTAA = [
    (
        "group_package",
        "Ryhmänohjauspaketti, sis. 1 h yhteissuunnittelua ammattilaisen kanssa (25 €)",
        "package",
        "50.00",
        None,
        "1.0",
        ["group_facilitation"],
    ),
    ("client_meeting", "Asiakastapaaminen", "meeting", "50.00", None, "0", ["client_meeting", "reception"]),
    ("lecture", "Luento tai koulutus", "event", "100.00", None, "0", ["lecture"]),
    ("story", "Oman tarinan kertominen", "event", "100.00", None, "0", ["story"]),
    ("working_group", "Työryhmä", "meeting", "50.00", None, "0", ["working_group"]),
    (
        "service_design",
        "Palvelujen kehittäminen ja muotoilu",
        "hour",
        "25.00",
        None,
        "0",
        ["service_chain", "evaluation"],
    ),
]
SCHEDULES = [
    (
        "Kokoa ry:n palkkiosuositus 2018 (esimerkki)",
        dt.date(2018, 1, 1),
        "Kokoa ry 2018, Väestöliiton julkaisema; aina lisäksi matkakulut",
        24,
        True,
        KOKOA_2018,
    ),
    (
        "KAP Vantaa -tilausmallin paketit (esimerkki)",
        dt.date(2018, 1, 1),
        "KAP Vantaa -tilausmalli: maksuton peruutus 24 h ennen, palkkio maksetaan myös asiakkaan jäädessä tulematta",
        24,
        True,
        KAP_VANTAA,
    ),
]


def seed(apps, schema_editor):
    Permission = apps.get_model("accounts", "Permission")
    Role = apps.get_model("accounts", "Role")
    for code, (description, roles) in PERMISSIONS.items():
        perm, _ = Permission.objects.update_or_create(code=code, defaults={"description": description})
        for role in Role.objects.filter(code__in=roles):
            role.permissions.add(perm)
    ExperienceArea = apps.get_model("experts", "ExperienceArea")
    for order, (code, fi, sv, en) in enumerate(AREAS):
        ExperienceArea.objects.update_or_create(
            code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "sort_order": order * 10}
        )
    TaskType = apps.get_model("experts", "TaskType")
    types = {}
    for order, (code, fi, sv, en) in enumerate(TASK_TYPES):
        types[code], _ = TaskType.objects.update_or_create(
            code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "sort_order": order * 10}
        )
    TrainingRecommendation = apps.get_model("experts", "TrainingRecommendation")
    for code, name, hours, months, days, source, valid_from, default in RECOMMENDATIONS:
        TrainingRecommendation.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "min_hours": hours,
                "min_months": months,
                "min_contact_days": days,
                "source": source,
                "valid_from": valid_from,
                "is_default": default,
            },
        )
    ReferenceFigure = apps.get_model("experts", "ReferenceFigure")
    for kind, amount, valid_from, valid_until, source, unconfirmed in FIGURES:
        ReferenceFigure.objects.create(
            kind=kind,
            amount=Decimal(amount),
            valid_from=valid_from,
            valid_until=valid_until,
            source=source,
            unconfirmed=unconfirmed,
        )
    FeeSchedule = apps.get_model("experts", "FeeSchedule")
    FeeItem = apps.get_model("experts", "FeeItem")
    for name, valid_from, source, hours, no_show, items in SCHEDULES:
        schedule = FeeSchedule.objects.create(
            organisation=None,
            name=name,
            valid_from=valid_from,
            source=source,
            is_example=True,
            free_cancellation_hours=hours,
            fee_due_on_no_show=no_show,
            travel_per_km=Decimal("0.57"),
        )
        for code, item_name, unit, amount, max_amount, included, task_types in items:
            item = FeeItem.objects.create(
                schedule=schedule,
                code=code,
                name=item_name,
                unit=unit,
                amount=Decimal(amount),
                max_amount=Decimal(max_amount) if max_amount else None,
                included_hours=Decimal(included),
            )
            item.task_types.set([types[t] for t in task_types])


def unseed(apps, schema_editor):
    apps.get_model("experts", "FeeSchedule").objects.filter(organisation=None, is_example=True).delete()
    apps.get_model("experts", "ReferenceFigure").objects.all().delete()
    apps.get_model("experts", "TrainingRecommendation").objects.filter(
        code__in=[r[0] for r in RECOMMENDATIONS]
    ).delete()
    apps.get_model("experts", "TaskType").objects.filter(code__in=[t[0] for t in TASK_TYPES]).delete()
    apps.get_model("experts", "ExperienceArea").objects.filter(code__in=[a[0] for a in AREAS]).delete()
    apps.get_model("accounts", "Permission").objects.filter(code__in=list(PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [("experts", "0001_initial"), ("accounts", "0002_roles_and_permissions")]
    operations = [migrations.RunPython(seed, unseed)]
