"""Permissions of networked work as data, given to the roles that hold them (an administrator can
change them in the admin site)."""

from django.db import migrations

PERMISSIONS = {
    "networks.coordinate": (
        "Start networks for one's organisation and coordinate them: members, meetings, goals, resources, analysis",
        ["network_coordinator"],
    ),
    "networks.take_part": (
        "Take part in networks: see the networks of one's organisation, answer invitations",
        ["network_member", "network_coordinator"],
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
        ("networks", "0001_initial"),
        ("accounts", "0002_roles_and_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
