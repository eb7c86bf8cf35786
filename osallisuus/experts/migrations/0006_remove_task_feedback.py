"""Task feedback moves to the measurement engine: drop the experts module's own TaskFeedback.

The expert's and the orderer's feedback after a task are now answers to the measurement
engine's questionnaires ``expert-task-feedback`` and ``orderer-task-feedback`` (context
``experts`` / ``agreement:<pk>``), reported to the brokering organisation only as group
figures with small groups hidden. The TaskFeedback table held only demo data (the demo
loader made it; nothing real was ever collected in it), so nothing is carried over: the
demo now makes its feedback through the measurement services. The reverse creates the
empty table again.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("experts", "0005_matching_lookup_indexes")]

    operations = [
        migrations.DeleteModel(
            name="TaskFeedback",
        ),
    ]
