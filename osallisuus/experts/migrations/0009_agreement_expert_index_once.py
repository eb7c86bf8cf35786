"""Drop the redundant single-column index on ``experts_agreement.expert_id``.

Every lookup of an expert's agreements (the busy check of matching, the month's counts, the
wellbeing signals, the expert's own list, the PROTECT check when an expert is deleted) starts
with the expert, and ``agreement_expert_idx`` (expert_id, starts_at) serves all of them: its
leading column is the same. The second index only cost a write on every agreement.
Reviewed: the plan of the busy check on PostgreSQL uses agreement_expert_idx before and after.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0008_notifications_to_core"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agreement",
            name="expert",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="agreements",
                to="experts.expert",
            ),
        ),
    ]
