"""The seed's MET meeting rhythm (configurable afterwards on the meeting types page)."""

from django.db import migrations

TYPES = [
    ("Operational MET meeting (weekly)", 7, 1),
    ("Tactical MET meeting (monthly)", 30, 2),
    ("Strategic MET meeting (bi-monthly)", 61, 3),
]


def add_types(apps, schema_editor):
    MetMeetingType = apps.get_model("missing", "MetMeetingType")
    for name, days, order in TYPES:
        MetMeetingType.objects.get_or_create(
            name=name, defaults={"frequency_days": days, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("missing", "0001_initial")]

    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
