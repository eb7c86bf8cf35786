from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_inactive_index")]

    operations = [
        migrations.AddField(
            model_name="relationship",
            name="source_ref",
            field=models.CharField(
                blank=True,
                help_text="What made the relationship and ends it, e.g. an agreement (no personal data).",
                max_length=100,
                verbose_name="made by",
            ),
        ),
        migrations.AlterField(
            model_name="relationship",
            name="kind",
            field=models.CharField(
                choices=[
                    ("own_worker", "Own worker and client"),
                    ("placement_partner", "Works beside an expert by experience on an agreed task"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
    ]
