"""The funding rules that are law or policy, as data with their sources, so a new database can take
applications and payments at once. An administrator adds a new row (with its own date and source)
when a rule changes; the services use the row valid on the day in question."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

SINCE = dt.date(2021, 1, 1)
RULES = [
    (
        "lump_sum_max_total",
        Decimal("200000"),
        "EU:n alue- ja rakennepolitiikan ohjelma Uudistuva ja osaava Suomi 2021–2027: kertakorvaus "
        "vain enintään 200 000 euron kokonaiskustannuksen hankkeissa",
    ),
    ("advance_max_percent", Decimal("30"), "Ohjelman rahoitusehdot: ennakko enintään 30 % tuesta"),
    (
        "attachment_max_mb",
        Decimal("10"),
        "Osallisuuden oletus: liitteen suurin koko 10 Mt (ohjelman järjestäjä voi muuttaa ylläpidossa)",
    ),
]


def forwards(apps, schema_editor):
    FundingRule = apps.get_model("funding", "FundingRule")
    for kind, value, source in RULES:
        FundingRule.objects.get_or_create(kind=kind, valid_from=SINCE, defaults={"value": value, "source": source})


def backwards(apps, schema_editor):
    apps.get_model("funding", "FundingRule").objects.filter(valid_from=SINCE, kind__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0002_permissions")]

    operations = [migrations.RunPython(forwards, backwards)]
