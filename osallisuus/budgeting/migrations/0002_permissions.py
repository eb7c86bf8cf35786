"""Permissions of participatory budgeting as data, given to the roles that hold them (an
administrator can change them in the admin site)."""

from django.db import migrations

PERMISSIONS = {
    "budgeting.run_process": (
        "Run the organisation's participatory budgeting processes: phases, checking and costing, results, purchases",
        ["activity_provider", "civic_unit"],
    ),
    "budgeting.take_part": (
        "Take part in participatory budgeting of one's organisation: propose and vote",
        ["participant"],
    ),
    "budgeting.assist_voting": (
        "Record a ballot for a person who asks for help (logged as assisted, without the choice)",
        ["activity_provider", "civic_unit"],
    ),
    "budgeting.deliver": (
        "Carry out winning proposals as a third-sector actor and record the delivery",
        ["applicant"],
    ),
    "budgeting.view_aggregates": (
        "See the figures of participatory budgeting processes (no person's data)",
        ["analyst", "civic_unit"],
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
        ("budgeting", "0001_initial"),
        ("accounts", "0002_roles_and_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
