from django.db import migrations

REVIEW_TYPES = [
    ("scr", "Serious case review (pre-2019 records)"),
    ("rapid_review", "Rapid review"),
    ("lcspr", "Local child safeguarding practice review"),
    ("malr", "Multi-agency learning review"),
    ("single_agency", "Single-agency review"),
    ("no_review", "No review"),
]


def seed(apps, schema_editor):
    ReviewType = apps.get_model("case_reviews", "ReviewType")
    for order, (code, name) in enumerate(REVIEW_TYPES, start=1):
        ReviewType.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("case_reviews", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
