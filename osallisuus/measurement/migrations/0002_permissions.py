"""Measurement permissions, attached to roles as data (editable in the admin site)."""

from django.db import migrations

PERMISSIONS = {
    "measurement.view_reports": "See group reports of measurement rounds (never a person's answers)",
    "measurement.manage_rounds": "Create measurement rounds and invite people one may see",
    "measurement.manage_instruments": "Import instruments from their owners' files",
    "measurement.record_external": "Record that an external instrument was done and where its result is",
}

GRANTS = {
    "analyst": ["measurement.view_reports"],
    "coordinator": ["measurement.view_reports", "measurement.manage_rounds"],
    "civic_unit": ["measurement.view_reports", "measurement.manage_rounds"],
    "funder_officer": ["measurement.view_reports"],
    "own_worker": ["measurement.manage_rounds", "measurement.record_external"],
    "activity_provider": ["measurement.manage_rounds"],
    "administrator": ["measurement.manage_instruments"],
}


def seed(apps, schema_editor):
    Permission = apps.get_model("accounts", "Permission")
    Role = apps.get_model("accounts", "Role")
    perms = {}
    for code, description in PERMISSIONS.items():
        perms[code], _ = Permission.objects.update_or_create(code=code, defaults={"description": description})
    for role_code, granted in GRANTS.items():
        role = Role.objects.filter(code=role_code).first()
        if role is not None:
            role.permissions.add(*[perms[p] for p in granted])


def unseed(apps, schema_editor):
    apps.get_model("accounts", "Permission").objects.filter(code__in=list(PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [("measurement", "0001_initial"), ("accounts", "0002_roles_and_permissions")]
    operations = [migrations.RunPython(seed, unseed)]
