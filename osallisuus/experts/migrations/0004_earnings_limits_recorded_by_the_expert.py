"""Until now only the expert recorded their own earnings limits (the "My earnings limits"
page), so the limits already saved were recorded by the expert."""

from django.db import migrations


def forward(apps, schema_editor):
    EarningsLimit = apps.get_model("experts", "EarningsLimit")
    Expert = apps.get_model("experts", "Expert")
    pending = Expert.objects.filter(earnings_limits__recorded_by__isnull=True).values_list("pk", "user_id").distinct()
    for expert_id, user_id in pending:
        EarningsLimit.objects.filter(expert_id=expert_id, recorded_by__isnull=True).update(recorded_by_id=user_id)


def backward(apps, schema_editor):
    EarningsLimit = apps.get_model("experts", "EarningsLimit")
    Expert = apps.get_model("experts", "Expert")
    for expert_id, user_id in Expert.objects.values_list("pk", "user_id"):
        EarningsLimit.objects.filter(expert_id=expert_id, recorded_by_id=user_id).update(recorded_by=None)


class Migration(migrations.Migration):
    dependencies = [("experts", "0003_registry_status_and_limit_recorder")]

    operations = [migrations.RunPython(forward, backward)]
