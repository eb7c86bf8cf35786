"""Permissions of the activation module as data, attached to the roles that hold them."""

from django.db import migrations

PERMISSIONS = {
    "activation.have_plan": ("Have one's own activation plan and sign up for activities", ["participant"]),
    "activation.view_caseload": ("See and co-write the plans of one's own clients", ["own_worker"]),
    "activation.manage_activities": (
        "Publish the organisation's activities and see who has signed up",
        ["activity_provider"],
    ),
    "activation.view_reports": (
        "See anonymous activation reports",
        ["analyst", "civic_unit", "administrator"],
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
    Permission = apps.get_model("accounts", "Permission")
    Permission.objects.filter(code__in=PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activation", "0001_initial"),
        ("accounts", "0002_roles_and_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
