"""The module's own notifications move to the foundation's notification centre.

Every stored experts notice is copied into ``core.Notification`` with the kind
``experts.legacy`` (its text, link, time and whether it was read are kept; it was already
e-mailed when it was made, so it is marked as e-mailed), and then the module's table is
removed. From now on every notice goes through ``core.notifications.notify``.
Backwards, the copies are moved back into the module's table.
"""

from django.db import migrations

LEGACY = "experts.legacy"


def to_core(apps, schema_editor):
    Old = apps.get_model("experts", "Notification")
    New = apps.get_model("core", "Notification")
    batch = []
    for old in Old.objects.order_by("pk").iterator(chunk_size=2000):
        batch.append(
            New(
                user_id=old.user_id,
                kind=LEGACY,
                message=old.message[:500],
                url=old.url[:500],
                created_at=old.created_at,
                read_at=old.read_at,
                emailed_at=old.created_at,
            )
        )
        if len(batch) >= 2000:
            New.objects.bulk_create(batch)
            batch = []
    if batch:
        New.objects.bulk_create(batch)


def back_to_experts(apps, schema_editor):
    Old = apps.get_model("experts", "Notification")
    New = apps.get_model("core", "Notification")
    legacy = New.objects.filter(kind=LEGACY)
    Old.objects.bulk_create(
        [
            Old(user_id=n.user_id, message=n.message[:300], url=n.url[:300], created_at=n.created_at, read_at=n.read_at)
            for n in legacy.order_by("pk")
        ]
    )
    legacy.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0007_request_fee_amount"),
        ("core", "0004_notifications"),
    ]

    operations = [
        migrations.RunPython(to_core, back_to_experts),
        migrations.DeleteModel(name="Notification"),
    ]
