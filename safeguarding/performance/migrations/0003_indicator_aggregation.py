"""Each indicator says how a quarter or a year is computed from its own periods.

Existing indicators: a count is summed, unless it counts what stands at a moment (its
name or definition says "at the end of", "on 31 March", "at 31 March": looked-after
children at month end), which takes the value at the period's end; a percentage, rate or
mean is recomputed from its numerators and denominators."""

import re

from django.db import migrations, models

STOCK = re.compile(r"\b(at the end of|on 31 march|at 31 march|as at)\b", re.IGNORECASE)


def set_aggregation(apps, schema_editor):
    Indicator = apps.get_model("performance", "Indicator")
    for ind in Indicator.objects.all():
        if ind.unit == "count":
            stock = STOCK.search(ind.name or "") or STOCK.search(ind.definition or "")
            aggregation = "snapshot" if stock else "sum"
        else:
            aggregation = "ratio"
        Indicator.objects.filter(pk=ind.pk).update(aggregation=aggregation)


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0002_group_version_and_worklist_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="aggregation",
            field=models.CharField(
                choices=[
                    ("sum", "Sum: the counts of the periods added up"),
                    ("ratio", "Ratio: numerators added up over denominators added up"),
                    ("snapshot", "Snapshot: the value at the end of the period"),
                    ("latest", "Latest: the latest value given in the period"),
                ],
                default="sum",
                help_text="How a quarter or a year is computed from the indicator's own periods",
                max_length=10,
            ),
        ),
        migrations.RunPython(set_aggregation, migrations.RunPython.noop),
    ]
