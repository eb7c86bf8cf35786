"""Demo organisations and one person for every role (the test personas are the same people).

The town is Järvilahti, a fictional lakeside town in the fictional Järvi-Suomi wellbeing
services county. The organisation names are invented so as not to speak for real ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from osallisuus.core.demo import DemoContext, register

from . import services
from .models import Organisation, Role, User


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name: str
    kind: str
    municipality: str
    may_order_experts: bool = False


@dataclass(frozen=True)
class DemoPerson:
    key: str
    full_name: str
    email: str
    role_label: str
    memberships: tuple[tuple[str, tuple[str, ...]], ...]
    municipality: str = "Järvilahti"
    phone: str = ""
    language: str = "fi"
    note: str = ""


ORGANISATIONS = [
    DemoOrg("city", "Järvilahden kaupunki", "municipality", "Järvilahti", may_order_experts=True),
    DemoOrg("county", "Järvi-Suomen hyvinvointialue", "wellbeing_county", "Järvilahti", may_order_experts=True),
    DemoOrg("ngo", "Kokemustoimijat Järvi-Suomi ry", "ngo", "Järvilahti"),
    DemoOrg("ngo2", "Työpaja Pärske ry", "ngo", "Järvilahti"),
    DemoOrg("funder", "Järvi-Suomen ELY-keskus", "funder", "Järvilahti"),
    DemoOrg("school", "Järvilahden ammattiopisto", "school", "Järvilahti", may_order_experts=True),
    DemoOrg("company", "Kahvila Höyry Oy", "company", "Järvilahti"),
    DemoOrg("village", "Mäntyrannan kyläyhdistys", "other", "Järvilahti"),
]

D = "demo.osallisuus.fi"

PEOPLE = [
    DemoPerson("participant", "Aino Mäkinen", f"aino.makinen@{D}", "Osallistuja (participant)",
               (("county", ("participant",)),), phone="040 123 4501"),
    DemoPerson("own_worker", "Ville Häkkinen", f"ville.hakkinen@{D}", "Omatyöntekijä (own worker)",
               (("county", ("own_worker",)),), phone="040 123 4502", note="one-time code"),
    DemoPerson("coordinator", "Kaisa Lindström", f"kaisa.lindstrom@{D}", "Koordinaattori (coordinator)",
               (("ngo", ("coordinator",)),), phone="040 123 4503", note="one-time code"),
    DemoPerson("expert", "Eero Väisänen", f"eero.vaisanen@{D}",
               "Kokemusasiantuntija (expert; also network member)",
               (("ngo", ("expert",)), ("city", ("network_member",))), phone="040 123 4504"),
    DemoPerson("orderer", "Sari Öhman", f"sari.ohman@{D}", "Tilaaja (orderer)",
               (("county", ("orderer",)),), phone="040 123 4505", note="one-time code"),
    DemoPerson("partner_worker", "Jussi Kärkkäinen", f"jussi.karkkainen@{D}", "Lähityöntekijä (partner)",
               (("county", ("partner_worker",)),), note="one-time code"),
    DemoPerson("network_coordinator", "Leena Ålander", f"leena.alander@{D}",
               "Verkostokoordinaattori (network coordinator)",
               (("city", ("network_coordinator",)),), language="sv", note="one-time code"),
    DemoPerson("network_member", "Matti Ylä-Outinen", f"matti.yla-outinen@{D}", "Verkoston jäsen (network member)",
               (("village", ("network_member",)),)),
    DemoPerson("funder_officer", "Helena Söderström", f"helena.soderstrom@{D}", "Rahoittaja (ELY funder officer)",
               (("funder", ("funder_officer",)),), note="one-time code"),
    DemoPerson("civic_unit", "Pekka Rönkkö", f"pekka.ronkko@{D}", "Aktivointiyksikkö (civic activation unit)",
               (("city", ("civic_unit",)),), note="one-time code"),
    DemoPerson("applicant", "Tiina Jääskeläinen", f"tiina.jaaskelainen@{D}", "Hakija (applicant NGO)",
               (("ngo2", ("applicant",)),)),
    DemoPerson("steering_group", "Olli Mäntynen", f"olli.mantynen@{D}", "Ohjausryhmä (steering group)",
               (("city", ("steering_group",)),)),
    DemoPerson("activity_provider", "Riikka Pöyhönen", f"riikka.poyhonen@{D}",
               "Toiminnan järjestäjä (activity provider)", (("ngo2", ("activity_provider",)),),
               note="one-time code"),
    DemoPerson("analyst", "Anna Åkerlund", f"anna.akerlund@{D}", "Analyytikko / johto (analyst)",
               (("county", ("analyst",)),), language="sv"),
    DemoPerson("administrator", "Marjatta Hyvönen", f"marjatta.hyvonen@{D}", "Ylläpitäjä (administrator)",
               (("county", ("administrator",)),), note="one-time code"),
    DemoPerson("expert2", "Päivi Törmänen", f"paivi.tormanen@{D}", "Kokemusasiantuntija (expert)",
               (("ngo", ("expert",)),)),
    DemoPerson("participant2", "Jari Kööpikkä", f"jari.koopikka@{D}", "Osallistuja (participant)",
               (("county", ("participant",)),)),
]

# Working relationships: (worker key, person key, organisation key, kind)
# The lähityöntekijä's relationship with an expert is made by each agreement (experts module).
RELATIONSHIPS = [
    ("own_worker", "participant", "county", "own_worker"),
]


def demo_totp_key(email: str) -> str:
    """A deterministic TOTP key (hex) for a demo user, so tests and the demo can compute codes."""
    return hashlib.sha256(f"osallisuus-demo-totp:{email}".encode()).hexdigest()[:40]


@register("accounts", order=10)
def load(ctx: DemoContext) -> None:
    second_factor_roles = set(Role.objects.filter(requires_second_factor=True).values_list("code", flat=True))
    for org in ORGANISATIONS:
        ctx.organisations[org.key] = Organisation.objects.create(
            name=org.name, kind=org.kind, municipality=org.municipality, may_order_experts=org.may_order_experts
        )
    for person in PEOPLE:
        user = User.objects.create_user(
            person.email,
            ctx.password,
            full_name=person.full_name,
            phone=person.phone,
            municipality=person.municipality,
            preferred_language=person.language,
            is_staff=person.key == "administrator",
            is_superuser=person.key == "administrator",
        )
        ctx.users[person.key] = user
        for org_key, roles in person.memberships:
            services.membership_grant(user=user, organisation=ctx.organisations[org_key], roles=roles)
        if second_factor_roles & {r for _org, roles in person.memberships for r in roles}:
            TOTPDevice.objects.create(
                user=user, name="Demo", confirmed=True, key=demo_totp_key(person.email)
            )
        ctx.logins.append((person.role_label, person.email, person.note))
    for worker, person_key, org_key, kind in RELATIONSHIPS:
        services.relationship_start(
            worker=ctx.users[worker], person=ctx.users[person_key], organisation=ctx.organisations[org_key], kind=kind
        )
