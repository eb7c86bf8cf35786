"""Permissions of partnership funding as data, given to the roles that hold them (an
administrator can change them in the admin site). A permission holds in the organisation of the
membership: a funder's officer reviews and decides for her own funder only."""

from django.db import migrations

PERMISSIONS = {
    "funding.manage_programme": (
        "Run the organisation's funding programmes: funders, yearly envelopes, frame documents, info events and calls",
        ["civic_unit"],
    ),
    "funding.advise": (
        "Discuss project ideas as a funder and write advice the organisation sees",
        ["civic_unit", "funder_officer"],
    ),
    "funding.apply": (
        "Present project ideas and write, submit and withdraw the organisation's funding applications",
        ["applicant"],
    ),
    "funding.review": (
        "Review and score applications for the funder, write its recommendation and hold hearings",
        ["civic_unit", "funder_officer"],
    ),
    "funding.decide": (
        "Make the funder's funding decisions within its yearly envelope",
        ["civic_unit", "funder_officer"],
    ),
    "funding.pay": (
        "Verify outputs, approve payments and keep the self-financing loans of the funder",
        ["civic_unit", "funder_officer"],
    ),
    "funding.steer": (
        "Take part in a funding programme's steering group: meetings, minutes and decisions",
        ["steering_group", "civic_unit"],
    ),
    "funding.view_aggregates": (
        "See the portfolio figures of funding programmes (no person's data)",
        ["analyst", "civic_unit", "funder_officer", "steering_group"],
    ),
}


def forwards(apps, schema_editor):
    Permission = apps.get_model("accounts", "Permission")
    Role = apps.get_model("accounts", "Role")
    for code, (description, roles) in PERMISSIONS.items():
        perm, _created = Permission.objects.get_or_create(code=code, defaults={"description": description})
        for role in Role.objects.filter(code__in=roles):
            role.permissions.add(perm)


def backwards(apps, schema_editor):
    apps.get_model("accounts", "Permission").objects.filter(code__in=PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_initial"),
        ("accounts", "0002_roles_and_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
