"""Seed the roles of the brief and the permissions they grant. Both are data: an
administrator can change them in the admin site. Modules add their own permissions
in their own data migrations."""

from django.db import migrations

PERMISSIONS = {
    "people.view_organisation": "See the personal data of the people of one's own organisation",
    "people.view_clients": "See the personal data of one's own clients (working relationship)",
    "accesslog.search": "Search the access log",
    "organisations.manage": "Manage organisations, users and roles",
    "feedback.handle": "Read and handle feedback",
    "privacy.handle_requests": "Handle data-subject requests (export and erasure)",
    "reports.view_aggregates": "See anonymous aggregate reports",
}

# code, fi, sv, en, second factor, staff, permissions
ROLES = [
    ("expert", "Kokemusasiantuntija", "Erfarenhetsexpert", "Expert by experience", False, False, []),
    ("coordinator", "Koordinaattori", "Koordinator", "Coordinator", True, True,
     ["people.view_organisation", "reports.view_aggregates"]),
    ("orderer", "Tilaaja", "Beställare", "Orderer", True, True, []),
    ("partner_worker", "Lähityöntekijä", "Kontaktperson på arbetsplatsen", "Professional partner", True, True,
     ["people.view_clients"]),
    ("network_coordinator", "Verkostokoordinaattori", "Nätverkskoordinator", "Network coordinator", True, True, []),
    ("network_member", "Verkoston jäsen", "Nätverksmedlem", "Network member", False, False, []),
    ("funder_officer", "Rahoittajan asiantuntija (ELY)", "Finansiärens handläggare (NTM)", "Funder officer (ELY)",
     True, True, ["reports.view_aggregates"]),
    ("civic_unit", "Kansalaistoiminnan aktivointiyksikkö", "Enheten för aktivering av medborgarverksamhet",
     "Civic activation unit", True, True, ["reports.view_aggregates"]),
    ("applicant", "Hakija", "Sökande", "Applicant", False, False, []),
    ("steering_group", "Ohjausryhmän jäsen", "Styrgruppsmedlem", "Steering group member", False, False, []),
    ("participant", "Osallistuja", "Deltagare", "Participant", False, False, []),
    ("own_worker", "Omatyöntekijä", "Egen kontaktperson", "Own worker", True, True, ["people.view_clients"]),
    ("activity_provider", "Toiminnan järjestäjä", "Verksamhetsarrangör", "Activity provider", True, True, []),
    ("analyst", "Analyytikko tai johto", "Analytiker eller ledning", "Analyst or management", False, True,
     ["reports.view_aggregates"]),
    ("administrator", "Ylläpitäjä", "Administratör", "Administrator", True, True,
     ["accesslog.search", "organisations.manage", "feedback.handle", "privacy.handle_requests"]),
]


def seed(apps, schema_editor):
    Permission = apps.get_model("accounts", "Permission")
    Role = apps.get_model("accounts", "Role")
    perms = {}
    for code, description in PERMISSIONS.items():
        perms[code], _ = Permission.objects.update_or_create(code=code, defaults={"description": description})
    for order, (code, fi, sv, en, second, staff, granted) in enumerate(ROLES):
        role, _ = Role.objects.update_or_create(
            code=code,
            defaults={
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
                "requires_second_factor": second,
                "is_staff_role": staff,
                "sort_order": (order + 1) * 10,
            },
        )
        role.permissions.set([perms[p] for p in granted])


def unseed(apps, schema_editor):
    apps.get_model("accounts", "Role").objects.filter(code__in=[r[0] for r in ROLES]).delete()
    apps.get_model("accounts", "Permission").objects.filter(code__in=list(PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
