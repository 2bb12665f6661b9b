"""At most one current opinion per participation, as a partial unique index.

Before the status table was whole, recording a council decision while a zienswijze was submitted
moved the participation back to "vastgesteld" without withdrawing it, so a resubmission left two
current opinions. Each such older opinion is marked withdrawn at the moment its successor was
submitted (what a withdrawal would have recorded) before the index is made.
"""

import itertools

from django.db import migrations, models
from django.db.models import Count, Q


def withdraw_superseded(apps, schema_editor):
    Opinion = apps.get_model("imv", "Opinion")
    doubled = (
        Opinion.objects.filter(withdrawn_at__isnull=True)
        .values("participation_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("participation_id", flat=True)
    )
    for participation_id in doubled:
        current = list(
            Opinion.objects.filter(participation_id=participation_id, withdrawn_at__isnull=True).order_by("number")
        )
        for older, newer in itertools.pairwise(current):
            older.withdrawn_at = newer.submitted_at
            older.save(update_fields=["withdrawn_at"])


class Migration(migrations.Migration):
    dependencies = [("imv", "0007_timeline_in_dutch")]

    operations = [
        migrations.RunPython(withdraw_superseded, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="opinion",
            constraint=models.UniqueConstraint(
                condition=Q(withdrawn_at__isnull=True),
                fields=("participation",),
                name="opinion_one_current_per_participation",
            ),
        ),
    ]
