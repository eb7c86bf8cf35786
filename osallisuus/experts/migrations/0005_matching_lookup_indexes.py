"""Indexes for matching: the experts who have one experience area or want one task type.

The ranking builds the set of experts with the asked-for area and task type; with the
lookup value first in the index the database reads those ids from the index alone instead
of visiting every row (the automatic many-to-many tables only index each column alone and
the pair the other way round). Plain SQL because Django does not manage indexes of the
automatic many-to-many tables; it is the same on SQLite and PostgreSQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("experts", "0004_earnings_limits_recorded_by_the_expert")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX expert_area_lookup_idx ON experts_expert_experience_areas (experiencearea_id, expert_id)",
            "DROP INDEX expert_area_lookup_idx",
        ),
        migrations.RunSQL(
            "CREATE INDEX expert_tasktype_lookup_idx ON experts_expert_task_types (tasktype_id, expert_id)",
            "DROP INDEX expert_tasktype_lookup_idx",
        ),
    ]
