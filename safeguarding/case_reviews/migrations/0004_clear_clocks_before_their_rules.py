"""Clear the due dates stored for clocks whose rule had not begun: the Panel notification,
the rapid review and the LCSPR publication clocks apply from 29 June 2018 (rules.py). A
referral saved before this check kept them; every reader now ignores them, and this makes
the stored data say the same (so hand-written SQL over the due dates agrees too)."""

import datetime as dt

from django.db import migrations
from django.db.models import Q

PANEL_BEGAN = dt.date(2018, 6, 29)  # as rules.PANEL_BEGAN; a migration keeps its own copy


def clear(apps, schema_editor):
    Referral = apps.get_model("case_reviews", "Referral")
    for due, start in (
        ("notification_due", "la_aware_date"),
        ("rapid_review_due", "notification_date"),
        ("publication_due", "review_start_date"),
    ):
        Referral.objects.filter(
            Q(**{f"{due}__isnull": False})
            & (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lt": PANEL_BEGAN}))
        ).update(**{due: None})


class Migration(migrations.Migration):
    dependencies = [("case_reviews", "0003_versions_and_pending_clock_indexes")]

    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
