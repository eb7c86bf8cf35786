"""The lähityöntekijä works beside an expert on an agreed task: that is not a client.

The relationship kind ``partner_worker`` becomes ``placement_partner``, and the role
lähityöntekijä stops holding ``people.view_clients`` (one's own clients) and holds
``people.view_work_partners`` instead, which shows only what the expert shares.
"""

from django.db import migrations

NEW = "people.view_work_partners"
DESCRIPTION = "See the experts by experience one works beside on an agreed task (what they share)"


def forward(apps, schema_editor):
    Relationship = apps.get_model("accounts", "Relationship")
    Permission = apps.get_model("accounts", "Permission")
    Role = apps.get_model("accounts", "Role")
    Relationship.objects.filter(kind="partner_worker").update(kind="placement_partner")
    perm, _ = Permission.objects.update_or_create(code=NEW, defaults={"description": DESCRIPTION})
    for role in Role.objects.filter(code="partner_worker"):
        role.permissions.remove(*Permission.objects.filter(code="people.view_clients"))
        role.permissions.add(perm)


def backward(apps, schema_editor):
    Relationship = apps.get_model("accounts", "Relationship")
    Permission = apps.get_model("accounts", "Permission")
    Role = apps.get_model("accounts", "Role")
    Relationship.objects.filter(kind="placement_partner").update(kind="partner_worker")
    for role in Role.objects.filter(code="partner_worker"):
        role.permissions.add(*Permission.objects.filter(code="people.view_clients"))
    Permission.objects.filter(code=NEW).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_relationship_source_and_kinds")]
    operations = [migrations.RunPython(forward, backward)]
